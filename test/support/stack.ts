/**
 * Starts the real Visage (compiled JS) as child processes and tears everything down afterwards. In the
 * distributed mode: the three services against the real RabbitMQ and Postgres, each test file in its own vhost and
 * database so runs never collide. In the standalone mode (VISAGE_TEST_MODE=standalone): the one process with its
 * embedded PostgreSQL in a fresh data folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../apps/standalone/src/embedded-postgres';

export { freePort };

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const facesDir = path.resolve(repoRoot, '..', 'shared', 'testdata', 'faces');
const distRoot = path.resolve(__dirname, '..', '..');

const brokerHost = process.env.TEST_AMQP_HOST ?? '127.0.0.1:5672';
const managementUrl = process.env.TEST_RABBITMQ_MANAGEMENT_URL ?? 'http://guest:guest@127.0.0.1:15672';
export const postgresUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';

export type Service = 'gateway' | 'detector' | 'store';
export type TestMode = 'distributed' | 'standalone';

/** The mode `npm test` runs this file in; suites that need the distributed services only run distributed. */
export const testMode: TestMode = process.env.VISAGE_TEST_MODE === 'standalone' ? 'standalone' : 'distributed';

export interface StackOptions {
  /** Extra environment for every service. */
  env?: Record<string, string>;
  shardCount?: number;
  detectorWorkers?: number;
}

/** In the standalone mode one process is the gateway, the detector and the store. */
type Process = Service | 'standalone';

export class Stack {
  readonly baseUrl: string;
  private readonly processes = new Map<ChildProcess, Process>();
  private readonly recentErrors: string[] = [];
  private readonly output = new Map<Process, string[]>();

  private constructor(
    readonly mode: TestMode,
    readonly id: string,
    readonly vhost: string,
    readonly database: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  static async start(options: StackOptions = {}): Promise<Stack> {
    const id = randomBytes(4).toString('hex');
    const port = await freePort();
    const common: Record<string, string> = {
      PORT: String(port),
      HOST: '127.0.0.1',
      SHARD_COUNT: String(options.shardCount ?? 8),
      DETECTOR_WORKERS: String(options.detectorWorkers ?? 2),
      LOG_LEVEL: 'warn',
      // Suites drive load on purpose; the rate limit and the image limits have their own suites.
      RATE_LIMIT_PER_SECOND: '0',
      IMAGE_REQUESTS_PER_KEY: '0',
      EXTRACTION_QUEUE_PER_TENANT: '0',
      DETECTOR_OPS_PORT: '0',
      STORE_OPS_PORT: '0',
      GATEWAY_OPS_PORT: '0',
    };
    if (testMode === 'standalone') {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'visage-test-'));
      const env = {
        ...common,
        VISAGE_DATA_DIR: dataDir,
        EMBEDDED_POSTGRES_PORT: String(await freePort()),
        ...options.env,
      };
      const stack = new Stack('standalone', id, '', 'visage', port, env);
      stack.launch('standalone');
      await stack.waitReady();
      return stack;
    }
    const vhost = `visage-test-${id}`;
    const database = `visage_test_${id}`;
    await management('PUT', `/api/vhosts/${vhost}`);
    await management('PUT', `/api/permissions/${vhost}/guest`, { configure: '.*', write: '.*', read: '.*' });
    const env: Record<string, string> = {
      AMQP_URL: brokerUrl(vhost),
      RABBITMQ_MANAGEMENT_URL: managementUrl,
      DATABASE_URL: `${postgresUrl}/${database}`,
      ...common,
      ...options.env,
    };
    const stack = new Stack('distributed', id, vhost, database, port, env);
    stack.spawn('store');
    stack.spawn('detector');
    stack.spawn('gateway');
    await stack.waitReady();
    return stack;
  }

  /** Starts one more process of a service, optionally with extra environment (a failpoint, say). */
  spawn(service: Service, extraEnv: Record<string, string> = {}): ChildProcess {
    if (this.mode === 'standalone') throw new Error(`A standalone stack has no separate ${service} to start`);
    return this.launch(service, extraEnv);
  }

  private launch(service: Process, extraEnv: Record<string, string> = {}): ChildProcess {
    const inherited = { ...process.env };
    if (service === 'standalone') {
      delete inherited.AMQP_URL;
      delete inherited.DATABASE_URL;
    }
    const child = spawn(process.execPath, [path.join(distRoot, 'apps', service, 'src', 'main.js')], {
      env: { ...inherited, ...this.env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = this.output.get(service) ?? [];
    this.output.set(service, lines);
    child.stdout?.on('data', (chunk: Buffer) => {
      lines.push(
        ...chunk
          .toString()
          .split('\n')
          .filter((line) => line.length > 0),
      );
      lines.splice(0, Math.max(0, lines.length - 5000));
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.recentErrors.push(`[${service}] ${chunk.toString().trim()}`);
      this.recentErrors.splice(0, Math.max(0, this.recentErrors.length - 20));
      if (process.env.TEST_SERVICE_LOGS) process.stderr.write(`[${service}] ${chunk.toString()}`);
    });
    this.processes.set(child, service);
    child.once('exit', () => this.processes.delete(child));
    return child;
  }

  /** Recent log lines (stdout) of every process of a service. */
  logs(service: Service): string[] {
    return [...(this.output.get(this.processOf(service)) ?? [])];
  }

  running(service: Service): ChildProcess[] {
    return [...this.processes].filter(([, s]) => s === this.processOf(service)).map(([c]) => c);
  }

  private processOf(service: Service): Process {
    return this.mode === 'standalone' ? 'standalone' : service;
  }

  async kill(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  async waitReady(timeoutMs = 90_000): Promise<void> {
    await waitFor(
      async () => (await fetch(`${this.baseUrl}/ready`).catch(() => undefined))?.ok === true,
      timeoutMs,
      'stack ready',
    );
  }

  get amqpUrl(): string {
    if (this.mode === 'standalone') throw new Error('A standalone stack has no broker');
    return this.env.AMQP_URL!;
  }

  /** The database the store uses: the embedded one in the standalone mode. */
  get databaseUrl(): string {
    if (this.mode === 'distributed') return this.env.DATABASE_URL!;
    const password = readFileSync(path.join(this.env.VISAGE_DATA_DIR!, 'postgres.password'), 'utf8').trim();
    return `postgres://visage:${password}@127.0.0.1:${this.env.EMBEDDED_POSTGRES_PORT}/visage`;
  }

  async db(): Promise<Client> {
    const client = new Client({ connectionString: this.databaseUrl });
    await client.connect();
    return client;
  }

  async stop(): Promise<void> {
    if (this.mode === 'standalone') return this.stopStandalone();
    await Promise.all([...this.processes.keys()].map((child) => this.kill(child, 'SIGKILL')));
    await management('DELETE', `/api/vhosts/${this.vhost}`).catch(() => undefined);
    const admin = new Client({ connectionString: `${postgresUrl}/postgres` });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${this.database}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }

  /** SIGTERM, so the process stops its PostgreSQL; a process that hangs is killed, and its server after it. */
  private async stopStandalone(): Promise<void> {
    const dataDir = this.env.VISAGE_DATA_DIR!;
    for (const child of this.processes.keys()) {
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await this.kill(child, 'SIGTERM');
      clearTimeout(timer);
    }
    const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
    if (existsSync(pidFile)) {
      const pid = Number.parseInt(readFileSync(pidFile, 'utf8'), 10);
      try {
        process.kill(pid, 'SIGQUIT');
      } catch {
        // already gone
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Polls a condition until it holds or the deadline passes; never a fixed sleep. */
export async function waitFor(
  condition: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}

export async function management(method: string, apiPath: string, body?: unknown): Promise<void> {
  const url = new URL(managementUrl);
  const auth = Buffer.from(`${url.username}:${url.password}`).toString('base64');
  const response = await fetch(
    `${url.origin}${apiPath.replace(/visage-test-[0-9a-f]+/, (v) => encodeURIComponent(v))}`,
    {
      method,
      headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    },
  );
  if (!response.ok) throw new Error(`RabbitMQ management ${method} ${apiPath}: ${response.status}`);
}

export function brokerUrl(vhost: string): string {
  return `amqp://guest:guest@${brokerHost}/${encodeURIComponent(vhost)}`;
}
