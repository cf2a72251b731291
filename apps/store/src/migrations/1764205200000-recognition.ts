import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Recognition1764205200000 implements MigrationInterface {
  name = 'Recognition1764205200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE detected_face (
        face_id uuid PRIMARY KEY,
        tenant_id text NOT NULL,
        recognition_model text NOT NULL,
        embedding bytea NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX detected_face_expiry_idx ON detected_face (expires_at)`);
    await queryRunner.query(`
      CREATE TABLE training (
        tenant_id text NOT NULL,
        group_id text NOT NULL,
        status text NOT NULL,
        message text,
        last_action_at timestamptz,
        last_success_at timestamptz,
        snapshot_version int NOT NULL DEFAULT 0,
        building_version int NOT NULL DEFAULT 0,
        lease_until timestamptz,
        PRIMARY KEY (tenant_id, group_id),
        FOREIGN KEY (tenant_id, group_id) REFERENCES large_person_group (tenant_id, group_id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX training_running_idx ON training (lease_until) WHERE status = 'running'`);
    await queryRunner.query(`
      CREATE TABLE training_snapshot_chunk (
        tenant_id text NOT NULL,
        group_id text NOT NULL,
        version int NOT NULL,
        chunk int NOT NULL,
        person_ids uuid[] NOT NULL,
        embeddings bytea NOT NULL,
        PRIMARY KEY (tenant_id, group_id, version, chunk),
        FOREIGN KEY (tenant_id, group_id) REFERENCES large_person_group (tenant_id, group_id) ON DELETE CASCADE
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE training_snapshot_chunk`);
    await queryRunner.query(`DROP TABLE training`);
    await queryRunner.query(`DROP TABLE detected_face`);
  }
}
