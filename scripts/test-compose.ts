/**
 * `npm run test:compose`: proves that docker-compose.yml comes up and serves. Builds the stand-ins of
 * deploy/standins when the official images are not named (VISAGE_NODE_IMAGE, VISAGE_RABBITMQ_IMAGE and
 * VISAGE_POSTGRES_IMAGE all set), builds the visage image, starts the stack with a fresh API key on a free port,
 * waits for all six containers to be healthy, runs a whole flow with labelled photos through the published port,
 * restarts RabbitMQ and checks a write and an identify again, and always takes the stack down with its volumes.
 * Then runs the same image as one container (`docker run`, the standalone mode with its embedded PostgreSQL in a
 * volume), runs a flow with the key the container made for itself, restarts it and finds the enrolled person again.
 * Needs a running Docker engine and `docker compose` or `docker-compose`.
 */
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EnvelopeApi, face, manifest } from '../test/support/api';
import { freePort, repoRoot, waitFor } from '../test/support/stack';

/** Fixed, so that a run killed before its teardown is cleaned up by the next one. */
const project = 'visage-compose-test';
const singleContainer = 'visage-single-test';
const containerCount = 6; // rabbitmq, postgres, two stores, a detector, the gateway
const healthyWithinMs = 5 * 60_000;

const phases: { name: string; seconds: number }[] = [];

async function phase<T>(name: string, work: () => Promise<T> | T): Promise<T> {
  const started = performance.now();
  console.log(`\n== ${name}`);
  try {
    return await work();
  } finally {
    const seconds = (performance.now() - started) / 1000;
    phases.push({ name, seconds });
    console.log(`== ${name}: ${seconds.toFixed(1)} s`);
  }
}

function run(command: string[], options: SpawnSyncOptions = {}): string {
  const result = spawnSync(command[0]!, command.slice(1), { cwd: repoRoot, encoding: 'utf8', ...options });
  if (result.status !== 0) {
    const output = typeof result.stderr === 'string' ? result.stderr.trim() : '';
    throw new Error(`${command.join(' ')} exited with ${result.status ?? result.signal}${output ? `: ${output}` : ''}`);
  }
  return typeof result.stdout === 'string' ? result.stdout : '';
}

const succeeds = (command: string[], env?: NodeJS.ProcessEnv) =>
  spawnSync(command[0]!, command.slice(1), { stdio: 'ignore', env: { ...process.env, ...env } }).status === 0;

/** `docker compose` where the plugin is installed, else the standalone `docker-compose` (Debian's package). */
function composeCommand(): string[] {
  if (succeeds(['docker', 'compose', 'version'])) return ['docker', 'compose'];
  if (succeeds(['docker-compose', 'version'])) return ['docker-compose'];
  throw new Error('Neither `docker compose` nor `docker-compose` is installed');
}

/**
 * A build command with BuildKit, which build secrets need: buildx where installed, else a client that still has
 * BuildKit built in (Docker 20.10's, as Debian's docker.io installs it, possibly behind a newer client on PATH).
 */
function buildCommand(): { command: string[]; env: NodeJS.ProcessEnv } {
  if (succeeds(['docker', 'buildx', 'version'])) return { command: ['docker', 'buildx', 'build', '--load'], env: {} };
  const env = { DOCKER_BUILDKIT: '1' };
  const client = (process.env.PATH ?? '')
    .split(path.delimiter)
    .map((dir) => path.join(dir, 'docker'))
    .find((file) => isExecutable(file) && succeeds([file, 'build', '--help'], env));
  if (!client) throw new Error('No docker client here builds with BuildKit: install buildx or Debian docker.io');
  return { command: [client, 'build'], env };
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The CA npm trusts on this machine, handed to the image build as a secret (never stored in a layer). */
function npmCaFile(): string | undefined {
  const configured = spawnSync('npm', ['config', 'get', 'cafile'], { encoding: 'utf8' }).stdout?.trim();
  return [configured, process.env.NODE_EXTRA_CA_CERTS].find(
    (file): file is string => !!file && file !== 'null' && file !== 'undefined' && existsSync(file),
  );
}

/** Runs a command without blocking, its output to the console or, with logFile, to a file printed if it fails. */
function runAsync(command: string[], options: { env?: NodeJS.ProcessEnv; logFile?: string } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), {
      cwd: repoRoot,
      env: options.env ?? process.env,
      stdio: ['ignore', options.logFile ? 'pipe' : 'inherit', options.logFile ? 'pipe' : 'inherit'],
    });
    const log = options.logFile ? createWriteStream(options.logFile) : undefined;
    if (log) {
      child.stdout?.pipe(log);
      child.stderr?.pipe(log);
    }
    child.on('error', reject);
    child.on('close', (code) => {
      const settle = () => {
        if (code === 0) return resolve();
        if (options.logFile) {
          console.error(readFileSync(options.logFile, 'utf8').split('\n').slice(-40).join('\n'));
        }
        reject(new Error(`${command.join(' ')} exited with ${code}`));
      };
      if (log) log.end(settle);
      else settle();
    });
  });
}

const imageVariables = ['VISAGE_NODE_IMAGE', 'VISAGE_RABBITMQ_IMAGE', 'VISAGE_POSTGRES_IMAGE'] as const;

/**
 * The images named in the environment, or the stand-ins: the Node.js one built (when missing) at once, since the
 * visage image starts from it; the Postgres and RabbitMQ ones by the returned promise, meanwhile.
 */
function baseImages(logDir: string): { images: Record<string, string>; rest: Promise<void> } {
  if (imageVariables.every((name) => process.env[name])) {
    return {
      images: Object.fromEntries(imageVariables.map((name) => [name, process.env[name]!])),
      rest: Promise.resolve(),
    };
  }
  const envFile = path.join(logDir, 'standins.env');
  const script = ['bash', 'deploy/standins/build.sh', '--env-file', envFile];
  run([...script, 'node'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const images = Object.fromEntries(
    readFileSync(envFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split('=', 2) as [string, string]),
  );
  return {
    images,
    rest: runAsync([...script, 'postgres', 'rabbitmq'], { logFile: path.join(logDir, 'standins.log') }),
  };
}

/** Builds visage:latest on the Node.js image, with npm's CA as a build secret where npm has one. */
function buildVisage(nodeImage: string): Promise<void> {
  const { command, env } = buildCommand();
  const caFile = npmCaFile();
  return runAsync(
    [
      'nice',
      '-n',
      '10',
      ...command,
      ...(caFile ? ['--secret', `id=npm_ca,src=${caFile}`] : []),
      '--build-arg',
      `BASE_IMAGE=${nodeImage}`,
      '--file',
      'deploy/Dockerfile',
      '--tag',
      'visage:latest',
      '.',
    ],
    { env: { ...process.env, ...env } },
  );
}

interface ContainerState {
  name: string;
  state: string;
  health: string;
}

function containers(compose: string[], env: NodeJS.ProcessEnv): ContainerState[] {
  const ids = run([...compose, 'ps', '-q'], { env })
    .split('\n')
    .filter(Boolean);
  if (ids.length === 0) return [];
  return run([
    'docker',
    'inspect',
    '--format',
    '{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}',
    ...ids,
  ])
    .trim()
    .split('\n')
    .map((line) => {
      const [name = '', state = '', health = 'none'] = line.trim().split(' ');
      return { name: name.replace(/^\//, ''), state, health };
    });
}

async function waitHealthy(compose: string[], env: NodeJS.ProcessEnv): Promise<void> {
  let last: ContainerState[] = [];
  await waitFor(
    () => {
      last = containers(compose, env);
      return last.length === containerCount && last.every((c) => c.state === 'running' && c.health === 'healthy');
    },
    healthyWithinMs,
    `${containerCount} healthy containers (last seen: ${JSON.stringify(last)})`,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; last seen: ${last.map((c) => `${c.name} ${c.state} ${c.health}`).join(', ')}`);
  });
  console.log(last.map((c) => `${c.name}: ${c.health}`).join('\n'));
}

interface Candidate {
  person_id: string;
  confidence: number;
}

class Flow {
  private readonly api: EnvelopeApi;
  private readonly headers: Record<string, string>;

  constructor(
    private readonly baseUrl: string,
    apiKey: string,
    readonly groupId: string,
  ) {
    this.api = new EnvelopeApi(baseUrl);
    this.headers = { 'Ocp-Apim-Subscription-Key': apiKey };
  }

  private async call<T>(method: string, route: string, body: unknown, expected: number): Promise<T> {
    const response = await this.api.call<T>(method, route, body, this.headers);
    if (response.status !== expected) {
      throw new Error(`${method} ${route}: ${response.status} ${JSON.stringify(response.body)}`);
    }
    return response.body.data as T;
  }

  async ready(): Promise<boolean> {
    return (await fetch(`${this.baseUrl}/ready`).catch(() => undefined))?.ok === true;
  }

  createGroup(): Promise<unknown> {
    return this.call('PUT', `/largepersongroups/${this.groupId}`, { name: 'compose proof' }, 200);
  }

  async enrol(identity: string, photos: string[]): Promise<string> {
    const { id } = await this.call<{ id: string }>(
      'POST',
      `/largepersongroups/${this.groupId}/persons`,
      { name: identity },
      200,
    );
    for (const photo of photos) {
      await this.call('POST', `/largepersongroups/${this.groupId}/persons/${id}/persistedfaces`, face(photo), 200);
    }
    return id;
  }

  async train(): Promise<void> {
    await this.call('POST', `/largepersongroups/${this.groupId}/train`, undefined, 202);
    let status = '';
    await waitFor(
      async () => {
        ({ status } = await this.call<{ status: string }>(
          'GET',
          `/largepersongroups/${this.groupId}/training`,
          undefined,
          200,
        ));
        if (status === 'failed') throw new Error('training failed');
        return status === 'succeeded';
      },
      60_000,
      'training',
    );
  }

  /** Detects the one face of the photo and answers the best candidate of identify. */
  async identify(photo: string): Promise<Candidate | undefined> {
    const faces = await this.call<{ face_id: string }[]>('POST', '/detect', face(photo), 200);
    if (faces.length !== 1) throw new Error(`${photo}: ${faces.length} faces detected, 1 expected`);
    const [result] = await this.call<{ candidates: Candidate[] }[]>(
      'POST',
      '/identify',
      { faceIds: [faces[0]!.face_id], largePersonGroupId: this.groupId },
      200,
    );
    return result?.candidates[0];
  }

  async expectIdentified(photo: string, personId: string, identity: string): Promise<void> {
    const best = await this.identify(photo);
    if (best?.person_id !== personId) {
      throw new Error(`${photo} identified as ${JSON.stringify(best)}, expected ${identity} (${personId})`);
    }
    console.log(`${photo} -> ${identity} (confidence ${best.confidence.toFixed(3)})`);
  }
}

/** Identities with enough photos to enrol three and probe with a fourth; the last one is enrolled after the restart. */
function chooseIdentities(): { identity: string; enrol: string[]; probe: string }[] {
  const byIdentity = new Map<string, string[]>();
  for (const photo of manifest())
    byIdentity.set(photo.identity, [...(byIdentity.get(photo.identity) ?? []), photo.file]);
  return ['colin_powell', 'nicole_kidman', 'hugo_chavez', 'kate_hudson'].map((identity) => {
    const photos = (byIdentity.get(identity) ?? []).sort();
    if (photos.length < 4) throw new Error(`${identity}: 4 photos needed in the test set, found ${photos.length}`);
    return { identity, enrol: photos.slice(0, 3), probe: photos[3]! };
  });
}

async function proveCompose(): Promise<void> {
  const compose = [...composeCommand(), '--project-name', project, '--file', 'docker-compose.yml'];
  const identities = chooseIdentities();
  const apiKey = randomBytes(24).toString('hex');
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, VISAGE_API_KEYS: apiKey, VISAGE_PORT: String(port) };
  let started = false;

  try {
    await phase('leftovers of an earlier run removed', () =>
      run([...compose, 'down', '-v', '--remove-orphans'], { env }),
    );
    const logDir = mkdtempSync(path.join(tmpdir(), 'visage-compose-test-'));
    try {
      const { images, rest } = await phase('Node.js base image (stand-in built when missing)', () =>
        baseImages(logDir),
      );
      Object.assign(env, images);
      await phase('visage image built (Postgres and RabbitMQ stand-ins meanwhile, when missing)', () =>
        Promise.all([buildVisage(images.VISAGE_NODE_IMAGE!), rest]),
      );
    } finally {
      rmSync(logDir, { recursive: true, force: true });
    }
    started = true;
    await phase('stack started', () => run([...compose, 'up', '-d', '--no-build'], { env, stdio: 'inherit' }));
    await phase(`all ${containerCount} containers healthy`, () => waitHealthy(compose, env));

    const baseUrl = `http://127.0.0.1:${port}`;
    const flow = new Flow(baseUrl, apiKey, `compose-${randomBytes(4).toString('hex')}`);
    await phase('gateway ready on the published port', () => waitFor(() => flow.ready(), 60_000, `${baseUrl}/ready`));
    const enrolled = identities.slice(0, 3);
    const personIds = new Map<string, string>();
    await phase('flow: group, persons, faces, train, detect, identify', async () => {
      await flow.createGroup();
      for (const { identity, enrol } of enrolled) personIds.set(identity, await flow.enrol(identity, enrol));
      await flow.train();
      for (const { identity, probe } of enrolled) {
        await flow.expectIdentified(probe, personIds.get(identity)!, identity);
      }
    });

    // For comparison with the memory limits of deploy/k8s.
    const ids = run([...compose, 'ps', '-q'], { env })
      .split('\n')
      .filter(Boolean);
    console.log(run(['docker', 'stats', '--no-stream', '--format', '{{.Name}}: {{.MemUsage}}', ...ids]).trim());

    await phase('rabbitmq restarted, all healthy again', async () => {
      run([...compose, 'restart', 'rabbitmq'], { env, stdio: 'inherit' });
      await waitHealthy(compose, env);
      await waitFor(() => flow.ready(), 120_000, `${baseUrl}/ready after the broker restart`);
    });
    await phase('flow after the restart: a new person, train, identify', async () => {
      const { identity, enrol, probe } = identities[3]!;
      const personId = await flow.enrol(identity, enrol);
      await flow.train();
      await flow.expectIdentified(probe, personId, identity);
      const first = enrolled[0]!;
      await flow.expectIdentified(first.probe, personIds.get(first.identity)!, first.identity);
    });
  } catch (error) {
    if (started) {
      console.error('\nLast log lines of each service:');
      spawnSync(compose[0]!, [...compose.slice(1), 'logs', '--no-color', '--tail', '40'], {
        cwd: repoRoot,
        env,
        stdio: 'inherit',
      });
    }
    throw error;
  } finally {
    await phase('stack down, volumes removed', () =>
      run([...compose, 'down', '-v', '--remove-orphans'], { env, stdio: ['ignore', 'inherit', 'inherit'] }),
    );
  }
}

async function proveAll(): Promise<void> {
  try {
    await proveCompose();
    await proveSingleContainer(chooseIdentities());
  } finally {
    console.log('\nPhases:');
    for (const { name, seconds } of phases) console.log(`${seconds.toFixed(1).padStart(7)} s  ${name}`);
    const total = phases.reduce((sum, p) => sum + p.seconds, 0);
    console.log(`${total.toFixed(1).padStart(7)} s  total`);
  }
}

/** `docker run -p 8080:8080 visage`, as a newcomer would, with a volume for /data and a restart in the middle. */
async function proveSingleContainer(identities: ReturnType<typeof chooseIdentities>): Promise<void> {
  const volume = `${singleContainer}-data`;
  const removeLeftovers = () => {
    spawnSync('docker', ['rm', '-f', singleContainer], { stdio: 'ignore' });
    spawnSync('docker', ['volume', 'rm', '-f', volume], { stdio: 'ignore' });
  };
  removeLeftovers();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await phase('single container started (standalone mode)', () =>
      run([
        'docker',
        'run',
        '-d',
        '--name',
        singleContainer,
        '-p',
        `127.0.0.1:${port}:8080`,
        '-v',
        `${volume}:/data`,
        'visage:latest',
      ]),
    );
    const key = () => run(['docker', 'exec', singleContainer, 'cat', '/data/api-key']).trim();
    const ready = () => new Flow(baseUrl, '', 'unused').ready();
    await phase('single container ready', () => waitFor(ready, 120_000, `${baseUrl}/ready of the single container`));
    const flow = new Flow(baseUrl, key(), `single-${randomBytes(4).toString('hex')}`);
    const { identity, enrol, probe } = identities[0]!;
    const personId = await phase('single container flow: group, person, faces, train, identify', async () => {
      await flow.createGroup();
      const id = await flow.enrol(identity, enrol);
      await flow.train();
      await flow.expectIdentified(probe, id, identity);
      return id;
    });
    await phase('single container restarted: the enrolled person is found again', async () => {
      run(['docker', 'restart', singleContainer]);
      await waitFor(ready, 120_000, `${baseUrl}/ready after the restart`);
      await new Flow(baseUrl, key(), flow.groupId).expectIdentified(probe, personId, identity);
    });
  } catch (error) {
    console.error('\nLast log lines of the single container:');
    spawnSync('docker', ['logs', '--tail', '40', singleContainer], { stdio: 'inherit' });
    throw error;
  } finally {
    removeLeftovers();
  }
}

proveAll().then(
  () => console.log('\ntest:compose passed'),
  (error: unknown) => {
    console.error(`\ntest:compose failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
