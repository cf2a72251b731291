import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Large person groups become one kind of collection: every row that belonged to a group now names its
 * collection by kind as well as id, because each kind has its own id namespace.
 */
export class CollectionKinds1764806400000 implements MigrationInterface {
  name = 'CollectionKinds1764806400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE person DROP CONSTRAINT person_tenant_id_group_id_fkey`);
    await queryRunner.query(`ALTER TABLE training DROP CONSTRAINT training_tenant_id_group_id_fkey`);
    await queryRunner.query(
      `ALTER TABLE training_snapshot_chunk DROP CONSTRAINT training_snapshot_chunk_tenant_id_group_id_fkey1`,
    );
    await queryRunner.query(`ALTER TABLE large_person_group RENAME TO collection`);
    await queryRunner.query(`ALTER TABLE collection DROP CONSTRAINT large_person_group_pkey`);
    for (const table of ['collection', 'person', 'persisted_face', 'training', 'training_snapshot_chunk']) {
      // Every existing row belongs to a large person group; new rows must say their kind.
      await queryRunner.query(`ALTER TABLE ${table} ADD COLUMN kind text NOT NULL DEFAULT 'largePersonGroup'`);
      await queryRunner.query(`ALTER TABLE ${table} ALTER COLUMN kind DROP DEFAULT`);
    }
    await queryRunner.query(`ALTER TABLE collection ADD PRIMARY KEY (tenant_id, kind, group_id)`);
    await queryRunner.query(`ALTER TABLE training DROP CONSTRAINT training_pkey`);
    await queryRunner.query(`ALTER TABLE training ADD PRIMARY KEY (tenant_id, kind, group_id)`);
    await queryRunner.query(`ALTER TABLE training_snapshot_chunk DROP CONSTRAINT training_snapshot_chunk_pkey`);
    await queryRunner.query(
      `ALTER TABLE training_snapshot_chunk ADD PRIMARY KEY (tenant_id, kind, group_id, version, chunk)`,
    );
    for (const table of ['person', 'training', 'training_snapshot_chunk']) {
      await queryRunner.query(
        `ALTER TABLE ${table} ADD FOREIGN KEY (tenant_id, kind, group_id)
           REFERENCES collection (tenant_id, kind, group_id) ON DELETE CASCADE`,
      );
    }
    await queryRunner.query(`DROP INDEX person_group_idx`);
    await queryRunner.query(`CREATE INDEX person_collection_idx ON person (tenant_id, kind, group_id, person_id)`);
    await queryRunner.query(`DROP INDEX persisted_face_group_idx`);
    await queryRunner.query(
      `CREATE INDEX persisted_face_collection_idx ON persisted_face (tenant_id, kind, group_id, persisted_face_id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Only large person groups existed before; the other kinds go with their rows.
    await queryRunner.query(`DELETE FROM collection WHERE kind <> 'largePersonGroup'`);
    await queryRunner.query(`DELETE FROM persisted_face WHERE kind <> 'largePersonGroup'`);
    for (const table of ['person', 'training', 'training_snapshot_chunk']) {
      await queryRunner.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_tenant_id_kind_group_id_fkey`);
    }
    await queryRunner.query(`DROP INDEX persisted_face_collection_idx`);
    await queryRunner.query(`CREATE INDEX persisted_face_group_idx ON persisted_face (tenant_id, group_id)`);
    await queryRunner.query(`DROP INDEX person_collection_idx`);
    await queryRunner.query(`CREATE INDEX person_group_idx ON person (tenant_id, group_id, person_id)`);
    await queryRunner.query(`ALTER TABLE training_snapshot_chunk DROP CONSTRAINT training_snapshot_chunk_pkey`);
    await queryRunner.query(
      `ALTER TABLE training_snapshot_chunk ADD PRIMARY KEY (tenant_id, group_id, version, chunk)`,
    );
    await queryRunner.query(`ALTER TABLE training DROP CONSTRAINT training_pkey`);
    await queryRunner.query(`ALTER TABLE training ADD PRIMARY KEY (tenant_id, group_id)`);
    await queryRunner.query(`ALTER TABLE collection DROP CONSTRAINT collection_pkey`);
    for (const table of ['collection', 'person', 'persisted_face', 'training', 'training_snapshot_chunk']) {
      await queryRunner.query(`ALTER TABLE ${table} DROP COLUMN kind`);
    }
    await queryRunner.query(`ALTER TABLE collection RENAME TO large_person_group`);
    await queryRunner.query(
      `ALTER TABLE large_person_group ADD CONSTRAINT large_person_group_pkey PRIMARY KEY (tenant_id, group_id)`,
    );
    for (const table of ['person', 'training', 'training_snapshot_chunk']) {
      await queryRunner.query(
        `ALTER TABLE ${table} ADD FOREIGN KEY (tenant_id, group_id)
           REFERENCES large_person_group (tenant_id, group_id) ON DELETE CASCADE`,
      );
    }
  }
}
