/** Large groups seeded straight into Postgres: enrolling that many faces through the detector would take hours. */

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * `faces` faces spread evenly over `persons` persons of an existing group (tenant `default`), all with the same
 * vector. `marker` (0-9) keeps the person ids of groups seeded in one database apart.
 */
export async function seedFaces(
  db: Queryable,
  groupId: string,
  { persons, faces, marker }: { persons: number; faces: number; marker: number },
): Promise<void> {
  const personId = (n: string) => `('00000000-0000-4000-800${marker}-' || lpad(to_hex(${n}), 12, '0'))::uuid`;
  await db.query(
    `INSERT INTO person (person_id, tenant_id, kind, group_id, name, face_count, created_at, updated_at)
     SELECT ${personId('i')}, 'default', 'largePersonGroup', $1, 'p' || i, 0, now(), now() FROM generate_series(1, $2::int) i`,
    [groupId, persons],
  );
  await db.query(
    `INSERT INTO persisted_face (persisted_face_id, person_id, tenant_id, kind, group_id, detection_model,
       recognition_model, face_rectangle, embedding, request_id, created_at)
     SELECT gen_random_uuid(), ${personId('1 + i % $2::int')}, 'default', 'largePersonGroup', $1, 'detection_01', 'recognition_01',
       '{"left":0,"top":0,"width":100,"height":100}', decode(repeat('0000803f', 128), 'hex'), $1 || '-' || i, now()
     FROM generate_series(1, $3::int) i`,
    [groupId, persons, faces],
  );
}
