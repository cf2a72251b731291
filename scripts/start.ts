/**
 * `npm start`. With neither AMQP_URL nor DATABASE_URL it runs Visage as one process with its own embedded
 * PostgreSQL (the standalone mode; DATABASE_URL alone: one process on that database). With both it checks that
 * Postgres and RabbitMQ answer (failing within seconds with a message naming the one that does not), then runs
 * the store (which migrates the database), the detector and the gateway as child processes. Either way it reports
 * when the gateway is ready, and stops everything on SIGINT/SIGTERM or when a process dies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { connect } from 'amqplib';
import { Client } from 'pg';
import { loadConfig } from '#config';
import { GatewayConfig } from '../apps/gateway/src/gateway.config';

const env = process.env;
const amqpUrl = env.AMQP_URL ?? '';
const databaseUrl = env.DATABASE_URL ?? '';
const distRoot = path.resolve(__dirname, '..');

async function checkPostgres(): Promise<void> {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
  } catch (error) {
    throw new Error(
      `Postgres is not reachable at ${redact(databaseUrl)} (${(error as Error).message}). Start it, for example ` +
        `'pg_ctlcluster --skip-systemctl-redirect 15 main start' or 'docker compose up -d postgres', or set DATABASE_URL.`,
    );
  }
}

async function checkRabbitMq(): Promise<void> {
  try {
    const connection = await connect(amqpUrl, { timeout: 3000 });
    await connection.close();
  } catch (error) {
    throw new Error(
      `RabbitMQ is not reachable at ${redact(amqpUrl)} (${(error as Error).message}). Start it, for example ` +
        `'rabbitmq-server -detached' or 'docker compose up -d rabbitmq', or set AMQP_URL. It needs the ` +
        `rabbitmq_consistent_hash_exchange and rabbitmq_management plugins.`,
    );
  }
}

function redact(value: string): string {
  const url = new URL(value);
  if (url.password) url.password = '***';
  return url.toString();
}

/** Polls /ready where the gateway listens. */
async function waitForReady(
  children: ChildProcess[],
  { PORT: port, HOST: host }: GatewayConfig,
  deadlineMs: number,
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (children.some((c) => c.exitCode !== null)) return;
    try {
      const response = await fetch(`http://${host.includes(':') ? `[${host}]` : host}:${port}/ready`);
      if (response.ok) {
        log(`Visage ready on http://${host}:${port}`);
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  console.error(JSON.stringify({ level: 'warn', context: 'visage', message: 'Not ready after 120 s; still trying' }));
}

type Mode = 'standalone' | 'distributed';

function chooseMode(): Mode {
  if (!amqpUrl) return 'standalone';
  if (!databaseUrl) {
    throw new Error(
      'AMQP_URL is set but DATABASE_URL is not: the distributed services need both. Set DATABASE_URL, or unset ' +
        'AMQP_URL to run Visage as one process.',
    );
  }
  return 'distributed';
}

function log(message: string): void {
  console.log(JSON.stringify({ level: 'log', context: 'visage', message }));
}

async function main(): Promise<void> {
  const mode = chooseMode();
  // The gateway's own config class gives PORT and HOST with their defaults; a bad value stops here, before any start.
  const gateway = loadConfig(GatewayConfig, env);
  if (mode === 'distributed') {
    log('Distributed mode (AMQP_URL and DATABASE_URL are set): store, detector and gateway as three processes');
    await Promise.all([checkPostgres(), checkRabbitMq()]);
  }
  const children: ChildProcess[] = [];
  let stopping = false;
  const stopAll = (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    setTimeout(() => process.exit(code), 12_000).unref();
    Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r))))).then(() =>
      process.exit(code),
    );
  };
  const run = (service: string) => {
    const child = spawn(process.execPath, [path.join(distRoot, 'apps', service, 'src', 'main.js')], {
      stdio: 'inherit',
      env,
    });
    child.once('exit', (code, signal) => {
      if (stopping) return;
      console.error(
        JSON.stringify({ level: 'error', context: 'visage', message: `${service} exited (${code ?? signal})` }),
      );
      stopAll(code || 1);
    });
    children.push(child);
  };
  if (mode === 'standalone') run('standalone');
  else for (const service of ['store', 'detector', 'gateway']) run(service);
  process.on('SIGINT', () => stopAll(0));
  process.on('SIGTERM', () => stopAll(0));
  await waitForReady(children, gateway, 120_000);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
