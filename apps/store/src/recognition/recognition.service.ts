/**
 * Identify (1:N against a group's last successful training), verify (1:1), find similar and group, on faceIds
 * from Detect.
 */
import { Inject, Injectable } from '@nestjs/common';
import {
  confidenceOf,
  groupConfidenceThresholds,
  identifyConfidenceThresholds,
  similarityFor,
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
} from '#contracts';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../database/database.module';
import { readTogether } from '../database/reads-together';
import { DetectedFacesService, type DetectedFace } from '../detected-faces/detected-faces.service';
import { GroupsService } from '../groups/groups.service';
import { FacesRepository } from '../faces/faces.repository';
import { PersonsRepository } from '../persons/persons.repository';
import { PersonsService } from '../persons/persons.service';
import { TrainedSnapshots } from '../search/trained-snapshots';
import type { Ranking, TrainingSnapshot } from '../training/training-snapshot';
import { dot, groupFaces, rankSimilar } from './face-similarity';

@Injectable()
export class RecognitionService {
  private readonly personRepository: PersonsRepository;
  private readonly faceRepository: FacesRepository;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly groups: GroupsService,
    private readonly persons: PersonsService,
    private readonly detected: DetectedFacesService,
    private readonly snapshots: TrainedSnapshots,
  ) {
    this.personRepository = new PersonsRepository(dataSource.manager);
    this.faceRepository = new FacesRepository(dataSource.manager);
  }

  async identify(request: IdentifyRequest): Promise<IdentifyResult[]> {
    const [{ recognitionModel: model, snapshot, deletedSinceTraining }, faces] = await readTogether([
      this.snapshots.of(request),
      this.detected.load(request.tenantId, request.faceIds, 'FACE_ID_NOT_FOUND'),
    ] as const);
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
    const exists = existenceCheck(deletedSinceTraining, (ids) => this.personRepository.existing(request, ids));
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
    const enrolled = await this.faceRepository.embeddingsOfPerson(request.personId);
    if (enrolled.length === 0) throw new VisageError('PERSISTED_FACE_NOT_FOUND', 'The person has no faces.');
    const query = faces[0]!.embedding;
    const best = Math.max(...enrolled.map((face) => dot(query, face.embedding)));
    return verdict(best, faces[0]!.recognitionModel);
  }

  /**
   * The candidates most similar to the query face, best first. matchPerson keeps those at or above the model's
   * identify threshold (open-set: most candidates are other people); matchFace keeps the most similar whatever
   * their confidence. The query face is never its own candidate.
   */
  async findSimilar(request: FindSimilarRequest): Promise<SimilarFace[]> {
    const target = request.target;
    if (target.kind === 'largeFaceList') {
      return this.findSimilarInLargeFaceList(request, {
        tenantId: request.tenantId,
        kind: target.kind,
        groupId: target.groupId,
      });
    }
    const query = (await this.detected.load(request.tenantId, [request.faceId], 'FACE_ID_NOT_FOUND'))[0]!;
    const model = query.recognitionModel;
    const candidates =
      target.kind === 'faceIds'
        ? await this.detectedCandidates(query, target.faceIds, request.tenantId)
        : await this.faceListCandidates(query, {
            tenantId: request.tenantId,
            kind: target.kind,
            groupId: target.groupId,
          });
    const threshold = findSimilarThreshold(request, model);
    return rankSimilar(
      query.embedding,
      candidates.map((candidate) => candidate.embedding),
      similarityFor(threshold, model),
      request.maxNumOfCandidatesReturned,
    ).map(({ index, similarity }) => {
      const id = candidates[index]!.id;
      const confidence = confidenceOf(similarity, model);
      return target.kind === 'faceIds' ? { faceId: id, confidence } : { persistedFaceId: id, confidence };
    });
  }

  /** A large face list is searched in the snapshot of its last training, as identify searches a group's. */
  private async findSimilarInLargeFaceList(request: FindSimilarRequest, ref: GroupRef): Promise<SimilarFace[]> {
    const [faces, { recognitionModel, snapshot, deletedSinceTraining }] = await readTogether([
      this.detected.load(request.tenantId, [request.faceId], 'FACE_ID_NOT_FOUND'),
      this.snapshots.of(ref),
    ] as const);
    const query = faces[0]!;
    requireModel([query], recognitionModel, 'the large face list');
    const threshold = findSimilarThreshold(request, recognitionModel);
    const limit = request.maxNumOfCandidatesReturned;
    const first = await snapshot.rank(query.embedding, similarityFor(threshold, recognitionModel), limit);
    const exists = existenceCheck(deletedSinceTraining, (ids) => this.faceRepository.existingIn(ref, ids));
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
    const faces = await this.faceRepository.embeddingsOf(ref);
    if (faces.length === 0) throw new VisageError('FACE_LIST_EMPTY');
    return faces.map((face) => ({ id: face.persistedFaceId, embedding: face.embedding }));
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

/**
 * Which of the ids found in a snapshot still exist: all of them while no entry was deleted since its training
 * (no statement to run), else what `existing` reads.
 */
function existenceCheck(
  deletedSinceTraining: boolean,
  existing: (ids: string[]) => Promise<Set<string>>,
): (ids: string[]) => Promise<Set<string>> {
  return deletedSinceTraining ? existing : (ids) => Promise.resolve(new Set(ids));
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

/** matchPerson keeps candidates at or above the model's identify threshold; matchFace keeps any. */
function findSimilarThreshold(request: FindSimilarRequest, model: RecognitionModel): number {
  return request.mode === 'matchPerson' ? identifyConfidenceThresholds[model] : 0;
}

function verdict(similarity: number, model: RecognitionModel): VerifyResult {
  const confidence = confidenceOf(similarity, model);
  return { isIdentical: confidence >= verifyConfidenceThreshold, confidence };
}
