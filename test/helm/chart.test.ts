// The Helm chart, with the real helm built from the Go module proxy (scripts/build-helm.sh): lint
// and template pass with default and with full values, values.schema.json refuses bad values with
// helm's own error, and the chart's CRDs are the objects of crds/ (one schema source).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CRD_KINDS, KINDS } from '../../src/api/index.js';
import { REPO_ROOT } from '../helpers/cluster.js';
import { CHART, ensureHelm, helm, objects, ok, type K8sObject } from './helpers.js';

const FULL = join(REPO_ROOT, 'test/helm/values-full.yaml');
const NS = 'chime-system';

const template = async (...args: string[]) => objects(ok(await helm(['template', 'rel', CHART, '-n', NS, ...args]), 'helm template').stdout);
const find = (objs: K8sObject[], kind: string, name?: string) => objs.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
const one = (objs: K8sObject[], kind: string, name?: string) => {
  const found = find(objs, kind, name);
  expect(found, `${kind} ${name ?? ''}`).toHaveLength(1);
  return found[0];
};

beforeAll(async () => {
  await ensureHelm();
}, 20 * 60_000);

describe('helm lint', () => {
  it('passes with the default values (--strict)', async () => {
    const r = ok(await helm(['lint', '--strict', CHART]), 'helm lint');
    expect(r.stdout).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it('passes with every value set (--strict)', async () => {
    const r = ok(await helm(['lint', '--strict', CHART, '-f', FULL]), 'helm lint');
    expect(r.stdout).toMatch(/0 chart\(s\) failed/);
  });
});

describe('helm template with the default values', () => {
  let objs: K8sObject[];
  beforeAll(async () => {
    objs = await template();
  });

  it('renders the controller, its ServiceAccount, cluster-wide RBAC, the metrics Service and every CRD', () => {
    expect(objs.map((o) => o.kind).sort()).toEqual(
      ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'Deployment', 'Service', 'ServiceAccount', ...CRD_KINDS.map(() => 'CustomResourceDefinition')].sort(),
    );
  });

  it('leaves accounts off: no --accounts, no AwsAccount, no access to Namespaces', () => {
    expect(one(objs, 'Deployment').spec.template.spec.containers[0].args).not.toContain('--accounts');
    expect(find(objs, 'AwsAccount')).toHaveLength(0);
    expect(JSON.stringify(find(objs, 'ClusterRole'))).not.toContain('namespaces');
    expect(one(objs, 'CustomResourceDefinition', 'awsaccounts.chimevoice.io').spec.scope).toBe('Cluster');
  });

  it('runs one non-root replica with a read-only root filesystem, resources, and probes on the metrics port', () => {
    const d = one(objs, 'Deployment');
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.strategy.type).toBe('Recreate');
    const pod = d.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    const c = pod.containers[0];
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(c.resources.requests).toEqual({ cpu: '50m', memory: '128Mi' });
    expect(c.resources.limits).toEqual({ cpu: '500m', memory: '512Mi' });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'metrics' });
    expect(c.ports).toEqual([{ name: 'metrics', containerPort: 8080, protocol: 'TCP' }]);
    expect(c.args).toEqual([
      'run',
      '--metrics-bind-address=:8080',
      '--region=us-east-1',
      '--log-level=info',
      '--resync=5m',
      '--concurrency=4',
      '--digest-key-secret=rel-chime-voice-operator-digest-key',
      `--digest-key-namespace=${NS}`,
    ]);
    expect(pod.serviceAccountName).toBe('rel-chime-voice-operator');
  });

  it('has no leader election (and no Lease access) with one replica', () => {
    expect(find(objs, 'Role').map((r) => r.metadata.name)).toEqual(['rel-chime-voice-operator-digest-key']);
    expect(one(objs, 'Deployment').spec.template.spec.containers[0].args).not.toContain('--leader-elect');
  });

  it('limits the JavaScript heap (controller.heapLimitMiB, 224 by default), and leaves it to Node.js with 0', async () => {
    const env = (o: K8sObject[]) => one(o, 'Deployment').spec.template.spec.containers[0].env as Array<{ name: string; value?: string }>;
    expect(env(objs)).toContainEqual({ name: 'NODE_OPTIONS', value: '--max-old-space-size=224' });
    expect(env(await template('--set', 'controller.heapLimitMiB=512'))).toContainEqual({ name: 'NODE_OPTIONS', value: '--max-old-space-size=512' });
    expect(env(await template('--set', 'controller.heapLimitMiB=0')).map((e) => e.name)).not.toContain('NODE_OPTIONS');
  });

  it('turns leader election on by itself with more than one replica', async () => {
    const o = await template('--set', 'replicaCount=3');
    const d = one(o, 'Deployment');
    expect(d.spec.strategy.type).toBe('RollingUpdate');
    expect(d.spec.template.spec.containers[0].args).toEqual(
      expect.arrayContaining(['--leader-elect', `--leader-election-namespace=${NS}`, '--leader-election-id=rel-chime-voice-operator']),
    );
    const role = one(o, 'Role', 'rel-chime-voice-operator-leader-election');
    expect(role.metadata.namespace).toBe(NS);
    expect(role.rules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['rel-chime-voice-operator'], verbs: ['get', 'update'] },
    ]);
  });

  it('refuses more than one replica without leader election', async () => {
    const r = await helm(['template', 'rel', CHART, '--set', 'replicaCount=2', '--set', 'leaderElection.enabled=false']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('replicaCount > 1 needs leader election');
  });

  it('grants exactly what src/runtime uses: list/watch/patch of every kind, patch of their status, get Secrets, create/patch Events', () => {
    const role = one(objs, 'ClusterRole');
    const plurals = KINDS.map((k) => k.plural).sort();
    expect(role.rules).toEqual([
      { apiGroups: ['chimevoice.io'], resources: plurals, verbs: ['list', 'watch', 'patch'] },
      { apiGroups: ['chimevoice.io'], resources: plurals.map((p) => `${p}/status`), verbs: ['patch'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
    ]);
    const binding = one(objs, 'ClusterRoleBinding');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'rel-chime-voice-operator', namespace: NS }]);
  });
});

describe('the digest key Secret', () => {
  it('by default: get on that one Secret and create of Secrets, in the release namespace only, bound to the ServiceAccount', async () => {
    const objs = await template();
    const role = one(objs, 'Role', 'rel-chime-voice-operator-digest-key');
    expect(role.metadata.namespace).toBe(NS);
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['rel-chime-voice-operator-digest-key'], verbs: ['get'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
    ]);
    const binding = one(objs, 'RoleBinding', 'rel-chime-voice-operator-digest-key');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'rel-chime-voice-operator-digest-key' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'rel-chime-voice-operator', namespace: NS }]);
  });

  it('given (digestKey.create false): get only, and the controller is told not to create it', async () => {
    const objs = await template('--set', 'digestKey.create=false', '--set', 'digestKey.secretName=my-key');
    expect(one(objs, 'Role', 'rel-chime-voice-operator-digest-key').rules).toEqual([{ apiGroups: [''], resources: ['secrets'], resourceNames: ['my-key'], verbs: ['get'] }]);
    expect(one(objs, 'Deployment').spec.template.spec.containers[0].args).toEqual(
      expect.arrayContaining(['--digest-key-secret=my-key', `--digest-key-namespace=${NS}`, '--no-create-digest-key']),
    );
  });
});

describe('helm template with every value set', () => {
  let objs: K8sObject[];
  beforeAll(async () => {
    objs = await template('-f', FULL);
  });

  it('sets every value in values-full.yaml somewhere the schema knows (the file is complete)', () => {
    const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8'));
    const values = parse(readFileSync(FULL, 'utf8'));
    expect(Object.keys(values).sort()).toEqual(Object.keys(schema.properties).sort());
  });

  it('passes every flag of `run` the values map onto', () => {
    const d = one(objs, 'Deployment', 'chime-voice');
    const c = d.spec.template.spec.containers[0];
    expect(c.image).toBe('registry.example.com/telephony/chime-voice-operator:0.1.0-rc.1');
    expect(c.imagePullPolicy).toBe('Always');
    expect(c.args).toEqual([
      'run',
      '--metrics-bind-address=:9090',
      '--region=eu-central-1',
      '--endpoint=https://voice-chime.eu-central-1.amazonaws.com',
      '--namespace=telephony',
      '--namespace=contact-center',
      '--log-level=debug',
      // With an events queue the resync is the safety net, and controller.resync the polling period while the queue is out.
      '--resync=30m',
      '--events-queue=https://sqs.eu-central-1.amazonaws.com/123456789012/chime-voice-events',
      '--events-fallback-resync=2m',
      '--events-session-name=voice-ctl',
      '--concurrency=8',
      '--accounts',
      '--digest-key-secret=voice-digest-key',
      `--digest-key-namespace=${NS}`,
      '--no-create-digest-key',
      '--leader-elect',
      `--leader-election-namespace=${NS}`,
      '--leader-election-id=chime-voice-leader',
    ]);
    expect(c.env).toContainEqual({ name: 'AWS_STS_REGIONAL_ENDPOINTS', value: 'regional' });
    expect(c.env).toContainEqual({ name: 'AWS_ROLE_SESSION_NAME', value: 'voice-ctl' });
    expect(c.env).toContainEqual({ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } });
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec).toMatchObject({
      serviceAccountName: 'chime-voice-controller',
      imagePullSecrets: [{ name: 'registry-credentials' }],
      priorityClassName: 'system-cluster-critical',
      nodeSelector: { 'kubernetes.io/os': 'linux' },
    });
    expect(d.spec.template.metadata.labels.team).toBe('telephony');
  });

  it('annotates the ServiceAccount for IRSA', () => {
    const sa = one(objs, 'ServiceAccount', 'chime-voice-controller');
    expect(sa.metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/chime-voice-operator' });
  });

  it('renders the AwsAccounts of accounts.items, created after their CRD (a post-install and post-upgrade hook)', () => {
    const accounts = find(objs, 'AwsAccount');
    expect(accounts.map((a) => a.metadata.name)).toEqual(['prod', 'staging']);
    for (const a of accounts) {
      expect(a.metadata.namespace).toBeUndefined();
      expect(a.metadata.annotations).toEqual({ 'helm.sh/hook': 'post-install,post-upgrade', 'helm.sh/hook-delete-policy': 'before-hook-creation' });
    }
    expect(accounts[0].spec).toEqual({
      region: 'us-east-1',
      assumeRole: { roleArn: 'arn:aws:iam::210987654321:role/chime-voice-operator', externalId: 'chime-prod-7', sessionName: 'chime-voice' },
      tenancy: { allowedNamespaces: ['telephony'] },
    });
    expect(accounts[1].spec).toEqual({
      assumeRole: { roleArn: 'arn:aws:iam::333344445555:role/chime-voice-operator' },
      tenancy: { namespaceSelector: { matchLabels: { 'chimevoice.io/tier': 'staging' } } },
    });
  });

  it('grants a Role in each watched namespace; cluster-wide only the read-only rules of accounts', () => {
    const cluster = one(objs, 'ClusterRole', 'chime-voice-accounts');
    expect(cluster.rules).toEqual([
      { apiGroups: ['chimevoice.io'], resources: ['awsaccounts'], verbs: ['list', 'watch'] },
      { apiGroups: [''], resources: ['namespaces'], verbs: ['list', 'watch'] },
    ]);
    expect(one(objs, 'ClusterRoleBinding', 'chime-voice-accounts').subjects).toEqual([{ kind: 'ServiceAccount', name: 'chime-voice-controller', namespace: NS }]);
    expect(find(objs, 'ClusterRole')).toHaveLength(1);
    expect(find(objs, 'ClusterRoleBinding')).toHaveLength(1);
    const roles = find(objs, 'Role', 'chime-voice');
    expect(roles.map((r) => r.metadata.namespace).sort()).toEqual(['contact-center', 'telephony']);
    for (const b of find(objs, 'RoleBinding', 'chime-voice')) {
      expect(b.subjects).toEqual([{ kind: 'ServiceAccount', name: 'chime-voice-controller', namespace: NS }]);
    }
    expect(one(objs, 'Role', 'chime-voice-leader-election').rules[1].resourceNames).toEqual(['chime-voice-leader']);
  });

  it('exposes metrics through the Service and a ServiceMonitor', () => {
    const svc = one(objs, 'Service', 'chime-voice-metrics');
    expect(svc.spec.ports).toEqual([{ name: 'metrics', port: 8443, targetPort: 'metrics', protocol: 'TCP' }]);
    const sm = one(objs, 'ServiceMonitor', 'chime-voice');
    expect(sm.metadata.labels?.release).toBe('prometheus');
    expect(sm.spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '15s', scrapeTimeout: '5s' }]);
  });

  it('renders the PrometheusRule in prometheusRule.namespace with every alert but the disabled one (test/helm/alerts.test.ts has the rest)', () => {
    const rule = one(objs, 'PrometheusRule', 'chime-voice');
    expect(rule.metadata.namespace).toBe('monitoring');
    expect(rule.metadata.labels?.release).toBe('kube-prometheus-stack');
    const rules = rule.spec.groups[0].rules as Array<{ alert: string; expr: string; for: string; labels: Record<string, string> }>;
    expect(rules.map((r) => r.alert)).not.toContain('ChimeVoiceAwsThrottled');
    expect(rules).toHaveLength(8);
    expect(rules.find((r) => r.alert === 'ChimeVoiceAwsThrottledCallsFailing')).toMatchObject({
      expr: 'sum by (namespace, job, service, operation) (rate(chimevoice_aws_calls_total{job="chime-voice",namespace="chime-system",outcome="ThrottledClientException"}[10m])) > 0.05',
      for: '20m',
      labels: { severity: 'ticket', team: 'telephony' },
    });
    expect(rules.find((r) => r.alert === 'ChimeVoiceReconcilesStopped')).toMatchObject({ for: '5m', labels: { severity: 'page', team: 'telephony' } });
  });

  it('leaves out the keep policy with crds.keep false', () => {
    for (const crd of find(objs, 'CustomResourceDefinition')) expect(crd.metadata.annotations).toBeUndefined();
  });
});

describe('values.schema.json', () => {
  const refused = async (args: string[]) => {
    const r = await helm(['template', 'rel', CHART, ...args]);
    expect(r.code, r.stdout).not.toBe(0);
    return r.stderr;
  };

  it('refuses an unknown key, at the top and nested', async () => {
    expect(await refused(['--set', 'replicas=2'])).toContain("at '': additional properties 'replicas' not allowed");
    expect(await refused(['--set', 'aws.regoin=us-west-2'])).toContain("at '/aws': additional properties 'regoin' not allowed");
    expect(await refused(['--set', 'metrics.serviceMonitor.namespace=monitoring'])).toContain(
      "at '/metrics/serviceMonitor': additional properties 'namespace' not allowed",
    );
  });

  it('refuses a wrong type', async () => {
    expect(await refused(['--set', 'replicaCount=two'])).toContain("at '/replicaCount': got string, want integer");
    expect(await refused(['--set', 'crds.enabled=yes'])).toContain("at '/crds/enabled': got string, want boolean");
    expect(await refused(['--set-json', 'watchNamespaces="telephony"'])).toContain("at '/watchNamespaces': got string, want array");
  });

  it('refuses a value outside an enum or pattern', async () => {
    expect(await refused(['--set', 'logLevel=verbose'])).toContain("at '/logLevel': value must be one of 'trace', 'debug', 'info', 'warn', 'error'");
    expect(await refused(['--set', 'leaderElection.enabled=maybe'])).toContain("at '/leaderElection/enabled': value must be one of 'auto', true, false");
    expect(await refused(['--set', 'controller.resync=5 minutes'])).toContain("at '/controller/resync': '5 minutes' does not match pattern");
    expect(await refused(['--set', 'watchNamespaces[0]=Telephony'])).toContain("at '/watchNamespaces/0': 'Telephony' does not match pattern");
  });
});

describe('the chart CRDs', () => {
  const fromCrds = () =>
    readdirSync(join(REPO_ROOT, 'crds'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => parse(readFileSync(join(REPO_ROOT, 'crds', f), 'utf8')) as K8sObject)
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));

  it('are the objects of crds/, plus the chart labels and the keep policy (crds.keep defaults to true)', async () => {
    const rendered = find(await template(), 'CustomResourceDefinition').sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const expected = fromCrds();
    expect(rendered.map((c) => c.metadata.name)).toEqual(expected.map((c) => c.metadata.name));
    for (const [i, crd] of rendered.entries()) {
      expect(crd.metadata.annotations).toEqual({ 'helm.sh/resource-policy': 'keep' });
      expect(crd.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('Helm');
      const { labels: _l, annotations: _a, ...metadata } = crd.metadata;
      expect({ ...crd, metadata }).toEqual(expected[i]);
    }
  });

  it('are left out with crds.enabled false', async () => {
    expect(find(await template('--set', 'crds.enabled=false'), 'CustomResourceDefinition')).toHaveLength(0);
  });
});
