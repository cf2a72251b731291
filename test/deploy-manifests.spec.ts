/**
 * The Kubernetes manifests in deploy/k8s, checked offline: every YAML parses (as YAML 1.1, like Kubernetes), every
 * object validates against the Kubernetes OpenAPI schemas shipped in `kubernetes-models` (values and required
 * fields at run time, unknown fields through the TypeScript types of the same package), the kustomizations render
 * (by a small renderer here, compared with `kubectl kustomize` where kubectl is installed), and the rendered
 * Deployments follow the project's rules: resources, probes, security context, labels, and only the documented
 * environment variables, with values each service's own configuration accepts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import ts from 'typescript';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfig } from '#config';
import { DetectorConfig } from '../apps/detector/src/detector.config';
import { ApiKeys } from '../apps/gateway/src/auth/api-keys';
import { GatewayConfig } from '../apps/gateway/src/gateway.config';
import { StoreConfig } from '../apps/store/src/store.config';

const repoRoot = path.resolve(__dirname, '..', '..');
const k8sDir = path.join(repoRoot, 'deploy', 'k8s');
const namespace = 'visage';
/** The kustomizations users apply: the base as it is, and the GPU overlay. */
const variants = { base: k8sDir, gpu: path.join(k8sDir, 'overlays', 'gpu') };
/** A complete object kept out of every kustomization on purpose (docs/deploy.md says why). */
const secretExample = path.join(k8sDir, 'base', 'secret.example.yaml');

// ---------------------------------------------------------------------------------------------------------------
// Types and helpers

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface K8sObject extends JsonObject {
  apiVersion: string;
  kind: string;
  metadata: JsonObject & { name: string; namespace?: string; labels?: { [key: string]: string } };
}

interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: JsonObject }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  securityContext?: JsonObject;
}

interface Probe {
  httpGet?: { path: string; port: string | number };
  exec?: { command: string[] };
}

interface PodSpec {
  containers: Container[];
  securityContext?: JsonObject;
}

/** Schema classes of `kubernetes-models`, with the module and interface that type them. */
const models: Record<string, { model: new (data: never) => { validate(): void }; module: string; type: string }> = {
  'v1/Namespace': { model: Namespace, module: 'kubernetes-models/v1', type: 'INamespace' },
  'v1/ConfigMap': { model: ConfigMap, module: 'kubernetes-models/v1', type: 'IConfigMap' },
  'v1/Secret': { model: Secret, module: 'kubernetes-models/v1', type: 'ISecret' },
  'v1/Service': { model: Service, module: 'kubernetes-models/v1', type: 'IService' },
  'apps/v1/Deployment': { model: Deployment, module: 'kubernetes-models/apps/v1', type: 'IDeployment' },
  'autoscaling/v2/HorizontalPodAutoscaler': {
    model: HorizontalPodAutoscaler,
    module: 'kubernetes-models/autoscaling/v2',
    type: 'IHorizontalPodAutoscaler',
  },
  'networking.k8s.io/v1/Ingress': {
    model: Ingress,
    module: 'kubernetes-models/networking.k8s.io/v1',
    type: 'IIngress',
  },
  'policy/v1/PodDisruptionBudget': {
    model: PodDisruptionBudget,
    module: 'kubernetes-models/policy/v1',
    type: 'IPodDisruptionBudget',
  },
};

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const clone = <T>(value: T): T => structuredClone(value);
const idOf = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const relative = (file: string) => path.relative(repoRoot, file);

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return yamlFiles(full);
      return /\.ya?ml$/.test(name) ? [full] : [];
    })
    .sort();
}

/** Parses every document of a file as YAML 1.1, the dialect Kubernetes reads (`on` is a boolean there). */
function readYaml(file: string, text = readFileSync(file, 'utf8')): JsonObject[] {
  return parseAllDocuments(text, { version: '1.1', prettyErrors: true }).flatMap((doc) => {
    const problems = [...doc.errors, ...doc.warnings].map((e) => e.message);
    assert.deepEqual(problems, [], `${relative(file)} parses cleanly`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return [];
    assert.ok(isObject(value), `${relative(file)}: every document is a mapping`);
    return [value];
  });
}

function asK8sObject(value: JsonObject, where: string): K8sObject {
  assert.equal(typeof value.apiVersion, 'string', `${where}: apiVersion`);
  assert.equal(typeof value.kind, 'string', `${where}: kind`);
  assert.ok(isObject(value.metadata) && typeof value.metadata.name === 'string', `${where}: metadata.name`);
  return value as K8sObject;
}

function quantity(value: string | number | undefined, where: string): number {
  assert.notEqual(value, undefined, where);
  const match = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(String(value));
  assert.ok(match, `${where}: ${String(value)} is a quantity`);
  const units: Record<string, number> = {
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
  };
  return Number(match[1]) * (match[2] ? units[match[2]]! : 1);
}

// ---------------------------------------------------------------------------------------------------------------
// A small kustomize: resources (files and directories), patches (strategic merge by `name`), namespace, images.
// It refuses any field it does not implement, and is compared with the real kustomize where kubectl is installed.

interface Kustomization {
  resources?: string[];
  patches?: { path: string }[];
  namespace?: string;
  images?: { name: string; newName?: string; newTag?: string }[];
}

const supportedKustomizationFields = ['apiVersion', 'kind', 'resources', 'patches', 'namespace', 'images'];

function readKustomization(dir: string): Kustomization {
  const file = path.join(dir, 'kustomization.yaml');
  const [doc, ...rest] = readYaml(file);
  assert.ok(doc && rest.length === 0, `${relative(file)} holds one document`);
  assert.equal(doc.apiVersion, 'kustomize.config.k8s.io/v1beta1', relative(file));
  assert.equal(doc.kind, 'Kustomization', relative(file));
  const unsupported = Object.keys(doc).filter((key) => !supportedKustomizationFields.includes(key));
  assert.deepEqual(unsupported, [], `${relative(file)} uses only fields this test renders`);
  return doc as Kustomization;
}

/** Merges like a strategic merge patch for the lists used here: lists of named items merge by name. */
function mergePatch(base: Json, patch: Json): Json {
  if (isObject(base) && isObject(patch)) {
    const out: JsonObject = { ...base };
    for (const [key, value] of Object.entries(patch)) out[key] = key in base ? mergePatch(base[key]!, value) : value;
    return out;
  }
  const named = (list: Json[]) => list.length > 0 && list.every((item) => isObject(item) && 'name' in item);
  if (Array.isArray(base) && Array.isArray(patch) && named(base) && named(patch)) {
    // Items only in the patch come first, as kustomize orders them.
    const out = base.map((item) => clone(item));
    const added: Json[] = [];
    for (const item of patch as JsonObject[]) {
      const index = out.findIndex((existing) => (existing as JsonObject).name === item.name);
      if (index >= 0) out[index] = mergePatch(out[index]!, item);
      else added.push(clone(item));
    }
    return [...added, ...out];
  }
  return clone(patch);
}

function podSpecOf(o: K8sObject): PodSpec | undefined {
  const spec = o.spec as { template?: { spec?: PodSpec } } | undefined;
  return o.kind === 'Deployment' ? spec?.template?.spec : undefined;
}

function render(dir: string, seen: string[] = []): K8sObject[] {
  assert.ok(!seen.includes(dir), `kustomization cycle through ${relative(dir)}`);
  const kustomization = readKustomization(dir);
  let objects: K8sObject[] = [];
  for (const resource of kustomization.resources ?? []) {
    const full = path.resolve(dir, resource);
    assert.ok(existsSync(full), `${relative(dir)}: resource ${resource} exists`);
    if (statSync(full).isDirectory()) objects.push(...render(full, [...seen, dir]));
    else objects.push(...readYaml(full).map((doc) => asK8sObject(doc, relative(full))));
  }
  for (const { path: patchPath } of kustomization.patches ?? []) {
    const file = path.resolve(dir, patchPath);
    const [patch] = readYaml(file).map((doc) => asK8sObject(doc, relative(file)));
    const targets = objects.filter(
      (o) =>
        o.kind === patch!.kind &&
        o.metadata.name === patch!.metadata.name &&
        (patch!.metadata.namespace === undefined || o.metadata.namespace === patch!.metadata.namespace),
    );
    assert.equal(targets.length, 1, `${relative(file)} patches exactly one object`);
    objects = objects.map((o) => (o === targets[0] ? (mergePatch(o, patch!) as K8sObject) : o));
  }
  if (kustomization.namespace) {
    const ns = kustomization.namespace;
    objects = objects.map((o) => {
      const out = clone(o);
      if (o.kind === 'Namespace') out.metadata.name = ns;
      else out.metadata.namespace = ns;
      return out;
    });
  }
  for (const image of kustomization.images ?? []) {
    for (const o of objects) {
      for (const container of podSpecOf(o)?.containers ?? []) {
        const [name, tag] = (container.image ?? '').split(':');
        if (name !== image.name) continue;
        container.image = `${image.newName ?? name}:${image.newTag ?? tag ?? 'latest'}`;
      }
    }
  }
  return objects;
}

// ---------------------------------------------------------------------------------------------------------------
// Schema checks

function validateWithSchema(o: K8sObject, where: string): void {
  const entry = models[`${o.apiVersion}/${o.kind}`];
  assert.ok(entry, `${where}: ${o.apiVersion} ${o.kind} is a kind these manifests are expected to use`);
  assert.doesNotThrow(() => new entry.model(clone(o) as never).validate(), `${where} validates against its schema`);
}

/**
 * The runtime validators accept unknown fields (the Kubernetes schemas do not forbid them), while the API server
 * rejects them under strict field validation. Type-checking each object as a literal of its schema interface
 * catches them: TypeScript's excess property check applies at every depth of a literal.
 */
function unknownFieldErrors(objects: { where: string; o: K8sObject }[]): string[] {
  const file = path.join(repoRoot, 'test', '__deploy_manifests_typecheck__.ts');
  const byModule = new Map<string, Set<string>>();
  let source = '';
  const lines: { from: number; where: string }[] = [];
  objects.forEach(({ where, o }, index) => {
    const { module, type } = models[`${o.apiVersion}/${o.kind}`]!;
    byModule.set(module, (byModule.get(module) ?? new Set()).add(type));
    lines.push({ from: source.split('\n').length - 1, where });
    source += `export const object${index}: ${type} = ${JSON.stringify(o, null, 2)};\n`;
  });
  const header = [...byModule].map(([module, types]) => `import type { ${[...types].join(', ')} } from '${module}';\n`);
  source = header.join('') + source;
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) =>
    path.resolve(name) === file
      ? ts.createSourceFile(name, source, language)
      : getSourceFile.call(host, name, language, ...rest);
  host.fileExists = (name) => path.resolve(name) === file || fileExists.call(host, name);
  host.readFile = (name) => (path.resolve(name) === file ? source : readFile.call(host, name));
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (!diagnostic.file || diagnostic.start === undefined) return message;
    const line = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line - header.length;
    const owner = [...lines].reverse().find((entry) => entry.from <= line);
    return `${owner?.where ?? relative(diagnostic.file.fileName)}: ${message}`;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The manifests

const allFiles = yamlFiles(k8sDir);
const rendered = Object.fromEntries(Object.entries(variants).map(([variant, dir]) => [variant, render(dir)])) as Record<
  keyof typeof variants,
  K8sObject[]
>;
const secret = readYaml(secretExample).map((doc) => asK8sObject(doc, relative(secretExample)))[0]!;

function kustomizationDirs(): string[] {
  return allFiles.filter((file) => path.basename(file) === 'kustomization.yaml').map((file) => path.dirname(file));
}

/** Files some kustomization lists as a resource or a patch. */
function referencedFiles(): Set<string> {
  const files = new Set<string>();
  for (const dir of kustomizationDirs()) {
    files.add(path.join(dir, 'kustomization.yaml'));
    const k = readKustomization(dir);
    for (const entry of [...(k.resources ?? []), ...(k.patches ?? []).map((p) => p.path)]) {
      files.add(path.resolve(dir, entry));
    }
  }
  return files;
}

const documented = new Set(
  [...readFileSync(path.join(repoRoot, 'docs', 'configuration.md'), 'utf8').matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map(
    (match) => match[1]!,
  ),
);

function find(objects: K8sObject[], kind: string, name: string): K8sObject | undefined {
  return objects.find((o) => o.kind === kind && o.metadata.name === name);
}

function deployments(objects: K8sObject[]): { o: K8sObject; pod: PodSpec; component: string }[] {
  return objects
    .filter((o) => o.kind === 'Deployment')
    .map((o) => ({ o, pod: podSpecOf(o)!, component: o.metadata.labels?.['app.kubernetes.io/component'] ?? '' }));
}

/** The environment a container starts with: envFrom first, then env (which wins), secrets from the example. */
function environmentOf(objects: K8sObject[], container: Container, where: string): Record<string, string> {
  const env: Record<string, string> = {};
  const dataOf = (kind: 'ConfigMap' | 'Secret', name: string): Record<string, string> => {
    const source = kind === 'Secret' && name === secret.metadata.name ? secret : find(objects, kind, name);
    assert.ok(source, `${where}: ${kind} ${name} exists`);
    return (kind === 'Secret' ? source.stringData : source.data) as Record<string, string>;
  };
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef) Object.assign(env, dataOf('ConfigMap', from.configMapRef.name));
    if (from.secretRef) Object.assign(env, dataOf('Secret', from.secretRef.name));
  }
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) {
      env[variable.name] = variable.value;
      continue;
    }
    const ref = (variable.valueFrom?.configMapKeyRef ?? variable.valueFrom?.secretKeyRef) as
      { name: string; key: string } | undefined;
    assert.ok(ref, `${where}: ${variable.name} has a value or a ConfigMap or Secret key`);
    const data = dataOf(variable.valueFrom?.secretKeyRef ? 'Secret' : 'ConfigMap', ref.name);
    assert.ok(ref.key in data, `${where}: ${variable.name} refers to key ${ref.key} of ${ref.name}, which exists`);
    env[variable.name] = data[ref.key]!;
  }
  return env;
}

// ---------------------------------------------------------------------------------------------------------------
// Tests

test('every YAML file under deploy/k8s parses and is used by a kustomization (or is the Secret example)', () => {
  assert.ok(allFiles.length >= 8, 'the manifests are there');
  const used = referencedFiles();
  const unused = allFiles.filter((file) => !used.has(file) && file !== secretExample).map(relative);
  assert.deepEqual(unused, []);
  assert.ok(!used.has(secretExample), 'the Secret example is not applied by any kustomization');
});

test('every object, as written and as rendered, validates against the Kubernetes schemas', () => {
  const checked: { where: string; o: K8sObject }[] = [];
  const patches = new Set(
    kustomizationDirs().flatMap((dir) => (readKustomization(dir).patches ?? []).map((p) => path.resolve(dir, p.path))),
  );
  for (const file of allFiles) {
    if (path.basename(file) === 'kustomization.yaml' || patches.has(file)) continue;
    readYaml(file).forEach((doc, index) => {
      const o = asK8sObject(doc, relative(file));
      const where = `${relative(file)}#${index} ${o.kind} ${o.metadata.name}`;
      validateWithSchema(o, where);
      checked.push({ where, o });
    });
  }
  for (const [variant, objects] of Object.entries(rendered)) {
    for (const o of objects) {
      const where = `rendered ${variant}: ${o.kind} ${o.metadata.name}`;
      validateWithSchema(o, where);
      checked.push({ where, o });
    }
  }
  assert.deepEqual(unknownFieldErrors(checked), []);
});

test('the schema checks catch unknown fields and wrong types', () => {
  const deployment = clone(find(rendered.base, 'Deployment', 'visage-gateway')!);
  const container = podSpecOf(deployment)!.containers[0]! as unknown as JsonObject;
  container.readinesProbe = container.readinessProbe!;
  const errors = unknownFieldErrors([{ where: 'typo', o: deployment }]);
  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(errors[0]!, /readinesProbe/);
  const wrong = clone(find(rendered.base, 'Deployment', 'visage-store')!);
  (wrong.spec as JsonObject).replicas = 'two';
  assert.throws(() => validateWithSchema(wrong, 'wrong type'));
});

test('the renderer agrees with kubectl kustomize', (t) => {
  const probe = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    t.skip('kubectl is not installed');
    return;
  }
  for (const [variant, dir] of Object.entries(variants)) {
    const run = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
    assert.equal(run.status, 0, `kubectl kustomize ${relative(dir)}: ${run.stderr}`);
    const theirs = readYaml(dir, run.stdout).map((doc) => asK8sObject(doc, `kubectl kustomize ${variant}`));
    const ours = rendered[variant as keyof typeof variants];
    const byId = (objects: K8sObject[]) => new Map(objects.map((o) => [idOf(o), o]));
    assert.deepEqual(byId(ours), byId(theirs), variant);
  }
});

test('every object lives in the visage namespace with consistent labels', () => {
  for (const [variant, objects] of Object.entries(rendered)) {
    const ns = objects.filter((o) => o.kind === 'Namespace');
    assert.deepEqual(
      ns.map((o) => o.metadata.name),
      [namespace],
      variant,
    );
    for (const o of [...objects, secret]) {
      const where = `${variant}: ${o.kind} ${o.metadata.name}`;
      if (o.kind !== 'Namespace') assert.equal(o.metadata.namespace, namespace, where);
      assert.equal(o.metadata.labels?.['app.kubernetes.io/name'], 'visage', where);
      assert.equal(o.metadata.labels?.['app.kubernetes.io/part-of'], 'visage', where);
    }
    for (const { o, pod, component } of deployments(objects)) {
      const where = `${variant}: ${o.metadata.name}`;
      assert.ok(['gateway', 'detector', 'store'].includes(component), `${where}: component label`);
      assert.equal(o.metadata.name, `visage-${component}`, where);
      const spec = o.spec as { selector: { matchLabels: Record<string, string> }; template: JsonObject };
      const podLabels = (spec.template.metadata as { labels: Record<string, string> }).labels;
      assert.deepEqual(spec.selector.matchLabels, {
        'app.kubernetes.io/name': 'visage',
        'app.kubernetes.io/component': component,
      });
      for (const [key, value] of Object.entries(spec.selector.matchLabels)) assert.equal(podLabels[key], value, where);
      assert.deepEqual(podLabels, o.metadata.labels, `${where}: pod labels are the Deployment's`);
      assert.equal(pod.containers.length, 1, where);
      assert.equal(pod.containers[0]!.name, component, where);
    }
  }
});

test('the three services run the one image with the command of their service, under its init', () => {
  const dockerfile = readFileSync(path.join(repoRoot, 'deploy', 'Dockerfile'), 'utf8');
  assert.match(dockerfile, /^ENTRYPOINT \["tini", "--"\]$/m, 'the image runs its command under tini');
  for (const { o, pod, component } of deployments(rendered.base)) {
    const container = pod.containers[0]!;
    assert.equal(container.image, 'visage:latest', o.metadata.name);
    // `command` would replace the image's entrypoint (tini), and Node.js as PID 1 does not stop on SIGTERM.
    assert.equal(container.command, undefined, o.metadata.name);
    assert.deepEqual(container.args, ['node', `dist/apps/${component}/src/main.js`], o.metadata.name);
    assert.ok(existsSync(path.join(repoRoot, 'apps', component, 'src', 'main.ts')), `${component} entry point`);
  }
  assert.deepEqual(
    deployments(rendered.base)
      .map((d) => d.component)
      .sort(),
    ['detector', 'gateway', 'store'],
  );
});

test('every Deployment has resource requests and limits, and requests within limits', () => {
  for (const [variant, objects] of Object.entries(rendered)) {
    for (const { o, pod } of deployments(objects)) {
      for (const container of pod.containers) {
        const where = `${variant}: ${o.metadata.name}/${container.name}`;
        const { requests, limits } = container.resources ?? {};
        for (const resource of ['cpu', 'memory']) {
          const requested = quantity(requests?.[resource], `${where} requests.${resource}`);
          const limit = quantity(limits?.[resource], `${where} limits.${resource}`);
          assert.ok(requested > 0 && requested <= limit, `${where}: ${resource} request within its limit`);
        }
      }
    }
  }
});

test('containers run as non-root, without privileges, on a read-only root filesystem', () => {
  for (const [variant, objects] of Object.entries(rendered)) {
    for (const { o, pod } of deployments(objects)) {
      const where = `${variant}: ${o.metadata.name}`;
      const podContext = pod.securityContext ?? {};
      assert.equal(podContext.runAsNonRoot, true, `${where}: runAsNonRoot`);
      assert.ok(Number(podContext.runAsUser) > 0, `${where}: a numeric non-root uid (the image names its user)`);
      assert.deepEqual(podContext.seccompProfile, { type: 'RuntimeDefault' }, where);
      const spec = pod as unknown as JsonObject;
      assert.equal(spec.automountServiceAccountToken, false, where);
      for (const container of pod.containers) {
        const context = container.securityContext ?? {};
        assert.equal(context.allowPrivilegeEscalation, false, `${where}: allowPrivilegeEscalation`);
        assert.equal(context.readOnlyRootFilesystem, true, `${where}: readOnlyRootFilesystem`);
        assert.equal(context.privileged ?? false, false, `${where}: privileged`);
        assert.deepEqual((context.capabilities as JsonObject | undefined)?.drop, ['ALL'], `${where}: drop ALL`);
        assert.equal((context.capabilities as JsonObject).add, undefined, `${where}: adds no capability`);
      }
    }
  }
});

test('containers with an HTTP port have HTTP probes on it; the others have none', () => {
  for (const [variant, objects] of Object.entries(rendered)) {
    for (const { o, pod } of deployments(objects)) {
      for (const container of pod.containers) {
        const where = `${variant}: ${o.metadata.name}/${container.name}`;
        const ports = container.ports ?? [];
        const probes = [container.readinessProbe, container.livenessProbe, container.startupProbe];
        if (ports.length === 0) {
          assert.deepEqual(probes.filter(Boolean), [], `${where}: no port to probe, so no probe pretends to`);
          continue;
        }
        for (const probe of [container.readinessProbe, container.livenessProbe]) {
          assert.ok(probe?.httpGet, `${where}: readiness and liveness probes use HTTP`);
          const port = probe.httpGet.port;
          assert.ok(
            ports.some((p) => p.name === port || p.containerPort === port),
            `${where}: probe port ${port} is a container port`,
          );
        }
        assert.equal(container.livenessProbe!.httpGet!.path, '/health', `${where}: liveness on /health`);
      }
    }
  }
});

test('the gateway listens where its Service and probes point, with two replicas', () => {
  for (const [variant, objects] of Object.entries(rendered)) {
    const gateway = find(objects, 'Deployment', 'visage-gateway')!;
    assert.equal((gateway.spec as JsonObject).replicas, 2, variant);
    const container = podSpecOf(gateway)!.containers[0]!;
    const env = environmentOf(objects, container, variant);
    assert.deepEqual(container.ports, [
      { name: 'http', containerPort: Number(env.PORT), protocol: 'TCP' },
      { name: 'ops', containerPort: Number(env.GATEWAY_OPS_PORT), protocol: 'TCP' },
    ]);
    assert.equal(env.OPS_HOST, '0.0.0.0', `${variant}: the ops port is reachable by Prometheus`);
    assert.equal(env.HOST, '0.0.0.0', `${variant}: reachable from the Service`);
    const service = find(objects, 'Service', 'visage-gateway')!;
    const spec = service.spec as { selector: Record<string, string>; ports: { port: number; targetPort: string }[] };
    assert.deepEqual(
      spec.ports.map((p) => [p.port, p.targetPort]),
      [[8080, 'http']],
    );
    const selected = deployments(objects).filter(({ o }) =>
      Object.entries(spec.selector).every(
        ([key, value]) =>
          (o.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels[key] ===
          value,
      ),
    );
    assert.deepEqual(
      selected.map((d) => d.o.metadata.name),
      ['visage-gateway'],
      `${variant}: Service selects the gateway only`,
    );
  }
});

test('the detector is sized per worker and autoscaled on CPU; the store has a disruption budget', () => {
  for (const [variant, objects] of Object.entries(rendered)) {
    const detector = find(objects, 'Deployment', 'visage-detector')!;
    const container = podSpecOf(detector)!.containers[0]!;
    const env = environmentOf(objects, container, variant);
    const workers = Number(env.DETECTOR_WORKERS);
    assert.ok(Number.isInteger(workers) && workers >= 1, `${variant}: DETECTOR_WORKERS is set explicitly`);
    const requests = container.resources!.requests!;
    assert.ok(quantity(requests.cpu, 'cpu') >= workers, `${variant}: a CPU per worker`);
    assert.ok(quantity(requests.memory, 'memory') >= workers * 600e6 + 200e6, `${variant}: 0.6 GB a worker + 200 MB`);
    assert.equal(
      (detector.spec as JsonObject).replicas,
      undefined,
      `${variant}: the autoscaler owns the replica count`,
    );

    const hpa = find(objects, 'HorizontalPodAutoscaler', 'visage-detector')!;
    const hpaSpec = hpa.spec as {
      scaleTargetRef: JsonObject;
      minReplicas: number;
      maxReplicas: number;
      metrics: { type: string; resource: { name: string; target: { type: string } } }[];
    };
    assert.deepEqual(hpaSpec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'visage-detector' });
    assert.ok(hpaSpec.minReplicas >= 1 && hpaSpec.maxReplicas >= hpaSpec.minReplicas, variant);
    assert.deepEqual(
      hpaSpec.metrics.map((m) => [m.type, m.resource.name, m.resource.target.type]),
      [['Resource', 'cpu', 'Utilization']],
    );

    const store = find(objects, 'Deployment', 'visage-store')!;
    assert.equal((store.spec as JsonObject).replicas, 2, variant);
    const pdb = find(objects, 'PodDisruptionBudget', 'visage-store')!;
    const pdbSpec = pdb.spec as { minAvailable: number; selector: { matchLabels: Record<string, string> } };
    assert.equal(pdbSpec.minAvailable, 1);
    assert.deepEqual(
      pdbSpec.selector.matchLabels,
      (store.spec as { selector: { matchLabels: JsonObject } }).selector.matchLabels,
    );
  }
});

test('every environment variable is documented, and each service accepts the values it is given', () => {
  const configs: Record<string, new () => object> = {
    gateway: GatewayConfig,
    detector: DetectorConfig,
    store: StoreConfig,
  };
  // Settings whose defaults point at 127.0.0.1 or leave the gateway open must come from the manifests.
  const required: Record<string, string[]> = {
    gateway: ['AMQP_URL', 'API_KEYS', 'HOST', 'PORT', 'SHARD_COUNT'],
    detector: ['AMQP_URL', 'DETECTOR_WORKERS', 'SHARD_COUNT'],
    store: ['AMQP_URL', 'RABBITMQ_MANAGEMENT_URL', 'DATABASE_URL', 'SHARD_COUNT'],
  };
  const names = new Set<string>(Object.keys(secret.stringData as JsonObject));
  for (const [variant, objects] of Object.entries(rendered)) {
    for (const o of objects.filter((x) => x.kind === 'ConfigMap')) {
      for (const key of Object.keys(o.data as JsonObject)) names.add(key);
    }
    const shardCounts = new Set<string>();
    for (const { o, pod, component } of deployments(objects)) {
      const container = pod.containers[0]!;
      for (const variable of container.env ?? []) names.add(variable.name);
      const env = environmentOf(objects, container, `${variant}: ${o.metadata.name}`);
      for (const name of required[component]!) assert.ok(env[name], `${variant}: ${component} gets ${name}`);
      assert.doesNotThrow(
        () => loadConfig(configs[component]!, env),
        `${variant}: ${component} accepts its environment`,
      );
      shardCounts.add(env.SHARD_COUNT!);
    }
    assert.deepEqual([...shardCounts], ['16'], `${variant}: every service uses the same SHARD_COUNT`);
  }
  const undocumented = [...names].filter((name) => !documented.has(name));
  assert.deepEqual(undocumented, [], 'variables missing from the table in docs/configuration.md');
  assert.ok(!names.has('VISAGE_FAILPOINT'), 'the test-only failpoint stays out of the manifests');
});

test('the Secret example holds placeholders only, and they fail closed', () => {
  const data = secret.stringData as Record<string, string>;
  assert.deepEqual(Object.keys(data).sort(), ['AMQP_URL', 'API_KEYS', 'DATABASE_URL', 'RABBITMQ_MANAGEMENT_URL']);
  for (const [key, value] of Object.entries(data)) assert.match(value, /CHANGE-ME/, `${key} is a placeholder`);
  assert.throws(() => ApiKeys.parse(data.API_KEYS), /at least 16 characters/, 'the gateway refuses the placeholder');
  for (const [variant, objects] of Object.entries(rendered)) {
    assert.deepEqual(
      objects.filter((o) => o.kind === 'Secret'),
      [],
      `${variant} applies no Secret`,
    );
  }
});

test('the GPU overlay gives the detector one GPU, native TensorFlow and its own image, and changes nothing else', () => {
  const detector = find(rendered.gpu, 'Deployment', 'visage-detector')!;
  const container = podSpecOf(detector)!.containers[0]!;
  assert.equal(container.resources!.requests!['nvidia.com/gpu'], '1');
  assert.equal(container.resources!.limits!['nvidia.com/gpu'], '1');
  const env = environmentOf(rendered.gpu, container, 'gpu');
  assert.equal(env.TF_BACKEND, 'auto');
  assert.equal(env.DETECTOR_WORKERS, '1', 'one worker per GPU');
  assert.equal(container.image, 'visage-gpu:latest');
  const others = (objects: K8sObject[]) => objects.filter((o) => idOf(o) !== idOf(detector));
  assert.deepEqual(others(rendered.gpu), others(rendered.base));
});

test('the examples in docs/deploy.md parse, validate where a schema is at hand, and match the manifests', () => {
  const doc = readFileSync(path.join(repoRoot, 'docs', 'deploy.md'), 'utf8');
  const examples = [...doc.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].flatMap((match) =>
    readYaml(path.join(repoRoot, 'docs', 'deploy.md'), match[1]),
  );
  const objects = examples.filter((e) => typeof e.kind === 'string').map((e) => asK8sObject(e, 'docs/deploy.md'));
  const byKind = (kind: string) => {
    const found = objects.filter((o) => o.kind === kind);
    assert.equal(found.length, 1, `docs/deploy.md has one ${kind} example`);
    return found[0]!;
  };
  const data = secret.stringData as Record<string, string>;

  const rabbit = byKind('RabbitmqCluster');
  assert.equal(rabbit.apiVersion, 'rabbitmq.com/v1beta1');
  const plugins = ((rabbit.spec as JsonObject).rabbitmq as { additionalPlugins: string[] }).additionalPlugins;
  for (const plugin of ['rabbitmq_consistent_hash_exchange', 'rabbitmq_management'])
    assert.ok(plugins.includes(plugin));
  const rabbitHost = `${rabbit.metadata.name}.${rabbit.metadata.namespace}.svc`;
  assert.equal(new URL(data.AMQP_URL!).hostname, rabbitHost);
  assert.equal(new URL(data.RABBITMQ_MANAGEMENT_URL!).hostname, rabbitHost);
  assert.equal(new URL(data.RABBITMQ_MANAGEMENT_URL!).port, '15672');

  const postgres = byKind('Cluster');
  assert.equal(postgres.apiVersion, 'postgresql.cnpg.io/v1');
  const initdb = ((postgres.spec as JsonObject).bootstrap as { initdb: { database: string; owner: string } }).initdb;
  const databaseUrl = new URL(data.DATABASE_URL!);
  assert.equal(databaseUrl.hostname, `${postgres.metadata.name}-rw.${postgres.metadata.namespace}.svc`);
  assert.equal(databaseUrl.pathname, `/${initdb.database}`);
  assert.equal(databaseUrl.username, initdb.owner);

  const ingress = byKind('Ingress');
  validateWithSchema(ingress, 'docs/deploy.md Ingress');
  assert.deepEqual(unknownFieldErrors([{ where: 'docs/deploy.md Ingress', o: ingress }]), []);
  const backend = (ingress.spec as { rules: { http: { paths: { backend: { service: JsonObject } }[] } }[] }).rules[0]!
    .http.paths[0]!.backend.service;
  assert.deepEqual(backend, { name: 'visage-gateway', port: { name: 'http' } });

  for (const o of [rabbit, postgres, ingress]) assert.equal(o.metadata.namespace, namespace);
});

// ---------------------------------------------------------------------------------------------------------------
// docker-compose.yml

interface ComposeService {
  image?: string;
  build?: { args?: Record<string, string> };
  hostname?: string;
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test?: string[]; disable?: boolean };
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
}

const composeFile = path.join(repoRoot, 'docker-compose.yml');
const composeText = readFileSync(composeFile, 'utf8');
const compose = parse(composeText, { merge: true }) as { services: Record<string, ComposeService> };

test('compose: every service waited on as healthy has a healthcheck, on its own ops port', () => {
  const services = compose.services;
  const waitedOn = Object.values(services).flatMap((service) =>
    Object.entries(service.depends_on ?? {})
      .filter(([, dependency]) => dependency.condition === 'service_healthy')
      .map(([name]) => name),
  );
  assert.ok(waitedOn.includes('store'), 'the detector and the gateway wait for a healthy store');
  for (const name of new Set(waitedOn)) {
    const check = services[name]?.healthcheck;
    assert.ok(check?.test && check.test.length > 0 && !check.disable, `${name} has a healthcheck`);
  }
  const opsPorts: Record<string, number> = {
    store: new StoreConfig().STORE_OPS_PORT,
    detector: new DetectorConfig().DETECTOR_OPS_PORT,
  };
  for (const [name, port] of Object.entries(opsPorts)) {
    const test = services[name]!.healthcheck!.test!;
    // The image has node and no curl or wget.
    assert.deepEqual(test.slice(0, 3), ['CMD', 'node', '-e'], name);
    assert.match(test[3]!, new RegExp(`http://127\\.0\\.0\\.1:${port}/ready`), name);
  }
});

test('compose: RabbitMQ keeps one node name, so a recreated container finds its queues in the volume', () => {
  const hostname = compose.services.rabbitmq?.hostname;
  assert.equal(typeof hostname, 'string');
  assert.ok(hostname!.length > 0);
});

test('compose: no variable is required to parse the file, so ps and down work without settings', () => {
  const required = [...composeText.matchAll(/\$\{[A-Za-z_][A-Za-z0-9_]*:?\?[^}]*\}/g)].map((m) => m[0]);
  assert.deepEqual(required, []);
  assert.match(compose.services.gateway!.environment!.API_KEYS!, /^\$\{VISAGE_API_KEYS:-\}$/);
});

test('compose: published ports bind to a chosen address and port, loopback unless set', () => {
  const published = Object.values(compose.services).flatMap((service) => service.ports ?? []);
  assert.ok(published.length > 0);
  for (const port of published) {
    assert.match(String(port), /^\$\{VISAGE_BIND_ADDRESS:-127\.0\.0\.1\}:\$\{VISAGE_PORT:-\d+\}:\d+$/);
  }
});

test('compose: base images are variables with the official images as defaults (stand-ins where offline)', () => {
  const { services } = compose;
  assert.equal(services.rabbitmq!.image, '${VISAGE_RABBITMQ_IMAGE:-rabbitmq:3.13-management}');
  assert.equal(services.postgres!.image, '${VISAGE_POSTGRES_IMAGE:-postgres:16}');
  for (const name of ['store', 'detector', 'gateway']) {
    assert.equal(services[name]!.build?.args?.BASE_IMAGE, '${VISAGE_NODE_IMAGE:-node:20-bookworm-slim}', name);
  }
  const dockerfile = readFileSync(path.join(repoRoot, 'deploy', 'Dockerfile'), 'utf8');
  assert.match(dockerfile, /^ARG BASE_IMAGE=node:20-bookworm-slim$/m);
  // A CA for npm reaches the build as a secret mount only, never as a file in a layer.
  assert.match(dockerfile, /--mount=type=secret,id=npm_ca/);
  assert.doesNotMatch(dockerfile, /^(COPY|ADD)\b.*(\.crt|\.pem|npm_ca)/m);
});
