/**
 * `npm test`: runs the compiled test files with node's test runner, one file at a time, tier by tier: unit specs
 * (`.spec`, beside the code), then medium suites (`.medium`: store services against a real Postgres), then e2e
 * suites (`.e2e`, which start Visage themselves). Cheaper tiers fail first. The e2e suites run in the distributed
 * mode (RabbitMQ and Postgres) and again in the standalone mode (one process, embedded PostgreSQL), but for those
 * listed below. Without RabbitMQ and Postgres on this machine the distributed runs are skipped with one line
 * saying so, and the tiers that need a database use an embedded PostgreSQL; with CI=true nothing is skipped.
 * Arguments keep only the files whose path contains one of them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect } from 'amqplib';
import { Client } from 'pg';
import { EmbeddedPostgres } from '../apps/standalone/src/embedded-postgres';

/** Suites that need the distributed services: they talk to RabbitMQ, stop or add one service, or read its ops port. */
const distributedOnly = [
  'detector-overload',
  'documented-api',
  'input-hygiene',
  'observability',
  'ops-endpoints',
  'per-person-ordering',
  'poison-to-dead-letter',
  'recognition',
  'redelivery-idempotency',
  'rpc-deadlines',
  'scale-out-faults',
  'snapshot-cache',
  'tenants-and-keys',
];
/**
 * Suites that run once, whatever the mode: store code called directly on a database, or the one-process mode's own
 * start, stop and data folder.
 */
const withoutStack = ['detected-face-purge', 'snapshot-migration', 'standalone-process', 'training-lease'];
/**
 * Suites about the models and the HTTP edge, which the transport between the apps cannot change: they run once, in
 * the one-process mode (the quicker to start), to keep `npm test` within CI's time; `VISAGE_TEST_MODE=distributed
 * node --test dist/test/<suite>.e2e.js` runs one in the other mode.
 */
const oneProcessOnly = ['edge-abuse', 'face-attributes', 'open-set'];

const distRoot = path.resolve(__dirname, '..');
const tiers = ['spec', 'medium', 'e2e'] as const;
const systemPostgres = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const amqpUrl = `amqp://guest:guest@${process.env.TEST_AMQP_HOST ?? '127.0.0.1:5672'}`;
const managementUrl = process.env.TEST_RABBITMQ_MANAGEMENT_URL ?? 'http://guest:guest@127.0.0.1:15672';

function tierOf(file: string): number {
  return tiers.findIndex((tier) => file.endsWith(`.${tier}.js`));
}

function suiteName(file: string): string {
  return path.basename(file).replace(/\.(spec|medium|e2e)\.js$/, '');
}

function find(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) find(full, out);
    else if (tierOf(name) >= 0) out.push(full);
  }
  return out;
}

async function reachable(check: () => Promise<unknown>): Promise<boolean> {
  try {
    await check();
    return true;
  } catch {
    return false;
  }
}

const postgresAnswers = () =>
  reachable(async () => {
    const client = new Client({ connectionString: `${systemPostgres}/postgres`, connectionTimeoutMillis: 3000 });
    await client.connect();
    await client.end();
  });

const rabbitMqAnswers = () =>
  reachable(async () => {
    const connection = await connect(amqpUrl, { timeout: 3000 });
    await connection.close();
    const url = new URL(managementUrl);
    const response = await fetch(`${url.origin}/api/overview`, {
      headers: { authorization: `Basic ${Buffer.from(`${url.username}:${url.password}`).toString('base64')}` },
      signal: AbortSignal.timeout(3000),
    });
    if (!response.ok) throw new Error(`management API: ${response.status}`);
  });

function run(files: string[], env: NodeJS.ProcessEnv): boolean {
  if (files.length === 0) return true;
  const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], { stdio: 'inherit', env });
  return result.status === 0;
}

async function main(): Promise<number> {
  const filter = process.argv.slice(2);
  const files = ['libs', 'apps', 'scripts', 'test']
    .map((dir) => path.join(distRoot, dir))
    .filter((dir) => statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    .flatMap((dir) => find(dir))
    .filter((file) => filter.length === 0 || filter.some((f) => file.includes(f)))
    .sort((a, b) => tierOf(a) - tierOf(b) || a.localeCompare(b));
  if (files.length === 0) {
    console.error('No test files found: run `npm run build` first.');
    return 1;
  }
  const e2e = files.filter((file) => tierOf(file) === 2 && !withoutStack.includes(suiteName(file)));
  const once = files.filter((file) => !e2e.includes(file));
  const distributedRun = e2e.filter((file) => !oneProcessOnly.includes(suiteName(file)));
  const standaloneRun = e2e.filter((file) => !distributedOnly.includes(suiteName(file)));

  const [postgres, rabbitMq] = await Promise.all([postgresAnswers(), rabbitMqAnswers()]);
  const distributed = postgres && rabbitMq;
  if (!distributed && process.env.CI === 'true') {
    const missing = [
      postgres ? undefined : `PostgreSQL (${systemPostgres})`,
      rabbitMq ? undefined : `RabbitMQ (${amqpUrl}, with the rabbitmq_management plugin)`,
    ].filter(Boolean);
    console.error(`CI=true, but ${missing.join(' and ')} did not answer: nothing may be skipped in CI.`);
    return 1;
  }
  const env: NodeJS.ProcessEnv = { ...process.env, VISAGE_TEST_MODE: 'distributed' };
  let embedded: { postgres: EmbeddedPostgres; dir: string } | undefined;
  try {
    if (!postgres && once.some((file) => tierOf(file) > 0)) {
      const dir = mkdtempSync(path.join(tmpdir(), 'visage-test-postgres-'));
      const quiet = { log: () => undefined, warn: () => undefined, error: console.error };
      embedded = { postgres: await EmbeddedPostgres.start({ dataDir: dir, port: 0, logger: quiet }), dir };
      env.TEST_POSTGRES_URL = embedded.postgres.serverUrl;
      console.log(`No PostgreSQL at ${systemPostgres}: the medium suites use an embedded one.`);
    }
    let passed = run(distributed ? [...once, ...distributedRun] : once, env);
    passed = run(standaloneRun, { ...env, VISAGE_TEST_MODE: 'standalone' }) && passed;
    if (!distributed && distributedRun.length > 0) {
      const onlyThere = distributedRun.filter((file) => !standaloneRun.includes(file));
      console.log(
        `Skipped the distributed runs of ${distributedRun.length} e2e suites (${onlyThere.length} of them run in no ` +
          'other mode): they need RabbitMQ, with the rabbitmq_consistent_hash_exchange and rabbitmq_management ' +
          'plugins, and PostgreSQL on this machine (README, "Test").',
      );
    }
    return passed ? 0 : 1;
  } finally {
    if (embedded) {
      await embedded.postgres.stop();
      rmSync(embedded.dir, { recursive: true, force: true });
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
