/**
 * Delivery is at least once and callers retry, so every write runs through here: the first result is stored
 * with the write, atomically, and a redelivered or retried request gets that result back instead of writing
 * twice. A result is remembered for `appliedWriteRetentionHours`; after that the same request id is a new
 * request. Two forms, one rule: `applyOnce` wraps a transaction of several statements, `applyStatementOnce` a
 * single statement made by `appliedOnce` (applied-writes.repository.ts) for the hottest writes.
 */
import { VisageError, type IdempotentWrite } from '#contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { AppliedWritesRepository, type AppliedOnceRow, type PriorWrite } from './applied-writes.repository';

export const appliedWriteRetentionHours = 48;

export async function applyOnce<R>(
  dataSource: DataSource,
  write: IdempotentWrite,
  work: (manager: EntityManager) => Promise<R>,
): Promise<R> {
  return dataSource.transaction(async (manager) => {
    const appliedWrites = new AppliedWritesRepository(manager);
    // The store work queue runs several messages at once: claiming the id before the work makes a second
    // delivery of it wait for this transaction and then replay its result, rather than apply it again.
    if (!(await appliedWrites.claim(write))) {
      return replayOf<R>(write, (await appliedWrites.find(write.requestId))!);
    }
    const reply = await work(manager);
    await appliedWrites.recordReply(write.requestId, reply);
    return reply;
  });
}

/**
 * The single-statement form: `statement` runs the write and records its result in one round trip; `then` reads
 * what the write answered (and throws the write's errors) when the request is new.
 */
export async function applyStatementOnce<O, R>(
  write: IdempotentWrite,
  statement: () => Promise<AppliedOnceRow & O>,
  then: (outcome: O) => R | Promise<R>,
): Promise<R> {
  const { prior_fingerprint: fingerprint, prior_reply: reply, ...outcome } = await statement();
  if (fingerprint !== null) return replayOf<R>(write, { fingerprint, reply });
  return then(outcome as O);
}

/** The first result of a write already applied; the same key with another request is refused. */
function replayOf<R>(write: IdempotentWrite, prior: PriorWrite): R {
  if (prior.fingerprint !== write.fingerprint) throw new VisageError('IDEMPOTENCY_KEY_REUSED');
  return prior.reply as R;
}

/** Forgets the results older than `olderThanHours`; answers how many. */
export async function pruneAppliedWrites(dataSource: DataSource, olderThanHours: number): Promise<number> {
  return new AppliedWritesRepository(dataSource.manager).prune(olderThanHours);
}
