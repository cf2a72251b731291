/**
 * How repositories run their statements: named parameters (`:name`, the syntax of TypeORM's query builder,
 * turned into Postgres's `$n` by TypeORM's own driver), on the connection or on the transaction a service gives.
 */
import type { EntityManager } from 'typeorm';

/** The pool's manager, or the manager of a transaction a service opened: a repository runs on the one it is given. */
export type Db = EntityManager;

export type Params = Record<string, unknown>;

/** The rows a statement answers (a SELECT, or a write with RETURNING or ending in a SELECT). */
export async function rowsOf<T>(db: Db, sql: string, params: Params = {}): Promise<T[]> {
  return (await db.query(...bind(db, sql, params))) as T[];
}

/** The rows an UPDATE or a DELETE with RETURNING answers: TypeORM answers those with [returned rows, count]. */
export async function returnedBy<T>(db: Db, sql: string, params: Params = {}): Promise<T[]> {
  const [rows] = (await db.query(...bind(db, sql, params))) as [T[], number];
  return rows;
}

/** How many rows an UPDATE or a DELETE touched: TypeORM answers those with [returned rows, count]. */
export async function affectedBy(db: Db, sql: string, params: Params = {}): Promise<number> {
  const [, count] = (await db.query(...bind(db, sql, params))) as [unknown[], number];
  return count;
}

/** Trimmed: statements are written from a new line, and pg_stat_activity shows them as sent. */
function bind(db: Db, sql: string, params: Params): [string, unknown[]] {
  return db.connection.driver.escapeQueryWithParameters(sql.trim(), params, {});
}
