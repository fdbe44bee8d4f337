// The chart installed into the test API server (a real kube-apiserver; no kubelet, so the
// Deployment never starts a pod), and the controller run as its own process with the chart's
// arguments and a token of the chart's own ServiceAccount (TokenRequest), against the emulator:
// every example reaches Ready with exactly the chart's RBAC, and taking away any rule the
// controller needs makes it fail visibly. A missing permission fails this file.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { API_GROUP } from '../../src/api/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { freePort, REPO_ROOT, startCluster, type Cluster } from '../helpers/cluster.js';
import { CHART, ensureHelm, helm, objects, ok, type K8sObject } from './helpers.js';

const NS = 'chime-system';
const RELEASE = 'chime';
const FULLNAME = 'chime-chime-voice-operator';
const EXAMPLE_DIRS = readdirSync(join(REPO_ROOT, 'examples'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'argocd')
  .map((d) => join('examples', d.name));

interface LogLine {
  level: number;
  msg: string;
  name?: string;
  kind?: string;
  status?: number;
  err?: string;
  [key: string]: unknown;
}

/** A controller process: `node --import tsx src/cli/main.ts run ...`, its JSON log lines parsed. */
class ControllerProcess {
  readonly lines: LogLine[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;
  private stderr = '';

  constructor(args: string[]) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: REPO_ROOT,
      // No AWS credentials: with --endpoint the controller then uses the emulator's.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', POD_NAMESPACE: NS, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buf = '';
    this.child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      buf += c;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        try {
          this.lines.push(JSON.parse(line) as LogLine);
        } catch {
          this.lines.push({ level: 0, msg: line });
        }
      }
    });
    this.child.stderr!.setEncoding('utf8').on('data', (c: string) => (this.stderr += c));
    this.exited = new Promise((res) => this.child.on('exit', (code) => res(code)));
  }

  find(pred: (l: LogLine) => boolean): LogLine | undefined {
    return this.lines.find(pred);
  }

  async waitFor(what: string, pred: (l: LogLine) => boolean, timeoutMs = 30_000): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const hit = this.find(pred);
      if (hit) return hit;
      await sleep(200);
    }
    throw new Error(`controller never logged ${what} within ${timeoutMs} ms; last lines:\n${this.tail()}`);
  }

  tail(n = 25): string {
    return `${this.lines
      .slice(-n)
      .map((l) => JSON.stringify(l))
      .join('\n')}\n${this.stderr.slice(-2000)}`;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let cluster: Cluster;
let emulator: Emulator;
let saKubeconfig: string;
let chartArgs: string[];
let controller: ControllerProcess;
let metricsUrl: string;
const extra: ControllerProcess[] = [];

/** The Deployment's container args as the chart rendered them, with the probe server on a free loopback port. */
function controllerArgs(port: number): string[] {
  return [...chartArgs.map((a) => (a.startsWith('--metrics-bind-address=') ? `--metrics-bind-address=127.0.0.1:${port}` : a)), '--kubeconfig', saKubeconfig];
}

async function readyStates(): Promise<Map<string, string | undefined>> {
  const list = JSON.parse((await cluster.kubectl(['get', 'chime', '-A', '-o', 'json'])).stdout) as { items: K8sObject[] };
  return new Map(
    list.items.map((o) => {
      const ready = o.status?.conditions?.find((c: { type: string }) => c.type === 'Ready');
      // Not Ready: the reason and message come along, for the failure's text.
      return [`${o.kind}/${o.metadata.namespace}/${o.metadata.name}`, ready?.status === 'True' ? 'True' : `${ready?.status}: ${ready?.reason}: ${ready?.message}`];
    }),
  );
}

async function waitReady(keys: string[] | 'all', timeoutMs: number): Promise<Map<string, string | undefined>> {
  const deadline = Date.now() + timeoutMs;
  let states = new Map<string, string | undefined>();
  while (Date.now() < deadline) {
    states = await readyStates();
    const wanted = keys === 'all' ? [...states.keys()] : keys;
    if (wanted.length > 0 && wanted.every((k) => states.get(k) === 'True')) return states;
    await sleep(1_000);
  }
  throw new Error(`not Ready within ${timeoutMs} ms: ${JSON.stringify(Object.fromEntries(states))}\ncontroller:\n${controller.tail()}`);
}

/** The chart's ClusterRole (or leader-election Role) with some rules changed, for the time of fn; then restored as installed. */
async function withRole(kind: 'ClusterRole' | 'Role', name: string, change: (rules: any[]) => any[], fn: () => Promise<void>): Promise<void> {
  const nsArgs = kind === 'Role' ? ['-n', NS] : [];
  const original = JSON.parse((await cluster.kubectl(['get', kind.toLowerCase(), name, ...nsArgs, '-o', 'json'])).stdout) as K8sObject;
  const clean = (o: K8sObject) => {
    const { resourceVersion: _r, uid: _u, managedFields: _m, creationTimestamp: _c, ...metadata } = o.metadata as K8sObject['metadata'] & Record<string, unknown>;
    return { ...o, metadata };
  };
  const changed = { ...clean(original), rules: change(structuredClone(original.rules ?? [])) };
  await cluster.kubectl(['replace', '-f', '-'], { input: JSON.stringify(changed) });
  // The API server's RBAC authorizer follows its own informer: give it a moment.
  await sleep(1_500);
  try {
    await fn();
  } finally {
    await cluster.kubectl(['replace', '-f', '-'], { input: JSON.stringify(clean(original)) });
    await sleep(1_500);
  }
}

/** Removes one verb from the rule of a resource, and the rule when no verb is left. */
const withoutVerb = (resource: string, verb: string) => (rules: any[]) =>
  rules
    .map((r) => (r.resources.includes(resource) ? { ...r, verbs: r.verbs.filter((v: string) => v !== verb) } : r))
    .filter((r) => r.verbs.length > 0);

const probeConnector = (name: string, extraSpec = '') => `apiVersion: ${API_GROUP}/v1alpha1
kind: VoiceConnector
metadata:
  name: ${name}
  namespace: default
spec:
  name: ${name}
  region: us-east-1
  requireEncryption: true
${extraSpec}`;

beforeAll(async () => {
  [cluster, emulator] = await Promise.all([startCluster(), startEmulator({ clockRate: 20 }), ensureHelm()]).then(([c, e]) => [c, e] as const);

  // Two replicas: leader election comes on by itself, so the Lease rules are in play too.
  const install = await helm(
    ['install', RELEASE, CHART, '-n', NS, '--create-namespace', '--set', 'replicaCount=2', '--set', `aws.endpoint=${emulator.url}`, '--set', 'controller.resync=30s'],
    { kubeconfig: cluster.kubeconfig },
  );
  ok(install, 'helm install');
  await cluster.kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=60s']);

  const manifest = objects(ok(await helm(['get', 'manifest', RELEASE, '-n', NS], { kubeconfig: cluster.kubeconfig }), 'helm get manifest').stdout);
  const deployment = manifest.find((o) => o.kind === 'Deployment')!;
  chartArgs = deployment.spec.template.spec.containers[0].args as string[];
  const saName = deployment.spec.template.spec.serviceAccountName as string;

  // A token of the chart's own ServiceAccount, through the TokenRequest API, in a kubeconfig of its own.
  const token = (await cluster.kubectl(['create', 'token', saName, '-n', NS, '--duration=1h'])).stdout.trim();
  saKubeconfig = join(cluster.dir, 'controller.kubeconfig');
  writeFileSync(
    saKubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'test', cluster: { server: cluster.server, 'certificate-authority-data': Buffer.from(cluster.caData).toString('base64') } }],
      users: [{ name: saName, user: { token } }],
      contexts: [{ name: 'controller', context: { cluster: 'test', user: saName } }],
      'current-context': 'controller',
    }),
    { mode: 0o600 },
  );

  const port = await freePort();
  metricsUrl = `http://127.0.0.1:${port}`;
  controller = new ControllerProcess(controllerArgs(port));
  await controller.waitFor('became leader', (l) => l.msg === 'became leader', 60_000);
}, 20 * 60_000);

afterAll(async () => {
  for (const p of extra) await p.stop();
  await controller?.stop();
  await emulator?.stop();
  await cluster?.stop();
});

describe('the chart installed in a real API server', () => {
  it('runs the controller as the chart configures it: the chart args, the chart ServiceAccount, leader election', async () => {
    expect(chartArgs).toEqual(expect.arrayContaining(['run', '--leader-elect', `--leader-election-namespace=${NS}`, `--leader-election-id=${FULLNAME}`, `--endpoint=${emulator.url}`]));
    const whoami = await cluster.kubectl(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}', '--kubeconfig', saKubeconfig]);
    expect(whoami.stdout).toBe(`system:serviceaccount:${NS}:${FULLNAME}`);
    // Nothing beyond the chart's rules: Secrets can be read one by one, never listed.
    const list = await cluster.kubectl(['get', 'secrets', '-n', 'default', '--kubeconfig', saKubeconfig], { check: false });
    expect(list.stderr).toMatch(/forbidden/);
    const lease = JSON.parse((await cluster.kubectl(['get', 'lease', FULLNAME, '-n', NS, '-o', 'json'])).stdout);
    expect(lease.spec.holderIdentity).toBeTruthy();
    const ready = await fetch(`${metricsUrl}/readyz`);
    expect(ready.status).toBe(200);
    // The digest key: created by the controller itself, with the chart's Role, in the release namespace.
    const key = JSON.parse((await cluster.kubectl(['get', 'secret', `${FULLNAME}-digest-key`, '-n', NS, '-o', 'json'])).stdout) as K8sObject;
    expect(key.immutable).toBe(true);
    expect(Buffer.from(key.data.key as string, 'base64').length).toBe(32);
  });

  it('reconciles every example to Ready with exactly the chart RBAC', { timeout: 300_000 }, async () => {
    let expected = 0;
    for (const dir of EXAMPLE_DIRS) {
      await cluster.kubectl(['apply', '-f', dir]);
      for (const f of readdirSync(join(REPO_ROOT, dir)).filter((n) => n.endsWith('.yaml'))) {
        for (const d of parseAllDocuments(readFileSync(join(REPO_ROOT, dir, f), 'utf8'))) {
          if ((d.toJS() as K8sObject | null)?.apiVersion?.startsWith(`${API_GROUP}/`)) expected++;
        }
      }
    }
    const states = await waitReady('all', 240_000);
    expect(states.size).toBe(expected);
    // Every request the controller made was allowed: lists, watches, finalizers, status, Secrets,
    // Events, the Lease. (Other warnings can be transient: the API server answers 429 while a new
    // CRD's storage initializes.)
    const denied = controller.lines.filter((l) => l.status === 403 || /forbidden|HTTP-Code: 403/i.test(String(l.err ?? '')));
    expect(denied.map((l) => JSON.stringify(l))).toEqual([]);
    const events = JSON.parse((await cluster.kubectl(['get', 'events', '-n', 'default', '-o', 'json'])).stdout) as { items: Array<{ reportingComponent?: string; reason: string }> };
    expect(events.items.filter((e) => e.reportingComponent === 'chime-voice-operator').map((e) => e.reason)).toContain('Created');
    const withFinalizer = JSON.parse((await cluster.kubectl(['get', 'chime', '-A', '-o', 'json'])).stdout).items.filter((o: K8sObject) => o.metadata.finalizers?.length);
    expect(withFinalizer).toHaveLength(expected);
  });
});

describe('without a rule the controller needs, it fails visibly', () => {
  const failedFor = (name: string) => (l: LogLine) => l.msg === 'reconcile failed' && l.name === name && l.status === 403;

  it('secrets get: termination credentials cannot be read (403), and nothing is Ready until the rule is back', { timeout: 120_000 }, async () => {
    const name = 'rbac-no-secrets';
    await withRole('ClusterRole', FULLNAME, withoutVerb('secrets', 'get'), async () => {
      await cluster.kubectl(['apply', '-f', '-'], {
        input: `apiVersion: v1
kind: Secret
metadata: { name: ${name}, namespace: default }
stringData: { password: Probe-Passw0rd-123 }
---
${probeConnector(
  name,
  `  termination:
    cpsLimit: 1
    callingRegions: [US]
    cidrAllowedList: [54.240.196.32/29]
    credentials:
      - username: probe
        passwordSecretRef: { name: ${name}, key: password }`,
)}`,
      });
      const hit = await controller.waitFor(`a 403 for ${name}`, failedFor(name));
      expect(hit.err).toMatch(/secrets/);
      expect((await readyStates()).get(`VoiceConnector/default/${name}`)).not.toBe('True');
    });
    await waitReady([`VoiceConnector/default/${name}`], 60_000);
  });

  it('patch on the kind: the finalizer cannot go on (403)', { timeout: 120_000 }, async () => {
    const name = 'rbac-no-patch';
    await withRole('ClusterRole', FULLNAME, withoutVerb('voiceconnectors', 'patch'), async () => {
      await cluster.kubectl(['apply', '-f', '-'], { input: probeConnector(name) });
      const hit = await controller.waitFor(`a 403 for ${name}`, failedFor(name));
      expect(hit.err).toMatch(/voiceconnectors/);
    });
    await waitReady([`VoiceConnector/default/${name}`], 60_000);
  });

  it('patch on /status: status cannot be written (403)', { timeout: 120_000 }, async () => {
    const name = 'rbac-no-status';
    await withRole('ClusterRole', FULLNAME, withoutVerb('voiceconnectors/status', 'patch'), async () => {
      await cluster.kubectl(['apply', '-f', '-'], { input: probeConnector(name) });
      const hit = await controller.waitFor(`a 403 for ${name}`, failedFor(name));
      expect(hit.err).toMatch(/voiceconnectors\/status|status/);
    });
    await waitReady([`VoiceConnector/default/${name}`], 60_000);
  });

  it('events create: the Event of a create cannot be recorded', { timeout: 120_000 }, async () => {
    const name = 'rbac-no-events';
    await withRole('ClusterRole', FULLNAME, withoutVerb('events', 'create'), async () => {
      await cluster.kubectl(['apply', '-f', '-'], { input: probeConnector(name) });
      const hit = await controller.waitFor(`a refused Event for ${name}`, (l) => l.msg === 'could not record an Event' && l.name === name);
      expect(hit.err).toMatch(/forbidden|403/i);
    });
  });

  it('list and watch on the kinds: a fresh controller never syncs its caches, and /readyz says so', { timeout: 120_000 }, async () => {
    await withRole(
      'ClusterRole',
      FULLNAME,
      (rules) => rules.filter((r) => !(r.apiGroups.includes(API_GROUP) && r.verbs.includes('list'))),
      async () => {
        const port = await freePort();
        const fresh = new ControllerProcess(controllerArgs(port));
        extra.push(fresh);
        const hit = await fresh.waitFor('a refused list', (l) => l.msg === 'list/watch failed; retrying');
        expect(String(hit.err)).toMatch(/forbidden|403/i);
        const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
        expect(ready.status).toBe(503);
        expect(fresh.find((l) => l.msg === 'caches synced')).toBeUndefined();
        // The start-up check says why at once, and the controller runs on rather than exit (RBAC can be granted live).
        expect(String(fresh.find((l) => String(l.msg).startsWith('the controller may not list its kinds yet'))?.err)).toMatch(/403/);
        await fresh.stop();
      },
    );
  });

  it('the digest key rules: a fresh controller that may not create its missing key Secret exits at start, in one line naming it', { timeout: 120_000 }, async () => {
    const secret = `${FULLNAME}-digest-key`;
    const saved = JSON.parse((await cluster.kubectl(['get', 'secret', secret, '-n', NS, '-o', 'json'])).stdout) as K8sObject;
    await cluster.kubectl(['delete', 'secret', secret, '-n', NS]);
    try {
      await withRole('Role', secret, () => [], async () => {
        const fresh = new ControllerProcess(controllerArgs(await freePort()));
        extra.push(fresh);
        expect(await fresh.exited).toBe(1);
        const out = fresh.tail();
        expect(out).toContain(`chime-voice-operator: cannot create the digest key Secret ${NS}/${secret} (403 Forbidden)`);
        expect(out).not.toMatch(/\n\s+at /);
      });
    } finally {
      // The running controllers keep the key they loaded: put the same one back.
      const { resourceVersion: _r, uid: _u, managedFields: _m, creationTimestamp: _c, ...metadata } = saved.metadata as K8sObject['metadata'] & Record<string, unknown>;
      await cluster.kubectl(['create', '-f', '-'], { input: JSON.stringify({ ...saved, metadata }) });
    }
  });

  it('the Lease rules: a second replica cannot campaign; with them back it stands by', { timeout: 120_000 }, async () => {
    const port = await freePort();
    const second = new ControllerProcess(controllerArgs(port));
    extra.push(second);
    await second.waitFor('caches synced', (l) => l.msg === 'caches synced');
    // Kept short: the leader's renewals fail too while the rules are gone (its renew deadline is 10 s).
    await withRole('Role', `${FULLNAME}-leader-election`, () => [], async () => {
      const hit = await second.waitFor('a refused Lease', (l) => l.msg === 'leader lease update failed', 8_000);
      expect(String(hit.err)).toMatch(/forbidden|403/i);
    });
    await second.waitFor('standby', (l) => l.msg === 'standby: another replica holds the leader lease', 30_000);
    await second.stop();
    expect(controller.find((l) => l.msg === 'lost the leader lease; exiting so that a fresh process campaigns again')).toBeUndefined();
  });
});
