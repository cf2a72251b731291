/**
 * `npm start`: checks that Postgres and RabbitMQ answer (failing within seconds with a message naming the one
 * that does not), then runs the store (which migrates the database), the detector and the gateway as child
 * processes, and reports when the gateway is ready. Stops all three on SIGINT/SIGTERM or when one dies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { connect } from 'amqplib';
import { Client } from 'pg';

const env = process.env;
const amqpUrl = env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const databaseUrl = env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/visage';
const port = env.PORT ?? '8080';
const host = env.HOST ?? '127.0.0.1';
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

async function waitForReady(children: ChildProcess[], deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (children.some((c) => c.exitCode !== null)) return;
    try {
      const response = await fetch(`http://${host.includes(':') ? `[${host}]` : host}:${port}/ready`);
      if (response.ok) {
        console.log(
          JSON.stringify({ level: 'log', context: 'visage', message: `Visage ready on http://${host}:${port}` }),
        );
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  console.error(JSON.stringify({ level: 'warn', context: 'visage', message: 'Not ready after 120 s; still trying' }));
}

async function main(): Promise<void> {
  await Promise.all([checkPostgres(), checkRabbitMq()]);
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
  run('store');
  run('detector');
  run('gateway');
  process.on('SIGINT', () => stopAll(0));
  process.on('SIGTERM', () => stopAll(0));
  await waitForReady(children, 120_000);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
