/**
 * The store's Postgres connection. Migrations run at start under an advisory lock, so several store replicas
 * starting together apply each migration once; `synchronize` is never used.
 */
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { migrations } from '../migrations';
import { entities } from './entities';

const migrationLockKey = 7_316_001;

export function createDataSource(databaseUrl: string, poolSize: number): DataSource {
  return new DataSource({
    type: 'postgres',
    url: databaseUrl,
    entities,
    migrations,
    migrationsTableName: 'schema_migration',
    synchronize: false,
    logging: false,
    extra: { max: poolSize, connectionTimeoutMillis: 5000 },
  });
}

export async function openDatabase(databaseUrl: string, poolSize: number): Promise<DataSource> {
  await ensureDatabaseExists(databaseUrl);
  const dataSource = createDataSource(databaseUrl, poolSize);
  try {
    await dataSource.initialize();
  } catch (error) {
    throw new DatabaseUnreachableError(databaseUrl, error as Error);
  }
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [migrationLockKey]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [migrationLockKey]).catch(() => undefined);
    await runner.release();
  }
  return dataSource;
}

/** A fresh machine has a Postgres server but no Visage database yet; create it rather than fail. */
async function ensureDatabaseExists(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) return;
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new DatabaseUnreachableError(databaseUrl, error as Error);
  }
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created by a replica starting at the same time
      });
    }
  } catch {
    // No right to list or create databases: the connection attempt below says what is wrong.
  } finally {
    await client.end();
  }
}

export class DatabaseUnreachableError extends Error {
  constructor(databaseUrl: string, cause: Error) {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    super(
      `Cannot connect to Postgres at ${url.toString()}: ${cause.message || String(cause)}. Start it (for example ` +
        `'pg_ctlcluster 15 main start', or 'docker compose up -d postgres') or point DATABASE_URL at a running server.`,
    );
    this.name = 'DatabaseUnreachableError';
  }
}
