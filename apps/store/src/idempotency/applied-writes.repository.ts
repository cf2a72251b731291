/** The results of applied writes, by request id (applied-writes.ts says how writes use them). */
import type { IdempotentWrite } from '#contracts';
import { affectedBy, rowsOf, type Db } from '../database/sql';

/** A write's first result, as a redelivery or a retry gets it back. */
export interface PriorWrite {
  fingerprint: string;
  reply: unknown;
}

/** What a statement made by `appliedOnce` answers before its own columns. */
export interface AppliedOnceRow {
  prior_fingerprint: string | null;
  prior_reply: unknown;
}

/**
 * Takes the request id before the write's work; the reply is recorded once the work is done. A second delivery
 * of the id waits here on the first one's row until that transaction ends.
 */
const claim = `
INSERT INTO applied_write (request_id, fingerprint, reply, created_at)
VALUES (:requestId, :fingerprint, 'null', now())
ON CONFLICT (request_id) DO NOTHING
RETURNING request_id`;

const recordReply = `UPDATE applied_write SET reply = :reply::jsonb WHERE request_id = :requestId`;

const find = `SELECT fingerprint, reply FROM applied_write WHERE request_id = :requestId`;

const prune = `DELETE FROM applied_write WHERE created_at < now() - make_interval(hours => :hours)`;

/**
 * One write statement that applies once by itself, for writes too hot for a transaction of several statements.
 * `steps` are the write's CTEs: they can read `prior` (the request's earlier result) and must write nothing when
 * it has a row; the result is recorded when the CTE named by `written` returns a row. The statement answers
 * `prior_fingerprint` and `prior_reply`, then `answer`. Parameters: :requestId, :fingerprint, :reply (JSON).
 */
export function appliedOnce(write: { steps: string; written: string; answer: string }): string {
  return `
WITH prior AS (
  SELECT fingerprint, reply FROM applied_write WHERE request_id = :requestId
),
${write.steps.trim()},
applied AS (
  INSERT INTO applied_write (request_id, fingerprint, reply, created_at)
  SELECT :requestId, :fingerprint, :reply::jsonb, now() FROM ${write.written}
)
SELECT (SELECT fingerprint FROM prior) AS prior_fingerprint,
       (SELECT reply FROM prior) AS prior_reply,
       ${write.answer.trim()}`;
}

export class AppliedWritesRepository {
  constructor(private readonly db: Db) {}

  /** False when the request id is taken already (applied, or being applied by a transaction now ended). */
  async claim(write: IdempotentWrite): Promise<boolean> {
    const claimed = await rowsOf(this.db, claim, { requestId: write.requestId, fingerprint: write.fingerprint });
    return claimed.length === 1;
  }

  async recordReply(requestId: string, reply: unknown): Promise<void> {
    await rowsOf(this.db, recordReply, { requestId, reply: JSON.stringify(reply) });
  }

  async find(requestId: string): Promise<PriorWrite | undefined> {
    const [prior] = await rowsOf<PriorWrite>(this.db, find, { requestId });
    return prior;
  }

  /** Forgets the results older than `hours`; answers how many. */
  async prune(hours: number): Promise<number> {
    return affectedBy(this.db, prune, { hours });
  }
}
