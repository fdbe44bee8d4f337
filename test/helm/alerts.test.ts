// The chart's PrometheusRule (prometheusRule.*): rendered by the real helm, its expressions naming
// only metrics the controller exports, its runbook links pointing at sections of
// docs/operations.md, and its alerts run through Prometheus's own `promtool check rules` and
// `promtool test rules` (test/helm/promtool/alerts.test.yaml), promtool built from the Go module
// proxy by scripts/build-promtool.sh.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { Metrics } from '../../src/telemetry/metrics.js';
import { REPO_ROOT } from '../helpers/cluster.js';
import { CHART, ensureHelm, ensurePromtool, helm, objects, ok, promtool, type K8sObject } from './helpers.js';

const NS = 'chime-system';
const PROMTOOL_TESTS = join(REPO_ROOT, 'test/helm/promtool/alerts.test.yaml');
const OPERATIONS_MD = join(REPO_ROOT, 'docs/operations.md');

/** Every alert the chart has, as the promtool tests render them (leader election on, an events queue). */
const ALL_ALERTS = [
  'ChimeVoiceControllerDown',
  'ChimeVoiceNoLeader',
  'ChimeVoiceReconcilesStopped',
  'ChimeVoiceObjectsStalled',
  'ChimeVoiceDriftPersistent',
  'ChimeVoiceDriftRecurring',
  'ChimeVoiceAwsThrottled',
  'ChimeVoiceAwsThrottledCallsFailing',
  'ChimeVoiceEventsQueueDown',
];
/** The values the promtool tests were written for: every alert rendered. */
const WITH_EVERY_ALERT = ['--set', 'prometheusRule.enabled=true', '--set', 'replicaCount=2', '--set', 'events.queueUrl=https://sqs.us-east-1.amazonaws.com/123456789012/chime-events'];

interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const template = async (...args: string[]) => objects(ok(await helm(['template', 'rel', CHART, '-n', NS, ...args]), 'helm template').stdout);
const ruleObjects = (objs: K8sObject[]) => objs.filter((o) => o.kind === 'PrometheusRule');
const rulesOf = (objs: K8sObject[]): Rule[] => {
  const found = ruleObjects(objs);
  expect(found).toHaveLength(1);
  return (found[0].spec.groups as Array<{ rules: Rule[] }>).flatMap((g) => g.rules);
};
const byName = (rules: Rule[], alert: string) => {
  const rule = rules.find((r) => r.alert === alert);
  if (!rule) throw new Error(`no alert ${alert} among ${rules.map((r) => r.alert).join(', ')}`);
  return rule;
};

const PROMQL_KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan']);

/**
 * The metric names a PromQL expression selects. Label matchers, strings and ranges go first, then
 * grouping clauses; of the identifiers left, those followed by `(` are functions or aggregations
 * and the rest are metric names. Enough for the chart's expressions, which the test below also
 * checks yield the names they are known to use.
 */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const m of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const after = stripped.slice(m.index + m[0].length);
    if (/^\s*\(/.test(after) || PROMQL_KEYWORDS.has(m[0].toLowerCase())) continue;
    names.add(m[0]);
  }
  return [...names];
}

/** The series names the controller exports: its registry's metrics, a histogram's as Prometheus stores them. */
async function exportedNames(): Promise<Set<string>> {
  const registry = new Metrics(false).registry;
  const names = new Set<string>();
  for (const m of await registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (String(m.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(m.name + suffix);
  }
  return names;
}

/** GitHub's anchors of the headings of a Markdown file. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const m of markdown.matchAll(/^#{1,6}\s+(.+)$/gm)) {
    anchors.add(
      m[1]
        .trim()
        .toLowerCase()
        .replace(/[^\w\- ]/g, '')
        .replace(/ /g, '-'),
    );
  }
  return anchors;
}

beforeAll(async () => {
  await ensureHelm();
}, 20 * 60_000);

describe('the PrometheusRule', () => {
  it('is not rendered by default (prometheusRule.enabled false)', async () => {
    expect(ruleObjects(await template())).toEqual([]);
  });

  describe('enabled with the default values', () => {
    let objs: K8sObject[];
    let rules: Rule[];
    beforeAll(async () => {
      objs = await template('--set', 'prometheusRule.enabled=true');
      rules = rulesOf(objs);
    });

    it('is a monitoring.coreos.com/v1 PrometheusRule in the release namespace, with the chart labels', () => {
      const [rule] = ruleObjects(objs);
      expect(rule.apiVersion).toBe('monitoring.coreos.com/v1');
      expect(rule.metadata.name).toBe('rel-chime-voice-operator');
      expect(rule.metadata.namespace).toBe(NS);
      expect(rule.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'chime-voice-operator', 'app.kubernetes.io/instance': 'rel', 'app.kubernetes.io/managed-by': 'Helm' });
      expect(rule.spec.groups).toHaveLength(1);
    });

    it('has every alert but the ones of leader election and the events queue, which are off', () => {
      expect(rules.map((r) => r.alert)).toEqual(ALL_ALERTS.filter((a) => a !== 'ChimeVoiceNoLeader' && a !== 'ChimeVoiceEventsQueueDown'));
    });

    it("selects this release's series: the job of the chart's metrics Service, in the release namespace", () => {
      for (const r of rules) expect(r.expr, r.alert).toContain('job="rel-chime-voice-operator-metrics",namespace="chime-system"');
    });

    it('gives each alert a severity, a summary, a description and the runbook_url of its section of docs/operations.md', () => {
      const anchors = anchorsOf(readFileSync(OPERATIONS_MD, 'utf8'));
      for (const r of rules) {
        expect(['critical', 'warning'], r.alert).toContain(r.labels.severity);
        expect(r.annotations.summary, r.alert).toMatch(/\w/);
        expect(r.annotations.description.length, r.alert).toBeGreaterThan(80);
        const url = new URL(r.annotations.runbook_url);
        expect(`${url.origin}${url.pathname}`).toBe('https://github.com/chime-voice-operator/chime-voice-operator/blob/main/docs/operations.md');
        expect(url.hash).toBe(`#${r.alert.toLowerCase()}`);
        expect(anchors, `docs/operations.md has no heading for ${url.hash}`).toContain(url.hash.slice(1));
      }
    });

    it('has the default durations and thresholds of values.yaml', () => {
      expect(byName(rules, 'ChimeVoiceObjectsStalled').for).toBe('15m');
      expect(byName(rules, 'ChimeVoiceDriftPersistent').for).toBe('30m');
      expect(byName(rules, 'ChimeVoiceDriftRecurring').expr).toMatch(/\[1h\]\)\)\) > 2$/);
      expect(byName(rules, 'ChimeVoiceAwsThrottled').expr).toBe(
        'sum by (namespace, job, service, operation) (rate(chimevoice_aws_throttled_attempts_total{job="rel-chime-voice-operator-metrics",namespace="chime-system"}[5m])) > 0',
      );
      expect(byName(rules, 'ChimeVoiceAwsThrottled').for).toBe('15m');
      expect(byName(rules, 'ChimeVoiceAwsThrottledCallsFailing').expr).toBe(
        'sum by (namespace, job, service, operation) (rate(chimevoice_aws_calls_total{job="rel-chime-voice-operator-metrics",namespace="chime-system",outcome="ThrottledClientException"}[5m])) > 0',
      );
      expect(byName(rules, 'ChimeVoiceAwsThrottledCallsFailing').for).toBe('10m');
      expect(byName(rules, 'ChimeVoiceReconcilesStopped').expr).toContain('[2h]');
    });
  });

  it('applies the values: namespace, labels of the object and of every alert, per-alert for, window, threshold, severity, selector and runbook URL', async () => {
    const objs = await template(
      ...WITH_EVERY_ALERT,
      '--set', 'prometheusRule.namespace=monitoring',
      '--set', 'prometheusRule.additionalLabels.release=kube-prometheus-stack',
      '--set', 'prometheusRule.additionalRuleLabels.team=telephony',
      '--set', 'prometheusRule.additionalRuleLabels.severity=info',
      '--set', 'prometheusRule.alerts.ChimeVoiceObjectsStalled.for=1h',
      '--set', 'prometheusRule.alerts.ChimeVoiceObjectsStalled.severity=critical',
      '--set', 'prometheusRule.alerts.ChimeVoiceDriftRecurring.window=6h',
      '--set', 'prometheusRule.alerts.ChimeVoiceDriftRecurring.threshold=10',
      '--set-json', 'prometheusRule.alerts.ChimeVoiceAwsThrottled.threshold=0.5',
      '--set', 'prometheusRule.alerts.ChimeVoiceAwsThrottled.window=15m',
      '--set-json', 'prometheusRule.alerts.ChimeVoiceAwsThrottledCallsFailing.threshold=0.02',
      '--set', 'prometheusRule.selector=job="chime"',
      '--set', 'prometheusRule.runbookUrl=https://wiki.example.com/chime/runbook',
    );
    const [rule] = ruleObjects(objs);
    expect(rule.metadata.namespace).toBe('monitoring');
    expect(rule.metadata.labels?.release).toBe('kube-prometheus-stack');
    const rules = rulesOf(objs);
    expect(rules.map((r) => r.alert)).toEqual(ALL_ALERTS);
    const stalled = byName(rules, 'ChimeVoiceObjectsStalled');
    expect(stalled.for).toBe('1h');
    expect(stalled.labels).toEqual({ severity: 'critical', team: 'telephony' });
    expect(stalled.expr).toBe('sum by (namespace, job, kind) (chimevoice_objects{job="chime",state="stalled"}) > 0');
    expect(stalled.annotations.runbook_url).toBe('https://wiki.example.com/chime/runbook#chimevoiceobjectsstalled');
    expect(byName(rules, 'ChimeVoiceDriftPersistent').labels).toEqual({ severity: 'warning', team: 'telephony' });
    expect(byName(rules, 'ChimeVoiceDriftRecurring').expr).toBe('sum by (namespace, job, kind) (floor(increase(chimevoice_drift_detected_total{job="chime"}[6h]))) > 10');
    expect(byName(rules, 'ChimeVoiceAwsThrottled').expr).toBe('sum by (namespace, job, service, operation) (rate(chimevoice_aws_throttled_attempts_total{job="chime"}[15m])) > 0.5');
    expect(byName(rules, 'ChimeVoiceAwsThrottledCallsFailing').expr).toMatch(/\{job="chime",outcome="ThrottledClientException"\}\[5m\]\)\) > 0\.02$/);
    expect(byName(rules, 'ChimeVoiceEventsQueueDown').annotations.description).toContain('https://sqs.us-east-1.amazonaws.com/123456789012/chime-events');
  });

  it('leaves out an alert whose enabled is false, and keeps the others', async () => {
    const rules = rulesOf(await template(...WITH_EVERY_ALERT, '--set', 'prometheusRule.alerts.ChimeVoiceAwsThrottled.enabled=false'));
    expect(rules.map((r) => r.alert)).toEqual(ALL_ALERTS.filter((a) => a !== 'ChimeVoiceAwsThrottled'));
  });

  it('renders nothing when every alert is disabled (an empty rule group is no use)', async () => {
    const off = ALL_ALERTS.flatMap((a) => ['--set', `prometheusRule.alerts.${a}.enabled=false`]);
    expect(ruleObjects(await template(...WITH_EVERY_ALERT, ...off))).toEqual([]);
  });

  it('refuses a duration Prometheus cannot read, a negative threshold, an unknown alert and a selector in braces (values.schema.json)', async () => {
    const refused = async (...args: string[]) => {
      const r = await helm(['template', 'rel', CHART, '--set', 'prometheusRule.enabled=true', ...args]);
      expect(r.code, r.stdout).not.toBe(0);
      return r.stderr;
    };
    expect(await refused('--set', 'prometheusRule.alerts.ChimeVoiceObjectsStalled.for=1.5h')).toContain("at '/prometheusRule/alerts/ChimeVoiceObjectsStalled/for'");
    expect(await refused('--set', 'prometheusRule.alerts.ChimeVoiceAwsThrottled.threshold=-1')).toContain("at '/prometheusRule/alerts/ChimeVoiceAwsThrottled/threshold'");
    expect(await refused('--set', 'prometheusRule.alerts.ChimeVoiceThrottled.enabled=false')).toContain("additional properties 'ChimeVoiceThrottled' not allowed");
    expect(await refused('--set-json', 'prometheusRule.selector="{job=\\"chime\\"}"')).toContain("at '/prometheusRule/selector': '{job=\"chime\"}' does not match pattern");
  });

  it('names only metrics the controller exports (src/telemetry/metrics.ts), and `up`, which Prometheus makes', async () => {
    const rules = rulesOf(await template(...WITH_EVERY_ALERT));
    const exported = await exportedNames();
    const used = new Set(rules.flatMap((r) => metricNames(r.expr)));
    // The parser finds what the expressions are known to use (it would otherwise pass by finding nothing).
    expect([...used].sort()).toEqual(
      [
        'chimevoice_aws_calls_total',
        'chimevoice_aws_throttled_attempts_total',
        'chimevoice_drift_detected_total',
        'chimevoice_drifted_objects',
        'chimevoice_events_queue_up',
        'chimevoice_leader',
        'chimevoice_objects',
        'chimevoice_reconcile_total',
        'up',
      ].sort(),
    );
    for (const name of used) if (name !== 'up') expect(exported, `${name} is not exported by the controller`).toContain(name);
  });

  it('has a runbook section in docs/operations.md for each alert, and none for an alert it does not have', () => {
    const sections = [...readFileSync(OPERATIONS_MD, 'utf8').matchAll(/^### (ChimeVoice\w+)$/gm)].map((m) => m[1]);
    expect(sections.sort()).toEqual([...ALL_ALERTS].sort());
  });
});

describe('promtool', () => {
  let dir: string;
  beforeAll(async () => {
    await ensurePromtool();
    dir = mkdtempSync(join(tmpdir(), 'chime-promtool-'));
    copyFileSync(PROMTOOL_TESTS, join(dir, 'tests.yaml'));
  }, 40 * 60_000);

  /** Writes the rule file of the rendered PrometheusRule (its spec is a Prometheus rule file). */
  const writeRules = async (...args: string[]) => {
    const [rule] = ruleObjects(await template(...WITH_EVERY_ALERT, ...args));
    writeFileSync(join(dir, 'rules.yaml'), stringify(rule.spec));
  };

  it('check rules: the rendered rules are valid Prometheus rules', async () => {
    await writeRules();
    const r = ok(await promtool(['check', 'rules', 'rules.yaml'], dir), 'promtool check rules');
    expect(r.stdout).toContain(`SUCCESS: ${ALL_ALERTS.length} rules found`);
  });

  it('test rules: each alert fires after its `for` on series that should fire it, and not on those that should not', async () => {
    await writeRules();
    const r = ok(await promtool(['test', 'rules', 'tests.yaml'], dir), 'promtool test rules');
    expect(r.stdout).toContain('SUCCESS');
  });

  it('the tests expect each alert to fire at least once (so that none passes by never firing)', () => {
    const tests = parse(readFileSync(PROMTOOL_TESTS, 'utf8')) as { tests: Array<{ alert_rule_test: Array<{ alertname: string; exp_alerts: unknown[] }> }> };
    const fired = new Set(tests.tests.flatMap((t) => t.alert_rule_test.filter((a) => a.exp_alerts.length > 0).map((a) => a.alertname)));
    expect([...fired].sort()).toEqual([...ALL_ALERTS].sort());
  });

  it('test rules fails when an alert waits longer than its tests expect (the tests can fail)', async () => {
    await writeRules('--set', 'prometheusRule.alerts.ChimeVoiceObjectsStalled.for=30m');
    const r = await promtool(['test', 'rules', 'tests.yaml'], dir);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('ChimeVoiceObjectsStalled');
  });
});
