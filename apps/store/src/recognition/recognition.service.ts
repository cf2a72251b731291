/** Identify (1:N against a group's last successful training) and verify (1:1), on faceIds from Detect. */
import { Inject, Injectable } from '@nestjs/common';
import {
  confidenceOf,
  defaultConfidenceThreshold,
  similarityFor,
  VisageError,
  type IdentifyRequest,
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
import { TrainingService } from '../training/training.service';

@Injectable()
export class RecognitionService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly groups: GroupsService,
    private readonly persons: PersonsService,
    private readonly detected: DetectedFacesService,
    private readonly training: TrainingService,
  ) {}

  async identify(request: IdentifyRequest): Promise<IdentifyResult[]> {
    const manager = this.dataSource.manager;
    const group = await this.groups.require(manager, request);
    const training = await manager.findOne(TrainingEntity, {
      where: { tenantId: request.tenantId, groupId: request.groupId },
    });
    if (!training || training.snapshotVersion === 0) {
      throw new VisageError(training?.status === 'running' ? 'TRAINING_IN_PROGRESS' : 'GROUP_NOT_TRAINED');
    }
    const faces = await this.detected.load(request.tenantId, request.faceIds, 'FACE_ID_NOT_FOUND');
    requireModel(faces, group.recognitionModel as RecognitionModel);
    const snapshot = await this.training.snapshot(request, training.snapshotVersion);
    const threshold = request.confidenceThreshold ?? defaultConfidenceThreshold;

    // Compare similarities first and build candidates only for persons above the threshold: groups are large.
    const minSimilarity = similarityFor(threshold);
    const ranked = faces.map((face) => {
      const best = snapshot.bestSimilarityPerPerson(face.embedding);
      const passing: number[] = [];
      for (let i = 0; i < best.length; i++) if (best[i]! >= minSimilarity) passing.push(i);
      return passing
        .sort((a, b) => best[b]! - best[a]!)
        .map((i) => ({ personId: snapshot.personIds[i]!, confidence: confidenceOf(best[i]!) }))
        .filter((c) => c.confidence >= threshold);
    });
    // Persons deleted since the training are left out (their faces stay in the snapshot until the next one).
    const mentioned = [...new Set(ranked.flatMap((list) => list.map((c) => c.personId)))];
    const existing = new Set(
      mentioned.length === 0
        ? []
        : (
            await manager.find(PersonEntity, {
              select: { personId: true },
              where: { tenantId: request.tenantId, groupId: request.groupId, personId: In(mentioned) },
            })
          ).map((p) => p.personId),
    );
    return faces.map((face, i) => ({
      faceId: face.faceId,
      candidates: ranked[i]!.filter((c) => existing.has(c.personId)).slice(0, request.maxNumOfCandidatesReturned),
    }));
  }

  async verify(request: VerifyRequest): Promise<VerifyResult> {
    if ('faceId1' in request) {
      const faces = await this.detected.load(
        request.tenantId,
        [request.faceId1, request.faceId2],
        'VERIFY_FACE_ID_NOT_FOUND',
      );
      requireModel(faces, faces[0]!.recognitionModel);
      return verdict(dot(faces[0]!.embedding, faces[1]!.embedding));
    }
    const manager = this.dataSource.manager;
    const group = await this.groups.require(manager, { tenantId: request.tenantId, groupId: request.groupId });
    await this.persons.require(manager, {
      tenantId: request.tenantId,
      groupId: request.groupId,
      personId: request.personId,
    });
    const faces = await this.detected.load(request.tenantId, [request.faceId], 'VERIFY_FACE_ID_NOT_FOUND');
    requireModel(faces, group.recognitionModel as RecognitionModel);
    const enrolled = await manager.find(PersistedFaceEntity, {
      select: { persistedFaceId: true, embedding: true },
      where: { personId: request.personId },
    });
    if (enrolled.length === 0) throw new VisageError('PERSISTED_FACE_NOT_FOUND', 'The person has no faces.');
    const query = faces[0]!.embedding;
    const best = Math.max(...enrolled.map((face) => dot(query, littleEndianToFloat32(face.embedding))));
    return verdict(best);
  }
}

function requireModel(faces: DetectedFace[], model: RecognitionModel): void {
  if (faces.some((face) => face.recognitionModel !== model)) throw new VisageError('RECOGNITION_MODEL_MISMATCH');
}

function verdict(similarity: number): VerifyResult {
  const confidence = confidenceOf(similarity);
  return { isIdentical: confidence >= defaultConfidenceThreshold, confidence };
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}
