/**
 * Delivery is at least once and callers retry, so every write runs through here: the first result is stored
 * with the write in one transaction, and a redelivered or retried request gets that result back instead of
 * writing twice. A result is remembered for `appliedWriteRetentionHours`; after that the same request id is a
 * new request.
 */
import { VisageError, type IdempotentWrite } from '#contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { AppliedWriteEntity } from '../database/entities';

export const appliedWriteRetentionHours = 48;

export async function applyOnce<R>(
  dataSource: DataSource,
  write: IdempotentWrite,
  work: (manager: EntityManager) => Promise<R>,
): Promise<R> {
  return dataSource.transaction(async (manager) => {
    // The store work queue runs several messages at once: claiming the id before the work makes a second
    // delivery of it wait for this transaction and then replay its result, rather than apply it again.
    const claimed = (await manager.query(
      `INSERT INTO applied_write (request_id, fingerprint, reply, created_at) VALUES ($1, $2, 'null', now())
       ON CONFLICT (request_id) DO NOTHING RETURNING request_id`,
      [write.requestId, write.fingerprint],
    )) as unknown[];
    if (claimed.length === 0) {
      return replayOf<R>(write, await manager.findOneByOrFail(AppliedWriteEntity, { requestId: write.requestId }));
    }
    const reply = await work(manager);
    await manager.query(`UPDATE applied_write SET reply = $2::jsonb WHERE request_id = $1`, [
      write.requestId,
      JSON.stringify(reply),
    ]);
    return reply;
  });
}

/** The first result of a write already applied; the same key with another request is refused. */
export function replayOf<R>(write: IdempotentWrite, prior: { fingerprint: string; reply: unknown }): R {
  if (prior.fingerprint !== write.fingerprint) throw new VisageError('IDEMPOTENCY_KEY_REUSED');
  return prior.reply as R;
}

/** Forgets the results older than `olderThanHours`; answers how many. */
export async function pruneAppliedWrites(dataSource: DataSource, olderThanHours: number): Promise<number> {
  const result = await dataSource.query(
    `DELETE FROM applied_write WHERE created_at < now() - make_interval(hours => $1)`,
    [olderThanHours],
  );
  return Array.isArray(result) ? Number(result[1] ?? 0) : 0;
}
