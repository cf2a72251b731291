/**
 * The one-process mode as a newcomer meets it: `node dist/apps/standalone/src/main.js` (what `npm start` runs with
 * neither AMQP_URL nor DATABASE_URL) on a fresh data folder, with the embedded PostgreSQL. Data survives a restart,
 * a second process on the same folder is refused with a clear message, a killed process's PostgreSQL is taken over
 * by the next start, and a process reachable beyond loopback without API_KEYS makes a key and requires it.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { EnvelopeApi, face } from './support/api';
import { freePort, waitFor } from './support/stack';

const distRoot = path.resolve(__dirname, '..');
let dataDir: string;

interface Running {
  child: ChildProcess;
  baseUrl: string;
  output: string[];
  exited: Promise<number | null>;
}

async function startVisage(env: Record<string, string> = {}): Promise<Running> {
  const port = await freePort();
  const inherited = { ...process.env };
  delete inherited.AMQP_URL;
  delete inherited.DATABASE_URL;
  const child = spawn(process.execPath, [path.join(distRoot, 'apps', 'standalone', 'src', 'main.js')], {
    env: {
      ...inherited,
      VISAGE_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      GATEWAY_OPS_PORT: '0',
      DETECTOR_WORKERS: '1',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, baseUrl: `http://127.0.0.1:${port}`, output, exited };
}

async function ready(visage: Running): Promise<void> {
  await waitFor(
    async () => {
      if (visage.child.exitCode !== null) throw new Error(`exited early:\n${visage.output.join('\n')}`);
      return (await fetch(`${visage.baseUrl}/ready`).catch(() => undefined))?.ok === true;
    },
    90_000,
    'the standalone process ready',
  );
}

async function stop(visage: Running, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (visage.child.exitCode === null && visage.child.signalCode === null) visage.child.kill(signal);
  return visage.exited;
}

function postgresPid(): number | undefined {
  const file = path.join(dataDir, 'postgres', 'postmaster.pid');
  return existsSync(file) ? Number.parseInt(readFileSync(file, 'utf8'), 10) : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

before(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'visage-standalone-'));
});

after(() => {
  const pid = postgresPid();
  if (pid !== undefined && alive(pid)) process.kill(pid, 'SIGQUIT');
  rmSync(dataDir, { recursive: true, force: true });
});

test('a fresh folder: one process serves the API, says how it runs, and keeps the data across a restart', async () => {
  const first = await startVisage();
  await ready(first);
  assert.match(first.output[0]!, /Standalone mode: .*in-process queues .*embedded PostgreSQL in /);
  const readiness = (await (await fetch(`${first.baseUrl}/ready`)).json()) as Record<string, unknown>;
  assert.deepEqual(readiness.deployment, { mode: 'standalone', messaging: 'in-process', database: 'embedded' });

  const api = new EnvelopeApi(first.baseUrl);
  assert.equal((await api.createGroup('kept')).status, 200);
  const personId = await api.createPerson('kept', 'Ada');
  const added = await api.addFace('kept', personId, face('colin_powell_01.jpg'));
  assert.equal(added.status, 200, JSON.stringify(added.body));
  assert.equal(await stop(first), 0, 'SIGTERM stops it cleanly');
  const pid = postgresPid();
  assert.ok(pid === undefined || !alive(pid), 'its PostgreSQL stopped with it');

  const second = await startVisage();
  await ready(second);
  const person = await new EnvelopeApi(second.baseUrl).call<{ persisted_face_ids: string[] }>(
    'GET',
    `/largepersongroups/kept/persons/${personId}`,
  );
  assert.deepEqual(person.body.data?.persisted_face_ids, [added.body.data!.id]);

  const intruder = await startVisage();
  assert.equal(await intruder.exited, 1);
  assert.ok(
    intruder.output.some((line) => line.includes(`Visage is already running on the data folder ${dataDir}`)),
    intruder.output.join('\n'),
  );
  assert.equal((await fetch(`${second.baseUrl}/ready`)).status, 200, 'the running one is untouched');
  await stop(second);
});

test("a killed process's PostgreSQL is stopped and the data served by the next start", async () => {
  const killed = await startVisage();
  await ready(killed);
  const orphan = postgresPid()!;
  await stop(killed, 'SIGKILL');
  assert.ok(alive(orphan), 'SIGKILL leaves the PostgreSQL child running');

  const next = await startVisage();
  await ready(next);
  assert.equal(alive(orphan), false);
  const groups = await new EnvelopeApi(next.baseUrl).call<{ id: string }[]>('GET', '/largepersongroups');
  assert.deepEqual(
    groups.body.data?.map((g) => g.id),
    ['kept'],
  );
  await stop(next);
});

test('reachable beyond loopback without API_KEYS: a key is made, kept in the folder and required', async () => {
  const visage = await startVisage({ HOST: '0.0.0.0' });
  await ready(visage);
  const keyFile = path.join(dataDir, 'api-key');
  const key = readFileSync(keyFile, 'utf8').trim();
  assert.ok(key.length >= 32);
  assert.ok(visage.output.some((line) => line.includes(keyFile)));
  assert.ok(!visage.output.some((line) => line.includes(key)), 'the log names the file, never the key');
  const api = new EnvelopeApi(visage.baseUrl);
  assert.equal((await api.call('GET', '/largepersongroups')).status, 401);
  assert.equal(
    (await api.call('GET', '/largepersongroups', undefined, { 'ocp-apim-subscription-key': key })).status,
    200,
  );
  await stop(visage);
});
