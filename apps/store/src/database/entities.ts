/** Postgres tables. Only feature vectors are stored: no image byte ever reaches the database. */
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { FaceRectangle } from '#contracts';

@Entity('large_person_group')
export class LargePersonGroupEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ name: 'group_id', type: 'text' })
  groupId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'user_data', type: 'text', nullable: true })
  userData!: string | null;

  @Column({ name: 'recognition_model', type: 'text' })
  recognitionModel!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity('person')
@Index(['tenantId', 'groupId', 'personId'])
export class PersonEntity {
  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @Column({ name: 'group_id', type: 'text' })
  groupId!: string;

  @ManyToOne(() => LargePersonGroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'tenant_id', referencedColumnName: 'tenantId' },
    { name: 'group_id', referencedColumnName: 'groupId' },
  ])
  group?: LargePersonGroupEntity;

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

  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @ManyToOne(() => PersonEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id' })
  person?: PersonEntity;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

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

  /** The write that created this face; unique, so a redelivered add can never insert twice. */
  @Column({ name: 'request_id', type: 'text', unique: true })
  requestId!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** The first result of every person-level write, keyed by its request id (Idempotency-Key or generated). */
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

export const entities = [LargePersonGroupEntity, PersonEntity, PersistedFaceEntity, AppliedWriteEntity];
