/**
 * The faces of face lists and large face lists: no person, the list owns and counts them. Adding and deleting
 * are applied through the list's shard (one at a time per list), like a person's faces through the person's.
 */
import { Inject, Injectable } from '@nestjs/common';
import {
  Collections,
  VisageError,
  type AddFaceReply,
  type AddListFaceRequest,
  type EnrolmentTarget,
  type GroupRef,
  type IdempotentWrite,
  type ListFaceRef,
  type ListFaceView,
  type ListPage,
  type RecognitionModel,
  type UpdateListFaceRequest,
} from '#contracts';
import { Metrics } from '#observability';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE } from '../database/database.module';
import type { PersistedFaceEntity } from '../database/entities';
import { listFaceView } from '../database/views';
import { newFaceReply } from '../faces/face-write';
import { FacesRepository } from '../faces/faces.repository';
import { CollectionsRepository } from '../groups/collections.repository';
import { GroupsService } from '../groups/groups.service';
import { applyOnce, applyStatementOnce } from '../idempotency/applied-writes';

@Injectable()
export class ListFacesService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly groups: GroupsService,
  ) {}

  /** One statement (FacesRepository.addToList) checks the list and its face limit, adds and counts. */
  async add(request: AddListFaceRequest): Promise<AddFaceReply> {
    const reply = newFaceReply(request);
    const { maxFaces, title, errors } = listRules(request);
    return applyStatementOnce(
      request,
      () => new FacesRepository(this.dataSource.manager).addToList(request, reply, maxFaces!),
      ({ face_count, added }) => {
        if (face_count === null) throw new VisageError(errors.notFound);
        if (!added) {
          throw new VisageError(
            'LIST_FACE_LIMIT_REACHED',
            `The ${title.toLowerCase()} already holds ${maxFaces!.toLocaleString('en')} faces.`,
          );
        }
        Metrics.facesAdded.inc();
        return reply;
      },
    );
  }

  async delete(request: ListFaceRef & IdempotentWrite): Promise<{ deleted: true }> {
    listRules(request);
    return applyOnce(this.dataSource, request, async (manager) => {
      await this.groups.require(manager, request, 'update');
      if (!(await new FacesRepository(manager).deleteOfList(request))) {
        throw new VisageError('PERSISTED_FACE_NOT_FOUND');
      }
      await new CollectionsRepository(manager).countEntryDeleted(request);
      return { deleted: true as const };
    });
  }

  async get(ref: ListFaceRef): Promise<ListFaceView> {
    return listFaceView(await this.require(this.dataSource.manager, ref));
  }

  /** Ordered by persistedFaceId, as Azure pages them. */
  async list(request: GroupRef & ListPage): Promise<ListFaceView[]> {
    listRules(request);
    const manager = this.dataSource.manager;
    await this.groups.require(manager, request);
    return (await new FacesRepository(manager).pageOfList(request)).map(listFaceView);
  }

  async update(request: UpdateListFaceRequest): Promise<ListFaceView> {
    return applyOnce(this.dataSource, request, async (manager) => {
      const row = await this.require(manager, request);
      if (request.userData !== undefined) {
        row.userData = request.userData;
        await new FacesRepository(manager).updateUserData(row.persistedFaceId, row.userData);
      }
      return listFaceView(row);
    });
  }

  async enrolmentTarget(ref: GroupRef): Promise<EnrolmentTarget> {
    const list = await this.groups.require(this.dataSource.manager, ref);
    return { recognitionModel: list.recognitionModel as RecognitionModel, faceCount: list.faceCount };
  }

  private async require(manager: EntityManager, ref: ListFaceRef): Promise<PersistedFaceEntity> {
    listRules(ref);
    await this.groups.require(manager, ref);
    const row = await new FacesRepository(manager).findOfList(ref);
    if (!row) throw new VisageError('PERSISTED_FACE_NOT_FOUND');
    return row;
  }
}

/** The rules of a kind that holds faces; a kind that holds persons has no face list of this id. */
function listRules(ref: GroupRef) {
  const rules = Collections[ref.kind];
  if (rules.holds !== 'faces') throw new VisageError(rules.errors.notFound);
  return rules;
}
