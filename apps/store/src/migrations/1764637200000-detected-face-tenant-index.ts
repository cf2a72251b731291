import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The per-tenant quota of live faceIds counts a tenant's unexpired faces at every Detect. */
export class DetectedFaceTenantIndex1764637200000 implements MigrationInterface {
  name = 'DetectedFaceTenantIndex1764637200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX detected_face_tenant_expiry_idx ON detected_face (tenant_id, expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX detected_face_tenant_expiry_idx`);
  }
}
