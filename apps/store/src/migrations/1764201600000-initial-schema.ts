import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764201600000 implements MigrationInterface {
  name = 'InitialSchema1764201600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE large_person_group (
        tenant_id text NOT NULL,
        group_id text NOT NULL,
        name text NOT NULL,
        user_data text,
        recognition_model text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, group_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE person (
        person_id uuid PRIMARY KEY,
        tenant_id text NOT NULL,
        group_id text NOT NULL,
        name text NOT NULL,
        user_data text,
        face_count int NOT NULL DEFAULT 0 CHECK (face_count >= 0 AND face_count <= 248),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        FOREIGN KEY (tenant_id, group_id) REFERENCES large_person_group (tenant_id, group_id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX person_group_idx ON person (tenant_id, group_id, person_id)`);
    await queryRunner.query(`
      CREATE TABLE persisted_face (
        persisted_face_id uuid PRIMARY KEY,
        person_id uuid NOT NULL REFERENCES person (person_id) ON DELETE CASCADE,
        tenant_id text NOT NULL,
        group_id text NOT NULL,
        user_data text,
        detection_model text NOT NULL,
        recognition_model text NOT NULL,
        face_rectangle jsonb NOT NULL,
        embedding bytea NOT NULL,
        request_id text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX persisted_face_person_idx ON persisted_face (person_id, created_at)`);
    await queryRunner.query(`CREATE INDEX persisted_face_group_idx ON persisted_face (tenant_id, group_id)`);
    await queryRunner.query(`
      CREATE TABLE applied_write (
        request_id text PRIMARY KEY,
        fingerprint text NOT NULL,
        reply jsonb NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX applied_write_created_idx ON applied_write (created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE applied_write`);
    await queryRunner.query(`DROP TABLE persisted_face`);
    await queryRunner.query(`DROP TABLE person`);
    await queryRunner.query(`DROP TABLE large_person_group`);
  }
}
