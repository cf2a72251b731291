/** Postgres tables. Only feature vectors are stored: no image byte ever reaches the database. */
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { CollectionKind, FaceRectangle } from '#contracts';

/** A person group or face list of any kind (its `kind`); ids are unique within a tenant and kind. */
@Entity('collection')
export class CollectionEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ type: 'text' })
  kind!: CollectionKind;

  @PrimaryColumn({ name: 'group_id', type: 'text' })
  groupId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'user_data', type: 'text', nullable: true })
  userData!: string | null;

  @Column({ name: 'recognition_model', type: 'text' })
  recognitionModel!: string;

  /** Faces of a face list; persons count their own. */
  @Column({ name: 'face_count', type: 'int', default: 0 })
  faceCount!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity('person')
@Index(['tenantId', 'kind', 'groupId', 'personId'])
export class PersonEntity {
  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @Column({ type: 'text' })
  kind!: CollectionKind;

  @Column({ name: 'group_id', type: 'text' })
  groupId!: string;

  @ManyToOne(() => CollectionEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'tenant_id', referencedColumnName: 'tenantId' },
    { name: 'kind', referencedColumnName: 'kind' },
    { name: 'group_id', referencedColumnName: 'groupId' },
  ])
  group?: CollectionEntity;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'user_data', type: 'text', nullable: true })
  userData!: string | null;

  @Column({ name: 'face_count', type: 'int', default: 0 })
  faceCount!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity('persisted_face')
@Index(['personId', 'createdAt'])
export class PersistedFaceEntity {
  @PrimaryColumn({ name: 'persisted_face_id', type: 'uuid' })
  persistedFaceId!: string;

  /** Null for the faces of a face list. */
  @Column({ name: 'person_id', type: 'uuid', nullable: true })
  personId!: string | null;

  @ManyToOne(() => PersonEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id' })
  person?: PersonEntity;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @Column({ type: 'text' })
  kind!: CollectionKind;

  @Column({ name: 'group_id', type: 'text' })
  groupId!: string;

  @Column({ name: 'user_data', type: 'text', nullable: true })
  userData!: string | null;

  @Column({ name: 'detection_model', type: 'text' })
  detectionModel!: string;

  @Column({ name: 'recognition_model', type: 'text' })
  recognitionModel!: string;

  @Column({ name: 'face_rectangle', type: 'jsonb' })
  faceRectangle!: FaceRectangle;

  /** L2-normalised float32 little-endian vector. */
  @Column({ type: 'bytea' })
  embedding!: Buffer;

  /**
   * The write that created this face. Not unique: a request id is remembered for 48 hours (applied_write), and
   * after that the same Idempotency-Key is a new request.
   */
  @Column({ name: 'request_id', type: 'text' })
  requestId!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** The first result of every write, keyed by its request id (Idempotency-Key or generated); pruned after 48 h. */
@Entity('applied_write')
export class AppliedWriteEntity {
  @PrimaryColumn({ name: 'request_id', type: 'text' })
  requestId!: string;

  /** Hash of what the request asked for: the same key with a different request is refused. */
  @Column({ type: 'text' })
  fingerprint!: string;

  @Column({ type: 'jsonb' })
  reply!: unknown;

  @Column({ name: 'created_at', type: 'timestamptz' })
  @Index()
  createdAt!: Date;
}

/** A face from Detect: a temporary handle (faceId) to its vector, gone after its time to live. */
@Entity('detected_face')
export class DetectedFaceEntity {
  @PrimaryColumn({ name: 'face_id', type: 'uuid' })
  faceId!: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @Column({ name: 'recognition_model', type: 'text' })
  recognitionModel!: string;

  @Column({ type: 'bytea' })
  embedding!: Buffer;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}

/** The training state of a group; the snapshot it points to is what identify reads. */
@Entity('training')
export class TrainingEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ type: 'text' })
  kind!: CollectionKind;

  @PrimaryColumn({ name: 'group_id', type: 'text' })
  groupId!: string;

  @Column({ type: 'text' })
  status!: 'running' | 'succeeded' | 'failed';

  @Column({ type: 'text', nullable: true })
  message!: string | null;

  @Column({ name: 'last_action_at', type: 'timestamptz', nullable: true })
  lastActionAt!: Date | null;

  @Column({ name: 'last_success_at', type: 'timestamptz', nullable: true })
  lastSuccessAt!: Date | null;

  /** Version of the last successful snapshot; 0 = none. */
  @Column({ name: 'snapshot_version', type: 'int' })
  snapshotVersion!: number;

  /** Id of the last successful snapshot, unique across trainings and incarnations of the group; null = none. */
  @Column({ name: 'snapshot_id', type: 'uuid', nullable: true })
  snapshotId!: string | null;

  /** Version the running training writes. */
  @Column({ name: 'building_version', type: 'int' })
  buildingVersion!: number;

  /** A running training whose lease has passed lost its store process and is taken over. */
  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil!: Date | null;

  /** Held by the store process building the running training; only that process may renew or finish it. */
  @Column({ name: 'lease_token', type: 'uuid', nullable: true })
  leaseToken!: string | null;
}

/**
 * One part of a trained snapshot (training/snapshot-encoding.ts): consecutive persons with the int8 codes of
 * all their faces. Written and read with SQL in training/snapshot-storage.ts.
 */
@Entity('training_snapshot_chunk')
export class TrainingSnapshotChunkEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ type: 'text' })
  kind!: CollectionKind;

  @PrimaryColumn({ name: 'group_id', type: 'text' })
  groupId!: string;

  @PrimaryColumn({ type: 'int' })
  version!: number;

  @PrimaryColumn({ type: 'int' })
  chunk!: number;

  /** Distinct persons, in row order. */
  @Column({ name: 'person_ids', type: 'uuid', array: true })
  personIds!: string[];

  @Column({ name: 'face_counts', type: 'int', array: true })
  faceCounts!: number[];

  @Column({ type: 'bytea' })
  codes!: Buffer;

  @Column({ name: 'residual_codes', type: 'bytea' })
  residualCodes!: Buffer;

  /** float32 LE, one per face. */
  @Column({ type: 'bytea' })
  scales!: Buffer;

  @Column({ name: 'residual_scales', type: 'bytea' })
  residualScales!: Buffer;

  @Column({ name: 'row_norm', type: 'double precision' })
  rowNorm!: number;

  @Column({ name: 'residual_norm', type: 'double precision' })
  residualNorm!: number;

  @Column({ name: 'refined_residual_norm', type: 'double precision' })
  refinedResidualNorm!: number;
}

export const entities = [
  CollectionEntity,
  PersonEntity,
  PersistedFaceEntity,
  AppliedWriteEntity,
  DetectedFaceEntity,
  TrainingEntity,
  TrainingSnapshotChunkEntity,
];
