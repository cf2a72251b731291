import { Injectable } from '@nestjs/common';
import {
  Collections,
  defaultDetectionModel,
  isUuid,
  Limits,
  VisageError,
  type AddFaceReply,
  type EnrolmentTarget,
  type ExtractReply,
  type RecognitionModel,
  type FaceRectangle,
  type ListFaceView,
  type PersistedFaceView,
} from '#contracts';
import { MessageClient } from '#messaging';
import { sendOptions, type Caller } from '../common/caller';
import type { Dialect } from '../common/dialect';
import { idempotentWrite } from '../common/idempotent-write';
import { ExtractionScheduler } from '../extraction/extraction-scheduler';
import { GatewayConfig } from '../gateway.config';
import { imageBytesOf, type ImageInput } from '../common/image-input';
import type { GroupPath, PersonPath } from '../groups/collection-routes';
import { GroupModelCache } from '../groups/group-model.cache';
import { ImageFetcher } from '../images/image-fetcher';
import { isQualityAtLeast, qualityForRecognition } from '../detect/face-quality';
import type { ListQuery } from '../groups/groups.dto';
import type { AddFaceQuery, UpdateFaceBody } from './faces.dto';

/** Whose face it is: a person's (of a person group) or a face list's own. */
export type FaceOwner = PersonPath | GroupPath;

function isPerson(owner: FaceOwner): owner is PersonPath {
  return 'personId' in owner;
}

@Injectable()
export class FacesUseCases {
  constructor(
    private readonly rpc: MessageClient,
    private readonly images: ImageFetcher,
    private readonly extractions: ExtractionScheduler,
    private readonly groupModels: GroupModelCache,
    private readonly config: GatewayConfig,
  ) {}

  /**
   * Add a face: check the person (or list), extract the one face with the group's recognition model, then store
   * its vector through the person's (or list's) shard. The image is dropped as soon as the detector has answered.
   * The enrolment-quality minimum is the asking dialect's.
   */
  async add(
    caller: Caller,
    path: FaceOwner,
    image: ImageInput,
    query: AddFaceQuery,
    idempotencyKey: string | undefined,
    dialect: Dialect,
  ): Promise<AddFaceReply> {
    const targetFace = query.targetFace ? parseRectangle(query.targetFace) : undefined;
    const detectionModel = query.detectionModel ?? defaultDetectionModel;
    const bytes = await imageBytesOf(image, this.images);
    const ref = { tenantId: caller.tenantId, ...path };
    const extract = (recognitionModel: RecognitionModel) =>
      this.extractions.extract(caller, {
        image: bytes,
        detectionModel,
        recognitionModel,
        purpose: 'enrol',
        targetFace,
      });
    const checkTarget = () =>
      isPerson(ref)
        ? this.rpc.send('persons.enrolmentTarget', ref, sendOptions(caller))
        : this.rpc.send('lists.enrolmentTarget', ref, sendOptions(caller));

    const knownModel = this.groupModels.get(caller.tenantId, path);
    let target: EnrolmentTarget;
    let extracted: ExtractReply;
    if (knownModel) {
      // Both at once; the person check's error wins, as it would have come first.
      const [checked, extraction] = await Promise.allSettled([checkTarget(), extract(knownModel)]);
      if (checked.status === 'rejected') throw checked.reason;
      target = checked.value;
      extracted =
        target.recognitionModel === knownModel
          ? await settledValue(extraction)
          : await extract(target.recognitionModel);
    } else {
      target = await checkTarget();
      extracted = await extract(target.recognitionModel);
    }
    this.groupModels.remember(caller.tenantId, path, target.recognitionModel);
    // The store re-checks the limit under the person lock; this early refusal only spares a write. A keyed
    // retry of a write that already succeeded must still reach the store to get its first answer back.
    if (!idempotencyKey && target.faceCount >= faceLimitOf(path)) {
      throw new VisageError(isPerson(path) ? 'FACE_LIMIT_REACHED' : 'LIST_FACE_LIMIT_REACHED');
    }
    const face = extracted.faces[0];
    if (!face) throw new VisageError('NO_FACE_DETECTED');
    const minimum = dialect === 'azure' ? this.config.AZURE_ENROLMENT_MIN_QUALITY : this.config.ENROLMENT_MIN_QUALITY;
    const quality = qualityForRecognition(face);
    if (!isQualityAtLeast(quality, minimum)) {
      throw new VisageError(
        'FACE_QUALITY_TOO_LOW',
        `The face's qualityForRecognition is ${quality}; adding a face needs at least ${minimum}.`,
      );
    }
    const operation = isPerson(path) ? 'faces.add' : 'listFaces.add';
    const write = {
      ...idempotentWrite(caller, idempotencyKey, operation, path, bytes, query.userData, targetFace, detectionModel),
      userData: query.userData ?? null,
      detectionModel,
      recognitionModel: target.recognitionModel,
      faceRectangle: face.rectangle,
      embedding: face.embedding,
    };
    return isPerson(ref)
      ? this.rpc.send('faces.add', { ...ref, ...write }, sendOptions(caller))
      : this.rpc.send('listFaces.add', { ...ref, ...write }, sendOptions(caller));
  }

  /** A list's faces ordered by persistedFaceId, `top` (default 1,000) after `start`. */
  listFaces(caller: Caller, list: GroupPath, query: ListQuery): Promise<ListFaceView[]> {
    if (query.start && !isUuid(query.start))
      throw new VisageError('VALIDATION_ERROR', 'start must be a persistedFaceId.');
    const page = { start: query.start?.toLowerCase() || undefined, top: query.top ?? Limits.listTopMax };
    return this.rpc.send('listFaces.list', { tenantId: caller.tenantId, ...list, ...page }, sendOptions(caller));
  }

  getListFace(caller: Caller, list: GroupPath, persistedFaceId: string): Promise<ListFaceView> {
    return this.rpc.send('listFaces.get', { tenantId: caller.tenantId, ...list, persistedFaceId }, sendOptions(caller));
  }

  updateListFace(
    caller: Caller,
    list: GroupPath,
    persistedFaceId: string,
    body: UpdateFaceBody,
    idempotencyKey?: string,
  ): Promise<ListFaceView> {
    if (body.userData === undefined) throw new VisageError('VALIDATION_ERROR', 'Give userData (null removes it).');
    const change = { userData: body.userData };
    return this.rpc.send(
      'listFaces.update',
      {
        tenantId: caller.tenantId,
        ...list,
        persistedFaceId,
        ...change,
        ...idempotentWrite(caller, idempotencyKey, 'listFaces.update', list, persistedFaceId, change),
      },
      sendOptions(caller),
    );
  }

  async deleteListFace(caller: Caller, list: GroupPath, persistedFaceId: string, idempotencyKey?: string) {
    await this.rpc.send(
      'listFaces.delete',
      {
        tenantId: caller.tenantId,
        ...list,
        persistedFaceId,
        ...idempotentWrite(caller, idempotencyKey, 'listFaces.delete', list, persistedFaceId),
      },
      sendOptions(caller),
    );
  }

  get(caller: Caller, path: PersonPath, persistedFaceId: string): Promise<PersistedFaceView> {
    return this.rpc.send('faces.get', { tenantId: caller.tenantId, ...path, persistedFaceId }, sendOptions(caller));
  }

  update(
    caller: Caller,
    path: PersonPath,
    persistedFaceId: string,
    body: UpdateFaceBody,
    idempotencyKey?: string,
  ): Promise<PersistedFaceView> {
    // As for groups and persons: a body that changes nothing is a mistake, not a no-op.
    if (body.userData === undefined) throw new VisageError('VALIDATION_ERROR', 'Give userData (null removes it).');
    const change = { userData: body.userData };
    return this.rpc.send(
      'faces.update',
      {
        tenantId: caller.tenantId,
        ...path,
        persistedFaceId,
        ...change,
        ...idempotentWrite(caller, idempotencyKey, 'faces.update', path, persistedFaceId, change),
      },
      sendOptions(caller),
    );
  }

  async delete(caller: Caller, path: PersonPath, persistedFaceId: string, idempotencyKey?: string): Promise<void> {
    await this.rpc.send(
      'faces.delete',
      {
        tenantId: caller.tenantId,
        ...path,
        persistedFaceId,
        ...idempotentWrite(caller, idempotencyKey, 'faces.delete', path, persistedFaceId),
      },
      sendOptions(caller),
    );
  }
}

function faceLimitOf(owner: FaceOwner): number {
  return isPerson(owner) ? Limits.facesPerPerson : Collections[owner.kind].maxFaces!;
}

async function settledValue<T>(result: PromiseSettledResult<T>): Promise<T> {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

function parseRectangle(value: string): FaceRectangle {
  const [left, top, width, height] = value.split(',').map(Number) as [number, number, number, number];
  if (width <= 0 || height <= 0)
    throw new VisageError('VALIDATION_ERROR', 'targetFace width and height must be positive.');
  return { left, top, width, height };
}
