/**
 * Smoke test of the test cluster (test/helpers/cluster.ts): a real kube-apiserver and etcd, the
 * project's CRDs applied with the real kubectl, and admission doing what the CRDs promise.
 * The first run on a machine builds the binaries (5 to 8 minutes on 2 cores); see docs/testing.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT, startCluster, type Cluster } from '../helpers/cluster.js';

const CRD_DIR = join(REPO_ROOT, 'crds');
let cluster: Cluster;
/** The VoiceConnector CRD's spec schema: the expectations below quote its messages and defaults. */
let vcSpec: any;

function crdFiles(): string[] {
  return existsSync(CRD_DIR) ? readdirSync(CRD_DIR).filter((f) => f.endsWith('.yaml')).sort() : [];
}

function readCrd(file: string): any {
  return parse(readFileSync(join(CRD_DIR, file), 'utf8'));
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

beforeAll(async () => {
  // crds/ is committed; generate it only on a tree that lacks it (never written otherwise).
  if (crdFiles().length === 0) {
    const gen = spawnSync('npx', ['tsx', 'scripts/generate.ts', '--target', 'crds'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (gen.status !== 0) throw new Error(`scripts/generate.ts failed:\n${gen.stderr}`);
  }
  vcSpec = readCrd('voiceconnectors.chimevoice.io.yaml').spec.versions[0].schema.openAPIV3Schema.properties.spec;
  cluster = await startCluster();
}, 20 * 60_000); // a cold build of kube-apiserver and etcd included

afterAll(async () => {
  await cluster?.stop();
});

function voiceConnector(name: string, spec: Record<string, unknown>): string {
  return JSON.stringify({ apiVersion: 'chimevoice.io/v1alpha1', kind: 'VoiceConnector', metadata: { name, namespace: 'default' }, spec });
}

const validSpec = {
  region: 'us-east-1',
  requireEncryption: true,
  termination: { callingRegions: ['US'], cidrAllowedList: ['54.240.196.0/24'] },
  origination: { routes: [{ host: 'sip.example.com', port: 5061, protocol: 'TCP', priority: 1, weight: 10 }] },
};

describe('the test cluster', () => {
  it('serves the pinned Kubernetes release, and kubectl talks to it', async () => {
    expect(cluster.version).toMatch(/^v1\.\d+\.\d+$/);
    const { stdout } = await cluster.kubectl(['version', '-o', 'json']);
    expect(JSON.parse(stdout).serverVersion.gitVersion).toBe(cluster.version);
    const whoami = await cluster.kubectl(['auth', 'can-i', '*', '*', '--all-namespaces']);
    expect(whoami.stdout.trim()).toBe('yes');
  });

  it('applies every CRD, and each becomes Established', async () => {
    const files = crdFiles();
    expect(files.length).toBeGreaterThan(0);
    await cluster.kubectl(['apply', '--server-side', '--field-manager=chime-test', '-f', 'crds/']);
    const names = files.map((f) => readCrd(f).metadata.name as string);
    await cluster.kubectl(['wait', '--for=condition=established', '--timeout=60s', ...names.map((n) => `crd/${n}`)]);
    const { stdout } = await cluster.kubectl(['get', 'crd', '-o', 'jsonpath={.items[*].metadata.name}']);
    expect(stdout.split(' ').sort()).toEqual([...names].sort());
  });

  it('documents the fields: kubectl explain voiceconnector.spec.termination', async () => {
    const { stdout } = await cluster.kubectl(['explain', 'voiceconnector.spec.termination']);
    const text = squash(stdout);
    expect(text).toContain(squash(vcSpec.properties.termination.description));
    for (const [field, schema] of Object.entries<any>(vcSpec.properties.termination.properties)) {
      expect(text).toContain(field);
      expect(text).toContain(squash(schema.description));
    }
  });

  it('accepts a valid VoiceConnector and applies the schema defaults', async () => {
    await cluster.kubectl(['apply', '-f', '-'], { input: voiceConnector('office-trunk', validSpec) });
    const { stdout } = await cluster.kubectl(['get', 'vc', 'office-trunk', '-n', 'default', '-o', 'json']);
    const vc = JSON.parse(stdout);
    expect(vc.spec.region).toBe('us-east-1');
    expect(vc.spec.deletionPolicy).toBe(vcSpec.properties.deletionPolicy.default);
    expect(vc.spec.networkType).toBe(vcSpec.properties.networkType.default);
    // The category and short name from the CRD work too.
    const chime = await cluster.kubectl(['get', 'chime', '-n', 'default', '-o', 'name']);
    expect(chime.stdout).toContain('voiceconnector.chimevoice.io/office-trunk');
  });

  async function refused(name: string, spec: Record<string, unknown>): Promise<string> {
    const result = await cluster.kubectl(['create', '-f', '-'], { input: voiceConnector(name, spec), check: false });
    expect(result.code, result.stdout).not.toBe(0);
    const gone = await cluster.kubectl(['get', 'vc', name, '-n', 'default'], { check: false });
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('NotFound');
    if (process.env.CHIME_TEST_CLUSTER_SHOW) console.log(`${name}: ${result.stderr}`);
    return squash(result.stderr);
  }

  it('refuses an enum violation at admission, naming the field and the allowed values', async () => {
    const stderr = await refused('bad-region', { ...validSpec, region: 'mars-north-1' });
    expect(stderr).toContain('is invalid');
    expect(stderr).toContain('spec.region: Unsupported value: "mars-north-1"');
    expect(stderr).toContain('"us-east-1"');
  });

  it('refuses a pattern violation at admission, naming the field', async () => {
    const stderr = await refused('bad-country', { ...validSpec, termination: { callingRegions: ['us'] } });
    expect(stderr).toContain('spec.termination.callingRegions[0]: Invalid value: "us"');
    expect(stderr).toContain("should match '^[A-Z]{2}$'");
  });

  it('refuses a CEL rule violation (a UDP origination route on an encrypted connector) with the rule message', async () => {
    const rule = (vcSpec['x-kubernetes-validations'] as any[]).find((v) => String(v.rule).includes("'UDP'"));
    expect(rule, 'the CRD has the VC2 rule').toBeDefined();
    const stderr = await refused('udp-on-tls', {
      ...validSpec,
      origination: { routes: [{ host: 'sip.example.com', port: 5060, protocol: 'UDP', priority: 1, weight: 10 }] },
    });
    expect(stderr).toContain(`spec.origination.routes: Invalid value`);
    expect(stderr).toContain(squash(rule.message));
  });

  it('refuses a change of an immutable field (spec.region) and keeps the object as it was', async () => {
    const rule = (vcSpec.properties.region['x-kubernetes-validations'] as any[]).find((v) => v.rule === 'self == oldSelf');
    const result = await cluster.kubectl(
      ['patch', 'vc', 'office-trunk', '-n', 'default', '--type=merge', '-p', JSON.stringify({ spec: { region: 'us-west-2' } })],
      { check: false },
    );
    expect(result.code).not.toBe(0);
    expect(squash(result.stderr)).toContain('spec.region: Forbidden');
    expect(squash(result.stderr)).toContain(squash(rule.message));
    const { stdout } = await cluster.kubectl(['get', 'vc', 'office-trunk', '-n', 'default', '-o', 'jsonpath={.spec.region}']);
    expect(stdout).toBe('us-east-1');
  });

  it('restarts the API server on the same address and keeps the data in etcd', async () => {
    await cluster.stopApiServer();
    const down = await cluster.kubectl(['get', 'vc', '-n', 'default', '--request-timeout=5s'], { check: false });
    expect(down.code).not.toBe(0);
    expect(down.stderr).toMatch(/refused/);
    await cluster.startApiServer();
    const { stdout } = await cluster.kubectl(['get', 'vc', 'office-trunk', '-n', 'default', '-o', 'jsonpath={.spec.region}']);
    expect(stdout).toBe('us-east-1');
    await cluster.restart();
    const again = await cluster.kubectl(['get', 'crd', 'voiceconnectors.chimevoice.io', '-o', 'name']);
    expect(again.stdout.trim()).toBe('customresourcedefinition.apiextensions.k8s.io/voiceconnectors.chimevoice.io');
  });
});
