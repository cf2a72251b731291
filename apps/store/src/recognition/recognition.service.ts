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
  verifyConfidenceThreshold,
  VisageError,
  type FaceGrouping,
  type FindSimilarRequest,
  type GroupFacesRequest,
  type IdentifyRequest,
  type GroupRef,
  type IdentifyCandidate,
  type IdentifyResult,
  type RecognitionModel,
  type SimilarFace,
  type VerifyRequest,
  type VerifyResult,
} from '#contracts';
import { littleEndianToFloat32 } from '#messaging';
import { In, type DataSource } from 'typeorm';
import { DATA_SOURCE } from '../database/database.module';
import { PersistedFaceEntity, PersonEntity, TrainingEntity } from '../database/entities';
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
    const manager = this.dataSource.manager;
    const group = await this.groups.require(manager, request);
    const training = await manager.findOne(TrainingEntity, {
      where: { tenantId: request.tenantId, groupId: request.groupId },
    });
    if (!training || training.snapshotVersion === 0 || training.snapshotId === null) {
      throw new VisageError(training?.status === 'running' ? 'TRAINING_IN_PROGRESS' : 'GROUP_NOT_TRAINED');
    }
    const faces = await this.detected.load(request.tenantId, request.faceIds, 'FACE_ID_NOT_FOUND');
    requireModel(faces, group.recognitionModel as RecognitionModel, 'the group');
    const { snapshotVersion: version, snapshotId } = training;
    const snapshot = await this.snapshots.get(
      { tenantId: request.tenantId, groupId: request.groupId, snapshotId },
      async () => TrainingSnapshot.fromParts(version, await loadSnapshotParts(manager, request, version)),
    );
    const model = group.recognitionModel as RecognitionModel;
    const threshold = request.confidenceThreshold ?? identifyConfidenceThresholds[model];
    const limit = request.maxNumOfCandidatesReturned;
    // All the faces in one pass over the snapshot.
    const rankings = await snapshot.rankAll(
      faces.map((face) => face.embedding),
      similarityFor(threshold, model),
      limit,
    );
    // One lookup of which ranked persons still exist, for all the faces.
    const ranked = rankings.flatMap((ranking) => personIdsOf(snapshot, ranking));
    const existing = await this.existingPersons(request, [...new Set(ranked)]);
    const results: IdentifyResult[] = [];
    for (const [i, face] of faces.entries()) {
      results.push({
        faceId: face.faceId,
        candidates: await this.candidates(request, snapshot, face, threshold, limit, rankings[i]!, existing),
      });
    }
    return results;
  }

  /**
   * The best persons for one face, from its first ranking and which of them exist. Persons deleted since the
   * training are left out (their faces stay in the snapshot until the next one), so when some of a full ranking
   * are gone, a longer ranking is asked for.
   */
  private async candidates(
    ref: GroupRef,
    snapshot: TrainingSnapshot,
    face: DetectedFace,
    threshold: number,
    limit: number,
    first: Ranking,
    existingInFirst: Set<string>,
  ): Promise<IdentifyCandidate[]> {
    let ranking = first;
    let existing = existingInFirst;
    for (let wanted = limit; ;) {
      const ids = personIdsOf(snapshot, ranking);
      const candidates = ranking.persons
        .map((ranked, i) => ({ personId: ids[i]!, confidence: confidenceOf(ranked.similarity, face.recognitionModel) }))
        .filter((candidate) => existing.has(candidate.personId) && candidate.confidence >= threshold);
      if (candidates.length >= limit || ranking.complete) return candidates.slice(0, limit);
      wanted *= 4;
      ranking = await snapshot.rank(face.embedding, similarityFor(threshold, face.recognitionModel), wanted);
      existing = await this.existingPersons(ref, personIdsOf(snapshot, ranking));
    }
  }

  private async existingPersons(ref: GroupRef, personIds: string[]): Promise<Set<string>> {
    if (personIds.length === 0) return new Set();
    const rows = await this.dataSource.manager.find(PersonEntity, {
      select: { personId: true },
      where: { tenantId: ref.tenantId, groupId: ref.groupId, personId: In(personIds) },
    });
    return new Set(rows.map((p) => p.personId));
  }

  /** Drops the snapshots of groups deleted, or trained again, through another store process. */
  async dropStaleSnapshots(): Promise<void> {
    const held = this.snapshots.held();
    if (held.length === 0) return;
    try {
      const current: { tenant_id: string; group_id: string; snapshot_id: string }[] = await this.dataSource.query(
        `SELECT t.tenant_id, t.group_id, t.snapshot_id FROM training t
         JOIN unnest($1::text[], $2::text[]) AS h(tenant_id, group_id) USING (tenant_id, group_id)`,
        [held.map((ref) => ref.tenantId), held.map((ref) => ref.groupId)],
      );
      const live = new Set(current.map((row) => `${row.tenant_id}\0${row.group_id}\0${row.snapshot_id}`));
      for (const ref of held) {
        if (!live.has(`${ref.tenantId}\0${ref.groupId}\0${ref.snapshotId}`)) this.snapshots.evictGroup(ref, 'stale');
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
    const group = await this.groups.require(manager, { tenantId: request.tenantId, groupId: request.groupId });
    await this.persons.require(manager, {
      tenantId: request.tenantId,
      groupId: request.groupId,
      personId: request.personId,
    });
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
    const target = request.target;
    switch (target.kind) {
      case 'faceList':
        throw new VisageError('FACE_LIST_NOT_FOUND', `Face list ${target.faceListId} is not found.`);
      case 'largeFaceList':
        throw new VisageError('LARGE_FACE_LIST_NOT_FOUND', `Large face list ${target.largeFaceListId} is not found.`);
      case 'faceIds':
        break;
    }
    const candidateIds = target.faceIds.filter((faceId) => faceId !== query.faceId);
    const candidates =
      candidateIds.length === 0 ? [] : await this.detected.load(request.tenantId, candidateIds, 'FACE_ID_NOT_FOUND');
    const model = query.recognitionModel;
    requireModel(candidates, model, 'the query faceId');
    const minSimilarity =
      request.mode === 'matchPerson' ? similarityFor(identifyConfidenceThresholds[model], model) : -Infinity;
    return rankSimilar(
      query.embedding,
      candidates.map((face) => face.embedding),
      minSimilarity,
      request.maxNumOfCandidatesReturned,
    ).map(({ index, similarity }) => ({
      faceId: candidates[index]!.faceId,
      confidence: confidenceOf(similarity, model),
    }));
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

function personIdsOf(snapshot: TrainingSnapshot, ranking: Ranking): string[] {
  return ranking.persons.map(({ person }) => snapshot.personIds[person]!);
}

/** Names both models and the way out: the faceId's model is chosen at detect time. */
function requireModel(
  faces: DetectedFace[],
  model: RecognitionModel,
  against: 'the group' | 'faceId1' | 'the query faceId' | 'the first faceId',
): void {
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
