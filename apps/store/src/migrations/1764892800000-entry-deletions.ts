import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A collection counts the entries (persons, or a face list's faces) ever deleted from it, and a training records
 * the count it started from: while the two agree, nothing its snapshot holds has been deleted since, and a search
 * need not check that the entries it found still exist.
 */
export class EntryDeletions1764892800000 implements MigrationInterface {
  name = 'EntryDeletions1764892800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE collection ADD COLUMN entries_deleted bigint NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE training ADD COLUMN snapshot_entries_deleted bigint`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE training DROP COLUMN snapshot_entries_deleted`);
    await queryRunner.query(`ALTER TABLE collection DROP COLUMN entries_deleted`);
  }
}
