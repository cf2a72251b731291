/**
 * The medium tier's store: the store services wired together by hand over a fresh, migrated Postgres database
 * of their own (no HTTP, no broker, no detector), as StoreModule wires them in the running service. Each test
 * file opens one and closes it, which drops the database.
 */
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { CollectionKind, GroupRef, IdempotentWrite, RecognitionModel } from '#contracts';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { syntheticEmbedding } from '../../../../test/support/rpc';
import { postgresUrl, waitFor } from '../../../../test/support/stack';
import { openDatabase } from '../../src/database/data-source';
import { DetectedFacesService } from '../../src/detected-faces/detected-faces.service';
import { FacesService } from '../../src/faces/faces.service';
import { GroupDeletions } from '../../src/groups/group-deletions';
import { GroupsService } from '../../src/groups/groups.service';
import { ListFacesService } from '../../src/list-faces/list-faces.service';
import { PersonsService } from '../../src/persons/persons.service';
import { RecognitionService } from '../../src/recognition/recognition.service';
import { Scheduler } from '../../src/scheduling/scheduler';
import { SnapshotCache } from '../../src/search/snapshot-cache';
import { TrainedSnapshots } from '../../src/search/trained-snapshots';
import type { TrainingSnapshot } from '../../src/training/training-snapshot';
import { TrainingService } from '../../src/training/training.service';

export const model: RecognitionModel = 'recognition_01';

// A finished training logs a line; the tests' own output is what matters here.
Logger.overrideLogger(['error', 'warn']);

export class StoreHarness {
  readonly groups: GroupsService;
  readonly persons: PersonsService;
  readonly faces: FacesService;
  readonly listFaces: ListFacesService;
  readonly detected: DetectedFacesService;
  readonly training: TrainingService;
  readonly recognition: RecognitionService;

  private readonly scheduler = new Scheduler();

  private constructor(
    readonly dataSource: DataSource,
    private readonly database: string,
  ) {
    const deletions = new GroupDeletions();
    this.groups = new GroupsService(dataSource, deletions);
    this.persons = new PersonsService(dataSource, this.groups);
    this.faces = new FacesService(dataSource, this.persons);
    this.listFaces = new ListFacesService(dataSource, this.groups);
    this.detected = new DetectedFacesService(dataSource, { quota: 10_000, purgeBatchSize: 5_000 });
    this.training = new TrainingService(dataSource, { leaseMs: 30_000, concurrency: 2 }, this.groups, this.scheduler);
    const snapshots = new TrainedSnapshots(dataSource, new SnapshotCache<TrainingSnapshot>(64 * 1024 * 1024));
    deletions.onDeleted((ref) => snapshots.evict(ref));
    this.recognition = new RecognitionService(dataSource, this.groups, this.persons, this.detected, snapshots);
  }

  /** A new database on the test Postgres, migrated as the store migrates its own at start. */
  static async open(): Promise<StoreHarness> {
    const database = `visage_medium_${randomBytes(4).toString('hex')}`;
    return new StoreHarness(await openDatabase(`${postgresUrl}/${database}`, 4), database);
  }

  async close(): Promise<void> {
    await this.scheduler.onApplicationShutdown();
    await this.dataSource.destroy();
    const admin = new Client({ connectionString: `${postgresUrl}/postgres` });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${this.database}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.dataSource.query(sql, params)) as T[];
  }

  /** Rows of `table` that belong to the collection. */
  async countOf(
    table: 'person' | 'persisted_face' | 'training' | 'training_snapshot_chunk',
    ref: GroupRef,
  ): Promise<number> {
    const [row] = await this.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1 AND kind = $2 AND group_id = $3`,
      [ref.tenantId, ref.kind, ref.groupId],
    );
    return row!.n;
  }

  async createCollection(ref: GroupRef, name = ref.groupId): Promise<void> {
    await this.groups.create({ ...ref, ...write(), name, recognitionModel: model });
  }

  async createPerson(ref: GroupRef): Promise<string> {
    return (await this.persons.create({ ...ref, ...write(), name: 'person' })).personId;
  }

  /** Adds a face to a person, or to a face list when `personId` is absent; answers its persistedFaceId. */
  async addFace(ref: GroupRef, embedding: Float32Array, personId?: string): Promise<string> {
    const face = { ...write(), detectionModel: 'detection_01' as const, recognitionModel: model, embedding };
    const faceRectangle = { left: 10, top: 20, width: 100, height: 120 };
    const reply = personId
      ? await this.faces.add({ ...ref, ...face, personId, faceRectangle })
      : await this.listFaces.add({ ...ref, ...face, faceRectangle });
    return reply.persistedFaceId;
  }

  /** A faceId for the vector, as Detect saves it. */
  async detect(tenantId: string, embedding: Float32Array, recognitionModel = model): Promise<string> {
    const { faceIds } = await this.detected.save({
      tenantId,
      recognitionModel,
      ttlSeconds: 600,
      embeddings: [embedding],
    });
    return faceIds[0]!;
  }

  /** Starts a training and waits for it to succeed. */
  async train(ref: GroupRef): Promise<void> {
    await this.training.start({ ...ref, ...write() });
    await this.trained(ref);
  }

  /** Waits for the collection's training to succeed; fails at once if it fails. */
  async trained(ref: GroupRef): Promise<void> {
    await waitFor(
      async () => {
        const { status, message } = await this.training.status(ref);
        if (status === 'failed') throw new Error(`training failed: ${message}`);
        return status === 'succeeded';
      },
      30_000,
      `training of ${ref.kind} ${ref.groupId}`,
    );
  }
}

/** A fresh request id, as the gateway gives every write without an Idempotency-Key. */
export function write(): IdempotentWrite {
  const requestId = randomUUID();
  return { requestId, fingerprint: requestId };
}

export function refOf(tenantId: string, kind: CollectionKind, groupId: string): GroupRef {
  return { tenantId, kind, groupId };
}

/** A unit vector close to `vector` (cosine about 0.995): another photo of the same face. */
export function near(vector: Float32Array): Float32Array {
  const noise = syntheticEmbedding(vector.length);
  const mixed = vector.map((v, i) => v + 0.1 * noise[i]!);
  const norm = Math.hypot(...mixed);
  return mixed.map((v) => v / norm);
}

export { syntheticEmbedding };
