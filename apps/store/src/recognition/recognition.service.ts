/**
 * Identify (1:N against a group's last successful training), verify (1:1), find similar and group, on faceIds
 * from Detect.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  confidenceOf,
  groupConfidenceThresholds,
  identifyConfidenceThresholds,
  similarityFor,
  trainingErrorsOf,
  verifyConfidenceThreshold,
  VisageError,
  type FaceGrouping,
  type FindSimilarRequest,
  type GroupFacesRequest,
  type IdentifyRequest,
  type GroupRef,
  type IdentifyResult,
  type RecognitionModel,
  type SimilarFace,
  type VerifyRequest,
  type VerifyResult,
  littleEndianToFloat32,
} from '#contracts';
import { In, type DataSource } from 'typeorm';
import { DATA_SOURCE } from '../database/database.module';
import { PersistedFaceEntity, PersonEntity, TrainingEntity, type CollectionEntity } from '../database/entities';
import { DetectedFacesService, type DetectedFace } from '../detected-faces/detected-faces.service';
import { GroupsService } from '../groups/groups.service';
import { PersonsService } from '../persons/persons.service';
import { loadSnapshotParts } from '../training/snapshot-storage';
import { TrainingSnapshot, type Ranking } from '../training/training-snapshot';
import { dot, groupFaces, rankSimilar } from './face-similarity';
import { SnapshotCache } from './snapshot-cache';

@Injectable()
export class RecognitionService {
  private readonly logger = new Logger('recognition');

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly groups: GroupsService,
    private readonly persons: PersonsService,
    private readonly detected: DetectedFacesService,
    private readonly snapshots: SnapshotCache<TrainingSnapshot>,
  ) {}

  async identify(request: IdentifyRequest): Promise<IdentifyResult[]> {
    const { collection, snapshot } = await this.trainedSnapshot(request);
    const faces = await this.detected.load(request.tenantId, request.faceIds, 'FACE_ID_NOT_FOUND');
    const model = collection.recognitionModel as RecognitionModel;
    requireModel(faces, model, 'the group');
    const threshold = request.confidenceThreshold ?? identifyConfidenceThresholds[model];
    const limit = request.maxNumOfCandidatesReturned;
    // All the faces in one pass over the snapshot.
    const rankings = await snapshot.rankAll(
      faces.map((face) => face.embedding),
      similarityFor(threshold, model),
      limit,
    );
    // One lookup of which ranked persons still exist, for all the faces.
    const ranked = rankings.flatMap((ranking) => entryIdsOf(snapshot, ranking));
    const exists = (ids: string[]) => this.existingPersons(request, ids);
    const existing = await exists([...new Set(ranked)]);
    const results: IdentifyResult[] = [];
    for (const [i, face] of faces.entries()) {
      const best = await this.bestEntries(snapshot, face, threshold, limit, rankings[i]!, existing, exists);
      results.push({
        faceId: face.faceId,
        candidates: best.map(({ id, confidence }) => ({ personId: id, confidence })),
      });
    }
    return results;
  }

  /**
   * The snapshot of a collection's last successful training, loaded once into the cache; the trained kind's own
   * errors while there is none.
   */
  private async trainedSnapshot(ref: GroupRef): Promise<{ collection: CollectionEntity; snapshot: TrainingSnapshot }> {
    const manager = this.dataSource.manager;
    const collection = await this.groups.require(manager, ref);
    const training = await manager.findOne(TrainingEntity, {
      where: { tenantId: ref.tenantId, kind: ref.kind, groupId: ref.groupId },
    });
    if (!training || training.snapshotVersion === 0 || training.snapshotId === null) {
      const errors = trainingErrorsOf(ref.kind);
      throw new VisageError(training?.status === 'running' ? errors.inProgress : errors.notTrained);
    }
    const { snapshotVersion: version, snapshotId } = training;
    const snapshot = await this.snapshots.get(
      { tenantId: ref.tenantId, kind: ref.kind, groupId: ref.groupId, snapshotId },
      async () => TrainingSnapshot.fromParts(version, await loadSnapshotParts(manager, ref, version)),
    );
    return { collection, snapshot };
  }

  /**
   * The best entries (persons, or a large face list's faces) for one face, from its first ranking and which of
   * them exist. Entries deleted since the training are left out (they stay in the snapshot until the next one),
   * so when some of a full ranking are gone, a longer ranking is asked for.
   */
  private async bestEntries(
    snapshot: TrainingSnapshot,
    face: DetectedFace,
    threshold: number,
    limit: number,
    first: Ranking,
    existingInFirst: Set<string>,
    exists: (ids: string[]) => Promise<Set<string>>,
  ): Promise<RankedEntry[]> {
    let ranking = first;
    let existing = existingInFirst;
    for (let wanted = limit; ;) {
      const ids = entryIdsOf(snapshot, ranking);
      const best = ranking.persons
        .map((ranked, i) => ({ id: ids[i]!, confidence: confidenceOf(ranked.similarity, face.recognitionModel) }))
        .filter((entry) => existing.has(entry.id) && entry.confidence >= threshold);
      if (best.length >= limit || ranking.complete) return best.slice(0, limit);
      wanted *= 4;
      ranking = await snapshot.rank(face.embedding, similarityFor(threshold, face.recognitionModel), wanted);
      existing = await exists(entryIdsOf(snapshot, ranking));
    }
  }

  private async existingPersons(ref: GroupRef, personIds: string[]): Promise<Set<string>> {
    if (personIds.length === 0) return new Set();
    const rows = await this.dataSource.manager.find(PersonEntity, {
      select: { personId: true },
      where: { tenantId: ref.tenantId, kind: ref.kind, groupId: ref.groupId, personId: In(personIds) },
    });
    return new Set(rows.map((p) => p.personId));
  }

  /** Drops the snapshots of groups deleted, or trained again, through another store process. */
  async dropStaleSnapshots(): Promise<void> {
    const held = this.snapshots.held();
    if (held.length === 0) return;
    try {
      const current: { tenant_id: string; kind: string; group_id: string; snapshot_id: string }[] =
        await this.dataSource.query(
          `SELECT t.tenant_id, t.kind, t.group_id, t.snapshot_id FROM training t
           JOIN unnest($1::text[], $2::text[], $3::text[]) AS h(tenant_id, kind, group_id)
             USING (tenant_id, kind, group_id)`,
          [held.map((ref) => ref.tenantId), held.map((ref) => ref.kind), held.map((ref) => ref.groupId)],
        );
      const live = new Set(current.map((row) => [row.tenant_id, row.kind, row.group_id, row.snapshot_id].join('\0')));
      for (const ref of held) {
        if (!live.has([ref.tenantId, ref.kind, ref.groupId, ref.snapshotId].join('\0'))) {
          this.snapshots.evictGroup(ref, 'stale');
        }
      }
    } catch (error) {
      this.logger.warn(`Could not check the cached snapshots against the database: ${(error as Error).message}`);
    }
  }

  async verify(request: VerifyRequest): Promise<VerifyResult> {
    if ('faceId1' in request) {
      const faces = await this.detected.load(
        request.tenantId,
        [request.faceId1, request.faceId2],
        'VERIFY_FACE_ID_NOT_FOUND',
      );
      requireModel(faces, faces[0]!.recognitionModel, 'faceId1');
      return verdict(dot(faces[0]!.embedding, faces[1]!.embedding), faces[0]!.recognitionModel);
    }
    const manager = this.dataSource.manager;
    const group = await this.groups.require(manager, request);
    await this.persons.require(manager, request);
    const faces = await this.detected.load(request.tenantId, [request.faceId], 'VERIFY_FACE_ID_NOT_FOUND');
    requireModel(faces, group.recognitionModel as RecognitionModel, 'the group');
    const enrolled = await manager.find(PersistedFaceEntity, {
      select: { persistedFaceId: true, embedding: true },
      where: { personId: request.personId },
    });
    if (enrolled.length === 0) throw new VisageError('PERSISTED_FACE_NOT_FOUND', 'The person has no faces.');
    const query = faces[0]!.embedding;
    const best = Math.max(...enrolled.map((face) => dot(query, littleEndianToFloat32(face.embedding))));
    return verdict(best, faces[0]!.recognitionModel);
  }

  /**
   * The candidates most similar to the query face, best first. matchPerson keeps those at or above the model's
   * identify threshold (open-set: most candidates are other people); matchFace keeps the most similar whatever
   * their confidence. The query face is never its own candidate.
   */
  async findSimilar(request: FindSimilarRequest): Promise<SimilarFace[]> {
    const query = (await this.detected.load(request.tenantId, [request.faceId], 'FACE_ID_NOT_FOUND'))[0]!;
    const model = query.recognitionModel;
    const threshold = request.mode === 'matchPerson' ? identifyConfidenceThresholds[model] : 0;
    const limit = request.maxNumOfCandidatesReturned;
    const target = request.target;
    if (target.kind === 'largeFaceList') {
      const ref = { tenantId: request.tenantId, kind: target.kind, groupId: target.groupId };
      const { collection, snapshot } = await this.trainedSnapshot(ref);
      requireModel([query], collection.recognitionModel as RecognitionModel, 'the large face list');
      const first = await snapshot.rank(query.embedding, similarityFor(threshold, model), limit);
      const exists = (ids: string[]) => this.existingListFaces(ref, ids);
      const best = await this.bestEntries(
        snapshot,
        query,
        threshold,
        limit,
        first,
        await exists(entryIdsOf(snapshot, first)),
        exists,
      );
      return best.map(({ id, confidence }) => ({ persistedFaceId: id, confidence }));
    }
    const candidates =
      target.kind === 'faceIds'
        ? await this.detectedCandidates(query, target.faceIds, request.tenantId)
        : await this.faceListCandidates(query, {
            tenantId: request.tenantId,
            kind: target.kind,
            groupId: target.groupId,
          });
    return rankSimilar(
      query.embedding,
      candidates.map((candidate) => candidate.embedding),
      similarityFor(threshold, model),
      limit,
    ).map(({ index, similarity }) => {
      const id = candidates[index]!.id;
      const confidence = confidenceOf(similarity, model);
      return target.kind === 'faceIds' ? { faceId: id, confidence } : { persistedFaceId: id, confidence };
    });
  }

  /** Detected faces to compare with: the query face is never its own candidate. */
  private async detectedCandidates(query: DetectedFace, faceIds: string[], tenantId: string): Promise<Candidate[]> {
    const ids = faceIds.filter((faceId) => faceId !== query.faceId);
    if (ids.length === 0) return [];
    const faces = await this.detected.load(tenantId, ids, 'FACE_ID_NOT_FOUND');
    requireModel(faces, query.recognitionModel, 'the query faceId');
    return faces.map((face) => ({ id: face.faceId, embedding: face.embedding }));
  }

  /** A face list's faces (at most 1,000) as they stand: face lists are not trained. */
  private async faceListCandidates(query: DetectedFace, ref: GroupRef): Promise<Candidate[]> {
    const list = await this.groups.require(this.dataSource.manager, ref);
    requireModel([query], list.recognitionModel as RecognitionModel, 'the face list');
    const rows: { persisted_face_id: string; embedding: Buffer }[] = await this.dataSource.query(
      `SELECT persisted_face_id, embedding FROM persisted_face WHERE tenant_id = $1 AND kind = $2 AND group_id = $3`,
      [ref.tenantId, ref.kind, ref.groupId],
    );
    if (rows.length === 0) throw new VisageError('FACE_LIST_EMPTY');
    return rows.map((row) => ({ id: row.persisted_face_id, embedding: littleEndianToFloat32(row.embedding) }));
  }

  /**
   * Looked up by primary key alone, the list checked here: given the list's columns too, Postgres may walk the
   * whole list's index (a million faces) when its statistics predate a large import.
   */
  private async existingListFaces(ref: GroupRef, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows: { persisted_face_id: string; tenant_id: string; kind: string; group_id: string }[] =
      await this.dataSource.query(
        `SELECT persisted_face_id, tenant_id, kind, group_id FROM persisted_face WHERE persisted_face_id = ANY($1::uuid[])`,
        [ids],
      );
    return new Set(
      rows
        .filter((row) => row.tenant_id === ref.tenantId && row.kind === ref.kind && row.group_id === ref.groupId)
        .map((row) => row.persisted_face_id),
    );
  }

  /** The faces clustered by person (faceIds in the order given within each group), and the unmatched ones. */
  async group(request: GroupFacesRequest): Promise<FaceGrouping> {
    const faces = await this.detected.load(request.tenantId, request.faceIds, 'FACE_ID_NOT_FOUND');
    const model = faces[0]!.recognitionModel;
    requireModel(faces, model, 'the first faceId');
    const { groups, messyGroup } = groupFaces(
      faces.map((face) => face.embedding),
      similarityFor(groupConfidenceThresholds[model], model),
    );
    const idOf = (index: number) => faces[index]!.faceId;
    return { groups: groups.map((group) => group.map(idOf)), messyGroup: messyGroup.map(idOf) };
  }
}

/** A face FindSimilar compares the query with: a detected face, or a face of a face list. */
interface Candidate {
  id: string;
  embedding: Float32Array;
}

/** A snapshot entry (a person, or a face of a large face list) and its confidence. */
interface RankedEntry {
  id: string;
  confidence: number;
}

function entryIdsOf(snapshot: TrainingSnapshot, ranking: Ranking): string[] {
  return ranking.persons.map(({ person }) => snapshot.personIds[person]!);
}

/** Names both models and the way out: the faceId's model is chosen at detect time. */
function requireModel(faces: DetectedFace[], model: RecognitionModel, against: string): void {
  const other = faces.find((face) => face.recognitionModel !== model);
  if (!other) return;
  throw new VisageError(
    'RECOGNITION_MODEL_MISMATCH',
    `'recognitionModel' is incompatible: faceId ${other.faceId} was detected with ${other.recognitionModel} but ` +
      `${against} uses ${model}. Detect again with recognitionModel=${model}.`,
  );
}

function verdict(similarity: number, model: RecognitionModel): VerifyResult {
  const confidence = confidenceOf(similarity, model);
  return { isIdentical: confidence >= verifyConfidenceThreshold, confidence };
}
