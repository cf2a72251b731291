import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The per-tenant quota of live faceIds: a running count per tenant (counting a tenant's rows at every Detect
 * costs time in proportion to them), and an index to purge one tenant's expired faceIds when it is at its quota.
 */
export class DetectedFaceTally1764637200000 implements MigrationInterface {
  name = 'DetectedFaceTally1764637200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE detected_face_tally (tenant_id text PRIMARY KEY, stored int NOT NULL)`);
    await queryRunner.query(
      `INSERT INTO detected_face_tally (tenant_id, stored) SELECT tenant_id, count(*) FROM detected_face GROUP BY 1`,
    );
    await queryRunner.query(`CREATE INDEX detected_face_tenant_expiry_idx ON detected_face (tenant_id, expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX detected_face_tenant_expiry_idx`);
    await queryRunner.query(`DROP TABLE detected_face_tally`);
  }
}
