import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A trained snapshot gets an id no other training can repeat: versions restart at 1 when a group is deleted and
 * created again, so (group, version) cannot tell the two apart in a store's memory. A running training gets the
 * token of the store process that builds it, so a process that lost its lease cannot finish it.
 */
export class SnapshotIdentity1764720000000 implements MigrationInterface {
  name = 'SnapshotIdentity1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE training ADD COLUMN snapshot_id uuid, ADD COLUMN lease_token uuid`);
    await queryRunner.query(`UPDATE training SET snapshot_id = gen_random_uuid() WHERE snapshot_version > 0`);
    await queryRunner.query(`UPDATE training SET lease_token = gen_random_uuid() WHERE status = 'running'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE training DROP COLUMN snapshot_id, DROP COLUMN lease_token`);
  }
}
