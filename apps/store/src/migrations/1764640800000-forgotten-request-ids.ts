import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A write's request id is remembered for 48 hours (applied_write); after that the same Idempotency-Key is a new
 * request, so a face's request id is no longer unique. Within the 48 hours applied_write's primary key is what
 * keeps a write from being applied twice.
 */
export class ForgottenRequestIds1764640800000 implements MigrationInterface {
  name = 'ForgottenRequestIds1764640800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE persisted_face DROP CONSTRAINT IF EXISTS persisted_face_request_id_key`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Fails while two faces share a request id (a key used again after it was forgotten).
    await queryRunner.query(
      `ALTER TABLE persisted_face ADD CONSTRAINT persisted_face_request_id_key UNIQUE (request_id)`,
    );
  }
}
