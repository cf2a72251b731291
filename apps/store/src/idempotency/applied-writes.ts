/**
 * Delivery is at least once, so every person-level write runs through here: the first result is stored with
 * the write in one transaction, and a redelivered or retried request gets that result back instead of
 * writing twice.
 */
import { VisageError, type IdempotentWrite } from '#contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { AppliedWriteEntity } from '../database/entities';

export async function applyOnce<R>(
  dataSource: DataSource,
  write: IdempotentWrite,
  work: (manager: EntityManager) => Promise<R>,
): Promise<R> {
  return dataSource.transaction(async (manager) => {
    const prior = await manager.findOne(AppliedWriteEntity, { where: { requestId: write.requestId } });
    if (prior) return replayOf<R>(write, prior);
    const reply = await work(manager);
    await manager.insert(AppliedWriteEntity, {
      requestId: write.requestId,
      fingerprint: write.fingerprint,
      reply: reply as object,
      createdAt: new Date(),
    });
    return reply;
  });
}

/** The first result of a write already applied; the same key with another request is refused. */
export function replayOf<R>(write: IdempotentWrite, prior: { fingerprint: string; reply: unknown }): R {
  if (prior.fingerprint !== write.fingerprint) throw new VisageError('IDEMPOTENCY_KEY_REUSED');
  return prior.reply as R;
}

/** Results are kept long enough for any retry; older ones are pruned. */
export async function pruneAppliedWrites(dataSource: DataSource, olderThanHours: number): Promise<number> {
  const result = await dataSource.query(
    `DELETE FROM applied_write WHERE created_at < now() - make_interval(hours => $1)`,
    [olderThanHours],
  );
  return Array.isArray(result) ? Number(result[1] ?? 0) : 0;
}
