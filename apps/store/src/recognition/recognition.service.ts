/** Identify (1:N against a group's last successful training) and verify (1:1), on faceIds from Detect. */
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  confidenceOf,
  identifyConfidenceThresholds,
  similarityFor,
  trainingErrorsOf,
  verifyConfidenceThreshold,
  VisageError,
  type IdentifyRequest,
  type GroupRef,
  type IdentifyCandidate,
  type IdentifyResult,
  type RecognitionModel,
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
      where: { tenantId: request.tenantId, kind: request.kind, groupId: request.groupId },
    });
    if (!training || training.snapshotVersion === 0 || training.snapshotId === null) {
      const errors = trainingErrorsOf(request.kind);
      throw new VisageError(training?.status === 'running' ? errors.inProgress : errors.notTrained);
    }
    const faces = await this.detected.load(request.tenantId, request.faceIds, 'FACE_ID_NOT_FOUND');
    requireModel(faces, group.recognitionModel as RecognitionModel, 'the group');
    const { snapshotVersion: version, snapshotId } = training;
    const snapshot = await this.snapshots.get(
      { tenantId: request.tenantId, kind: request.kind, groupId: request.groupId, snapshotId },
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
}

function personIdsOf(snapshot: TrainingSnapshot, ranking: Ranking): string[] {
  return ranking.persons.map(({ person }) => snapshot.personIds[person]!);
}

/** Names both models and the way out: the faceId's model is chosen at detect time. */
function requireModel(faces: DetectedFace[], model: RecognitionModel, against: 'the group' | 'faceId1'): void {
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

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}
