import type { CollectionKind, FaceListKind } from './collections';
import type { DetectionModel, RecognitionModel } from './models';

/** Every message between services: pattern → request → reply. The apps share nothing else. */

export interface FaceRectangle {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/** Who is asking: every store request is scoped to the caller's tenant. */
export interface TenantScoped {
  tenantId: string;
}

// ---- detector ----

export interface ExtractRequest {
  /** Raw image bytes as uploaded; never logged or stored. */
  image: Buffer;
  detectionModel: DetectionModel;
  recognitionModel: RecognitionModel;
  /**
   * `enrol`: exactly one face must remain (after the size rule and `targetFace`), else an InvalidImage error;
   * `detect`: every face, largest first, at most `maxFaces`.
   */
  purpose: 'enrol' | 'detect';
  targetFace?: FaceRectangle;
  returnLandmarks?: boolean;
  maxFaces?: number;
  /** Attributes to measure on each face; each costs time, so only those the caller asked for. */
  attributes?: MeasuredAttributeName[];
}

/** Face attributes the detector measures from the face's landmarks and pixels. */
export const MeasuredAttributeNames = ['headPose', 'blur', 'exposure', 'noise'] as const;
export type MeasuredAttributeName = (typeof MeasuredAttributeNames)[number];

/** Degrees. roll: clockwise in the picture; yaw: the face turned towards the picture's right; pitch: looking up. */
export interface HeadPose {
  pitch: number;
  roll: number;
  yaw: number;
}

/** Each in [0, 1] except headPose; present only when asked for. */
export interface MeasuredAttributes {
  headPose?: HeadPose;
  /** The larger, the blurrier. */
  blur?: number;
  /** 0 black, 1 white; a well-lit face is near the middle. */
  exposure?: number;
  /** The larger, the noisier. */
  noise?: number;
}

export interface ExtractedFace {
  rectangle: FaceRectangle;
  /** Detector confidence in [0, 1]. */
  score: number;
  /** Fine detail of the face relative to its contrast (the detector's face-sharpness.ts); blur lowers it. */
  sharpness: number;
  /** 68-point landmarks in image pixels, when asked for and the model provides them. */
  landmarks?: Point[];
  /** The attributes the request asked for. */
  attributes?: MeasuredAttributes;
  /** L2-normalised feature vector of the recognition model. */
  embedding: Float32Array;
}

export interface ExtractReply {
  image: { width: number; height: number; format: string };
  faces: ExtractedFace[];
}

export interface DetectorStatus {
  backend: string;
  workers: number;
  models: string[];
}

// ---- store: groups and persons ----

export interface GroupView {
  groupId: string;
  name: string;
  userData: string | null;
  recognitionModel: RecognitionModel;
  createdAt: string;
  updatedAt: string;
  /** A face list's faces come with it, as Azure returns them (at most 1,000). */
  persistedFaces?: ListFaceView[];
}

export interface PersonView {
  personId: string;
  name: string;
  userData: string | null;
  persistedFaceIds: string[];
  createdAt: string;
  updatedAt: string;
}

/** A face of a face list. */
export interface ListFaceView {
  persistedFaceId: string;
  userData: string | null;
  detectionModel: DetectionModel;
  recognitionModel: RecognitionModel;
  faceRectangle: FaceRectangle;
  createdAt: string;
}

/** A face of a person. */
export interface PersistedFaceView extends ListFaceView {
  personId: string;
}

/** A collection: its kind and its id within the kind, in the caller's tenant. */
export interface GroupRef extends TenantScoped {
  kind: CollectionKind;
  groupId: string;
}

export interface PersonRef extends GroupRef {
  personId: string;
}

export interface FaceRef extends PersonRef {
  persistedFaceId: string;
}

/** A face of a face list. */
export interface ListFaceRef extends GroupRef {
  persistedFaceId: string;
}

/**
 * Carried by every write; a redelivered or retried request with the same id returns the first result. The id is
 * the caller's Idempotency-Key (scoped to its tenant) or, without one, an id of its own for each HTTP request.
 */
export interface IdempotentWrite {
  requestId: string;
  /** Hash of what the request asks for; the same request id with another fingerprint is refused. */
  fingerprint: string;
}

export interface ListPage {
  start?: string;
  top: number;
}

export interface CreateGroupRequest extends GroupRef, IdempotentWrite {
  name: string;
  userData?: string | null;
  recognitionModel: RecognitionModel;
}

export interface UpdateRequest {
  name?: string;
  userData?: string | null;
}

export interface CreatePersonRequest extends GroupRef, IdempotentWrite {
  name: string;
  userData?: string | null;
}

/** What adding a face needs to know before the (expensive) extraction runs. */
export interface EnrolmentTarget {
  recognitionModel: RecognitionModel;
  faceCount: number;
}

// ---- store: person-level writes, ordered per person through the shard queues ----

export interface AddFaceRequest extends PersonRef, IdempotentWrite {
  userData?: string | null;
  detectionModel: DetectionModel;
  recognitionModel: RecognitionModel;
  faceRectangle: FaceRectangle;
  embedding: Float32Array;
}

export interface AddFaceReply {
  persistedFaceId: string;
  createdAt: string;
  faceRectangle: FaceRectangle;
  detectionModel: DetectionModel;
  recognitionModel: RecognitionModel;
}

export interface UpdateFaceRequest extends FaceRef, IdempotentWrite {
  userData?: string | null;
}

// ---- store: face list writes, ordered per list through the shard queues ----

/** What a face of a list is stored as; the same as a person's face, without the person. */
export type AddListFaceRequest = GroupRef &
  IdempotentWrite &
  Omit<AddFaceRequest, keyof PersonRef | keyof IdempotentWrite>;

export interface UpdateListFaceRequest extends ListFaceRef, IdempotentWrite {
  userData?: string | null;
}

export interface StoreStatus {
  database: 'up';
  shards: { total: number; owned: number[] };
}

// ---- store: detected faces, training, identify, verify ----

export interface SaveDetectedFacesRequest extends TenantScoped {
  recognitionModel: RecognitionModel;
  ttlSeconds: number;
  embeddings: Float32Array[];
}

export type TrainingState = 'notStarted' | 'running' | 'succeeded' | 'failed';

export interface TrainingStatusView {
  status: TrainingState;
  createdDateTime: string;
  lastActionDateTime: string | null;
  lastSuccessfulTrainingDateTime: string | null;
  message: string | null;
}

export interface IdentifyRequest extends GroupRef {
  faceIds: string[];
  maxNumOfCandidatesReturned: number;
  /** When absent, the group model's open-set default (identifyConfidenceThresholds). */
  confidenceThreshold?: number;
}

export interface IdentifyCandidate {
  personId: string;
  confidence: number;
}

export interface IdentifyResult {
  faceId: string;
  candidates: IdentifyCandidate[];
}

export type VerifyRequest =
  (TenantScoped & { faceId1: string; faceId2: string }) | (GroupRef & { faceId: string; personId: string });

export interface VerifyResult {
  isIdentical: boolean;
  confidence: number;
}

/**
 * Where Find Similar looks: detected faces, or a face list or large face list (persistedFaceIds). One union, so a
 * new kind of target is one more case here and in the store.
 */
export type SimilarFaceTarget = { kind: 'faceIds'; faceIds: string[] } | { kind: FaceListKind; groupId: string };

/** `matchPerson`: only faces over the identify threshold (same person); `matchFace`: the most similar, whatever. */
export type FindSimilarMode = 'matchPerson' | 'matchFace';

export interface FindSimilarRequest extends TenantScoped {
  faceId: string;
  target: SimilarFaceTarget;
  maxNumOfCandidatesReturned: number;
  mode: FindSimilarMode;
}

/** `faceId` for a faceIds target, `persistedFaceId` for a list target. */
export type SimilarFace = ({ faceId: string } | { persistedFaceId: string }) & { confidence: number };

export interface GroupFacesRequest extends TenantScoped {
  faceIds: string[];
}

export interface FaceGrouping {
  /** Faces of one person as far as the clustering can tell, largest group first. */
  groups: string[][];
  /** Faces similar to none of the others. */
  messyGroup: string[];
}

/** Typed map of every RPC. */
export interface RpcContract {
  'detector.extract': { request: ExtractRequest; reply: ExtractReply };
  'detector.status': { request: Record<string, never>; reply: DetectorStatus };

  'store.status': { request: Record<string, never>; reply: StoreStatus };
  'groups.create': { request: CreateGroupRequest; reply: GroupView };
  'groups.get': { request: GroupRef; reply: GroupView };
  'groups.list': { request: TenantScoped & Pick<GroupRef, 'kind'> & ListPage; reply: GroupView[] };
  'groups.update': { request: GroupRef & UpdateRequest & IdempotentWrite; reply: GroupView };
  'groups.delete': { request: GroupRef & IdempotentWrite; reply: { deleted: true } };
  'persons.create': { request: CreatePersonRequest; reply: PersonView };
  'persons.get': { request: PersonRef; reply: PersonView };
  'persons.list': { request: GroupRef & ListPage; reply: PersonView[] };
  'persons.update': { request: PersonRef & UpdateRequest & IdempotentWrite; reply: PersonView };
  'persons.enrolmentTarget': { request: PersonRef; reply: EnrolmentTarget };
  'faces.get': { request: FaceRef; reply: PersistedFaceView };
  'faces.update': { request: UpdateFaceRequest; reply: PersistedFaceView };

  'detected.save': { request: SaveDetectedFacesRequest; reply: { faceIds: string[] } };
  'training.start': { request: GroupRef & IdempotentWrite; reply: TrainingStatusView };
  'training.status': { request: GroupRef; reply: TrainingStatusView };
  'faces.identify': { request: IdentifyRequest; reply: IdentifyResult[] };
  'faces.verify': { request: VerifyRequest; reply: VerifyResult };
  'faces.findSimilar': { request: FindSimilarRequest; reply: SimilarFace[] };
  'faces.group': { request: GroupFacesRequest; reply: FaceGrouping };

  'lists.enrolmentTarget': { request: GroupRef; reply: EnrolmentTarget };
  'listFaces.get': { request: ListFaceRef; reply: ListFaceView };
  'listFaces.list': { request: GroupRef & ListPage; reply: ListFaceView[] };
  'listFaces.update': { request: UpdateListFaceRequest; reply: ListFaceView };

  'faces.add': { request: AddFaceRequest; reply: AddFaceReply };
  'faces.delete': { request: FaceRef & IdempotentWrite; reply: { deleted: true } };
  'persons.delete': { request: PersonRef & IdempotentWrite; reply: { deleted: true } };
  'listFaces.add': { request: AddListFaceRequest; reply: AddFaceReply };
  'listFaces.delete': { request: ListFaceRef & IdempotentWrite; reply: { deleted: true } };
}

export type Pattern = keyof RpcContract;
export type RequestOf<P extends Pattern> = RpcContract[P]['request'];
export type ReplyOf<P extends Pattern> = RpcContract[P]['reply'];

/**
 * Which queue serves a pattern: detector work, the store's reads (nothing to lose if the broker restarts, so
 * not persisted), the store's other writes, or the per-person shard queues.
 */
export type Destination = 'detector' | 'reads' | 'store' | 'shard';

export const PatternDestinations = {
  'detector.extract': 'detector',
  'detector.status': 'detector',
  'store.status': 'reads',
  'groups.create': 'store',
  'groups.get': 'reads',
  'groups.list': 'reads',
  'groups.update': 'store',
  'groups.delete': 'store',
  'persons.create': 'store',
  'persons.get': 'reads',
  'persons.list': 'reads',
  'persons.update': 'store',
  'persons.enrolmentTarget': 'reads',
  'faces.get': 'reads',
  'faces.update': 'store',
  'detected.save': 'store',
  'training.start': 'store',
  'training.status': 'reads',
  'faces.identify': 'reads',
  'faces.verify': 'reads',
  'lists.enrolmentTarget': 'reads',
  'listFaces.get': 'reads',
  'listFaces.list': 'reads',
  'listFaces.update': 'store',
  'faces.findSimilar': 'reads',
  'faces.group': 'reads',
  'faces.add': 'shard',
  'faces.delete': 'shard',
  'persons.delete': 'shard',
  'listFaces.add': 'shard',
  'listFaces.delete': 'shard',
} as const satisfies Record<Pattern, Destination>;

type ShardPattern = { [P in Pattern]: (typeof PatternDestinations)[P] extends 'shard' ? P : never }[Pattern];

const byPerson = (request: PersonRef): string => request.personId;
const byList = (request: GroupRef): string => `${request.tenantId}/${request.kind}/${request.groupId}`;

/**
 * The key that picks the shard queue of a write: writes with one key are applied one at a time, in order. A
 * person's faces are keyed by the person, a face list's by the list.
 */
const shardKeys: { [P in ShardPattern]: (request: RequestOf<P>) => string } = {
  'faces.add': byPerson,
  'faces.delete': byPerson,
  'persons.delete': byPerson,
  'listFaces.add': byList,
  'listFaces.delete': byList,
};

export function shardKeyOf<P extends Pattern>(pattern: P, request: RequestOf<P>): string {
  const key = (shardKeys as Partial<Record<Pattern, (request: RequestOf<P>) => string>>)[pattern];
  if (!key) throw new Error(`${pattern} is not applied through a shard`);
  return key(request);
}
