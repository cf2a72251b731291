import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Face lists hold faces of their own, with no person: the list counts them and owns them. */
export class FaceLists1764810000000 implements MigrationInterface {
  name = 'FaceLists1764810000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE collection ADD COLUMN face_count int NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE persisted_face ALTER COLUMN person_id DROP NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE persisted_face ADD CONSTRAINT persisted_face_owner_check
         CHECK ((person_id IS NULL) = (kind IN ('faceList', 'largeFaceList')))`,
    );
    await queryRunner.query(
      `ALTER TABLE persisted_face ADD FOREIGN KEY (tenant_id, kind, group_id)
         REFERENCES collection (tenant_id, kind, group_id) ON DELETE CASCADE`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM collection WHERE kind IN ('faceList', 'largeFaceList')`);
    await queryRunner.query(`ALTER TABLE persisted_face DROP CONSTRAINT persisted_face_tenant_id_kind_group_id_fkey`);
    await queryRunner.query(`ALTER TABLE persisted_face DROP CONSTRAINT persisted_face_owner_check`);
    await queryRunner.query(`ALTER TABLE persisted_face ALTER COLUMN person_id SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE collection DROP COLUMN face_count`);
  }
}
