// `import` as a team adopting an account runs it: a seeded account (every kind and setting,
// numbers in every status), imported with no AWS write, then validate, plan and apply on the
// imported folder: valid, no changes, no writes. Filters, determinism and credentials too.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { seedAccount, SEEDED, writeSeededState, type SeededIds } from '../helpers/seeded-account.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, NO_COLOR: '1', NODE_NO_WARNINGS: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 80_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Every file under `dir`, by relative path, with its text. */
function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (sub: string) => {
    for (const entry of readdirSync(path.join(dir, sub))) {
      const rel = path.join(sub, entry);
      if (statSync(path.join(dir, rel)).isDirectory()) walk(rel);
      else out.set(rel, readFileSync(path.join(dir, rel), 'utf8'));
    }
  };
  walk('');
  return out;
}

interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: Record<string, any>;
  stringData?: Record<string, string>;
}

function docsOf(dir: string): Array<Doc & { file: string }> {
  const out: Array<Doc & { file: string }> = [];
  for (const [file, text] of readTree(dir)) {
    for (const d of parseAllDocuments(text)) {
      const doc = d.toJS() as Doc;
      // The kustomization has no metadata; every manifest has.
      out.push({ ...doc, metadata: doc.metadata ?? { name: '' }, file });
    }
  }
  return out;
}

const writes = (emu: Emulator) => emu.totalCalls((op) => !/^(Get|List|Search|Validate)/.test(op));

describe('import of a seeded account', () => {
  let emu: Emulator;
  let ids: SeededIds;
  let work: string;
  let out: string;
  let importRun: Run;
  let importWrites: number;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'cvo-import-'));
    // Strict regions: a regional resource is seen only through its own region's endpoint, so the
    // us-west-2 connector and application are imported only if import reads that region.
    emu = await startEmulator({ stateFile: path.join(work, 'state.json'), strictRegions: true });
    ids = await seedAccount(emu);
    emu.resetCounters();
    out = path.join(work, 'out');
    importRun = await cli(['import', '--endpoint', emu.url, '-o', out, '--acknowledge-biometric-consent', 'privacy@acme.example']);
    importWrites = writes(emu);
  }, 120_000);
  afterAll(async () => {
    await emu.stop();
  });

  it('reads the account without a single AWS write, and prints counts per kind', () => {
    expect(importRun.code, importRun.stderr).toBe(0);
    expect(importWrites).toBe(0);
    expect(emu.totalCalls()).toBeGreaterThan(0);
    expect(importRun.stdout).toMatch(/VoiceConnector\s+3\n/);
    expect(importRun.stdout).toMatch(/PhoneNumber\s+7\n/);
    expect(importRun.stdout).toMatch(/Secret \(credential user names\)\s+2\n/);
    expect(importRun.stdout).toContain('in the deletion queue');
  });

  it('writes every seeded resource into exactly one manifest, adopting it by id with deletionPolicy Retain', () => {
    const objects = docsOf(out).filter((d) => d.apiVersion === 'chimevoice.io/v1alpha1');
    const adopted = objects.map((d) => d.metadata.annotations?.['chimevoice.io/external-id']).filter((id): id is string => id !== undefined);
    expect([...adopted].sort()).toEqual([...ids.all].sort());
    expect(objects.filter((d) => d.kind === 'VoiceGlobalSettings').map((d) => d.spec)).toEqual([{ voiceConnector: { cdrBucket: SEEDED.cdrBucket }, deletionPolicy: 'Retain' }]);
    expect(objects.every((d) => d.spec?.deletionPolicy === 'Retain')).toBe(true);
    // Two connectors whose names make the same DNS name are told apart by a digest of their ids.
    const names = objects.filter((d) => d.kind === 'VoiceConnector').map((d) => d.metadata.name);
    expect(names).toContain('backup-trunk');
    expect(names.filter((n) => /^office-trunk-[0-9a-f]{6}$/.test(n))).toHaveLength(2);
  });

  it('writes spec.region from the region each regional resource was found in', () => {
    const objects = docsOf(out);
    const regionOf = (id: string) => objects.find((d) => d.metadata.annotations?.['chimevoice.io/external-id'] === id)!.spec!.region;
    expect(regionOf(ids.connectors.backup)).toBe('us-west-2');
    expect(regionOf(ids.apps.west)).toBe('us-west-2');
    expect(regionOf(ids.connectors.office)).toBe('us-east-1');
    expect(regionOf(ids.apps.main)).toBe('us-east-1');
    expect(regionOf(ids.domain)).toBe('us-east-1');
    expect(readTree(out).get('kustomization.yaml')).toContain('home region us-east-1, regional resources in us-east-1, us-west-2, ca-central-1,');
  });

  it('--regions narrows the regions read: a region left out is not imported, and an unknown region is a usage error', async () => {
    const east = path.join(work, 'east-only');
    const run = await cli(['import', '--endpoint', emu.url, '-o', east, '--regions', 'us-east-1', '--kinds', 'VoiceConnector,SipMediaApplication']);
    expect(run.code, run.stderr).toBe(0);
    const adopted = docsOf(east).map((d) => d.metadata.annotations?.['chimevoice.io/external-id']);
    expect(adopted).toContain(ids.connectors.office);
    expect(adopted).toContain(ids.apps.main);
    expect(adopted).not.toContain(ids.connectors.backup);
    expect(adopted).not.toContain(ids.apps.west);
    const west = path.join(work, 'west-only');
    expect((await cli(['import', '--endpoint', emu.url, '-o', west, '--regions', 'us-west-2', '--kinds', 'VoiceConnector'])).code).toBe(0);
    expect(docsOf(west).map((d) => d.metadata.annotations?.['chimevoice.io/external-id']).filter(Boolean)).toEqual([ids.connectors.backup]);
    const bad = await cli(['import', '--endpoint', emu.url, '-o', path.join(work, 'bad-regions'), '--regions', 'us-east-1,mars-1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('mars-1 is not a region of Chime SDK Voice Connectors and SIP media applications; regions: us-east-1, us-west-2');
    expect(() => readdirSync(path.join(work, 'bad-regions'))).toThrow(/ENOENT/);
  }, 120_000);

  it('writes references, not ids, wherever the schema has them', () => {
    const objects = docsOf(out);
    const byId = (id: string) => objects.find((d) => d.metadata.annotations?.['chimevoice.io/external-id'] === id)!;
    const office = byId(ids.connectors.office);
    expect(office.spec!.streaming.callAnalyticsConfigurationRef).toEqual({ name: 'contact-center-analytics' });
    expect(byId(ids.group).spec!.voiceConnectors).toEqual([
      { voiceConnectorRef: { name: office.metadata.name }, priority: 1 },
      { voiceConnectorRef: { name: 'backup-trunk' }, priority: 2 },
    ]);
    expect(byId(ids.numbers.office[0]).spec!.assignment).toEqual({ voiceConnectorRef: { name: office.metadata.name } });
    expect(byId(ids.numbers.group).spec!.assignment).toEqual({ voiceConnectorGroupRef: { name: 'east-west' } });
    expect(byId(ids.rules.mainLine).spec!.trigger).toEqual({ type: 'ToPhoneNumber', phoneNumberRef: { name: `pn-${ids.numbers.dialIn.slice(1)}` } });
    expect(byId(ids.rules.trunk).spec!.trigger).toEqual({ type: 'RequestUriHostname', voiceConnectorRef: { name: office.metadata.name } });
    expect(byId(ids.rules.mainLine).spec!.targetApplications).toEqual([
      { sipMediaApplicationRef: { name: 'ivr-main' }, priority: 1 },
      { sipMediaApplicationRef: { name: 'ivr-west' }, priority: 2 },
    ]);
    expect(byId(ids.numbers.deleted).spec!.driftPolicy).toBe('Report');
    expect(byId(ids.numbers.porting).file).toBe('phone-numbers/porting.yaml');
  });

  it('writes a Secret per credential with the user name and no password, referenced as optional', () => {
    const secrets = docsOf(out).filter((d) => d.kind === 'Secret');
    expect(secrets.map((s) => s.stringData)).toEqual([{ username: 'pbx-branch' }, { username: 'pbx-main' }]);
    const office = docsOf(out).find((d) => d.metadata.annotations?.['chimevoice.io/external-id'] === ids.connectors.office)!;
    expect(office.spec!.termination.credentials).toEqual(
      secrets.map((s) => ({ username: s.stringData!.username, passwordSecretRef: { name: s.metadata.name, key: 'password', optional: true } })),
    );
    expect(readTree(out).get('kustomization.yaml')).toContain('- credentials/');
  });

  it('validate passes, plan exits 0 with no changes, and apply makes no AWS write', async () => {
    const validate = await cli(['validate', '-f', out]);
    expect(validate.code, validate.stdout).toBe(0);
    // The kustomization is the folder's build configuration: not even a warning.
    expect(validate.stdout).toMatch(/valid, 0 warnings \(19 objects, 2 secrets\)/);

    const status = path.join(work, 'status.json');
    emu.resetCounters();
    const plan = await cli(['plan', '-f', out, '--endpoint', emu.url, '--status-file', status]);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes: AWS matches every manifest.');
    const apply = await cli(['apply', '-f', out, '--endpoint', emu.url, '--status-file', status, '--timeout', '5s']);
    expect(writes(emu)).toBe(0);
    // Ready, but for the numbers still arriving (porting) or leaving (deletion queue), which say so.
    const rows = apply.stdout.split('\n').filter((l) => /^[A-Z]\w+\s+default\//.test(l));
    expect(rows).toHaveLength(19);
    expect(rows.filter((r) => !/^\S+\s+\S+\s+True\s+False\s/.test(r)).map((r) => r.split(/\s+/)[1])).toEqual([
      'default/pn-12065550188',
      'default/pn-12122300102',
    ]);
    expect(apply.stdout).toMatch(/pn-12065550188\s+False\s+False\s+\S+\s+porting order \S+ is Submitted/);
    expect(apply.stdout).toMatch(/pn-12122300102\s+False\s+False\s+\S+\s+\S+ is in the deletion queue/);
  }, 120_000);

  it('imports the same account to the same files, run after run, and replaces its own earlier files', async () => {
    const again = path.join(work, 'again');
    const second = await cli(['import', '--endpoint', emu.url, '-o', again, '--acknowledge-biometric-consent', 'privacy@acme.example']);
    expect(second.code, second.stderr).toBe(0);
    expect(readTree(again)).toEqual(readTree(out));
    // A resource gone from AWS since the earlier import: its file goes; a file import never wrote stays.
    writeFileSync(path.join(again, 'phone-numbers', 'released.yaml'), 'kind: PhoneNumber\n');
    const kustomization = path.join(again, 'kustomization.yaml');
    writeFileSync(kustomization, readFileSync(kustomization, 'utf8').replace('resources:\n', 'resources:\n  - phone-numbers/released.yaml\n  - ../outside.yaml\n'));
    writeFileSync(path.join(work, 'outside.yaml'), 'mine');
    writeFileSync(path.join(again, 'README.md'), 'ours');
    const third = await cli(['import', '--endpoint', emu.url, '-o', again, '--acknowledge-biometric-consent', 'privacy@acme.example']);
    expect(third.code, third.stderr).toBe(0);
    expect(readTree(again)).toEqual(new Map([...readTree(out), ['README.md', 'ours']]));
    expect(readFileSync(path.join(work, 'outside.yaml'), 'utf8')).toBe('mine');
  }, 120_000);

  it('imports an emulator state file (--emulator --emulator-state): the seeded account saved by its generator', async () => {
    const state = path.join(work, 'seeded-state.json');
    const saved = await writeSeededState(state);
    const target = path.join(work, 'from-state');
    const run = await cli(['import', '--emulator', '--emulator-state', state, '-o', target]);
    expect(run.code, run.stderr).toBe(0);
    const adopted = docsOf(target)
      .map((d) => d.metadata.annotations?.['chimevoice.io/external-id'])
      .filter((id): id is string => id !== undefined);
    expect(adopted.sort()).toEqual([...saved.all].sort());
  }, 120_000);

  it('says which endpoint could not be read, and writes nothing', async () => {
    const target = path.join(work, 'unreachable');
    const run = await cli(['import', '--endpoint', 'http://127.0.0.1:9', '-o', target]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/reading the account failed \(http:\/\/127\.0\.0\.1:9, us-east-1\): .*\nNothing was written\./);
    expect(() => readdirSync(target)).toThrow(/ENOENT/);
  }, 120_000);

  it('refuses an unknown kind or a selector without =, as usage errors', async () => {
    const kinds = await cli(['import', '--endpoint', emu.url, '-o', path.join(work, 'bad-kinds'), '--kinds', 'VoiceConnector,Trunk']);
    expect(kinds.code).toBe(2);
    expect(kinds.stderr).toContain('unknown kind Trunk; kinds: VoiceConnector, VoiceConnectorGroup, PhoneNumber');
    const selector = await cli(['import', '--endpoint', emu.url, '-o', path.join(work, 'bad-selector'), '--selector', 'team']);
    expect(selector.code).toBe(2);
    expect(selector.stderr).toContain('a selector is key=value');
  });

  it('refuses a folder it did not write, and writes nothing there', async () => {
    const foreign = path.join(work, 'foreign');
    mkdirSync(foreign);
    writeFileSync(path.join(foreign, 'notes.txt'), 'mine');
    const run = await cli(['import', '--endpoint', emu.url, '-o', foreign]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('was not written by import');
    expect([...readTree(foreign).keys()]).toEqual(['notes.txt']);
  });

  it('filters by kind, by tag (with what belongs to the tagged resources) and by name prefix', async () => {
    const kinds = path.join(work, 'kinds');
    expect((await cli(['import', '--endpoint', emu.url, '-o', kinds, '--kinds', 'PhoneNumber,VoiceConnectorGroup'])).code).toBe(0);
    const kindDocs = docsOf(kinds).filter((d) => d.apiVersion.startsWith('chimevoice.io'));
    expect(new Set(kindDocs.map((d) => d.kind))).toEqual(new Set(['PhoneNumber', 'VoiceConnectorGroup']));
    // Connectors are not imported: the group names them by id, and numbers on a connector leave their assignment unmanaged.
    expect(kindDocs.find((d) => d.kind === 'VoiceConnectorGroup')!.spec!.voiceConnectors[0]).toEqual({ voiceConnectorId: ids.connectors.office, priority: 1 });
    const assignmentOf = (e164: string) => kindDocs.find((d) => d.spec?.e164 === e164)!.spec!.assignment;
    expect(assignmentOf(ids.numbers.office[0])).toBeUndefined();
    expect(assignmentOf(ids.numbers.group)).toEqual({ voiceConnectorGroupRef: { name: 'east-west' } });

    const tagged = path.join(work, 'tagged');
    expect((await cli(['import', '--endpoint', emu.url, '-o', tagged, '--selector', 'team=voice'])).code).toBe(0);
    const taggedIds = docsOf(tagged)
      .map((d) => d.metadata.annotations?.['chimevoice.io/external-id'])
      .filter(Boolean)
      .sort();
    expect(taggedIds).toEqual(
      [ids.connectors.office, ids.apps.main, ids.group, ids.rules.mainLine, ids.rules.trunk, ...ids.numbers.office, ids.numbers.group, ids.numbers.dialIn].sort(),
    );

    const prefixed = path.join(work, 'prefixed');
    expect((await cli(['import', '--endpoint', emu.url, '-o', prefixed, '--name-prefix', 'Backup'])).code).toBe(0);
    // The group holding the connector comes along, and the group's number with it.
    expect(
      docsOf(prefixed)
        .map((d) => `${d.kind}/${d.metadata.name}`)
        .filter((k) => !k.startsWith('Kustomization'))
        .sort(),
    ).toEqual([`PhoneNumber/pn-${ids.numbers.group.slice(1)}`, 'VoiceConnector/backup-trunk', 'VoiceConnectorGroup/east-west']);
  }, 120_000);

  it('leaves the passwords AWS holds alone until a Secret supplies one, then sets only that one', async () => {
    const dir = path.join(work, 'credentials-run');
    expect((await cli(['import', '--endpoint', emu.url, '-o', dir, '--kinds', 'VoiceConnector,CallAnalyticsConfiguration', '--acknowledge-biometric-consent', 'x'])).code).toBe(0);
    const status = path.join(work, 'credentials-status.json');
    const file = readdirSync(path.join(dir, 'credentials'))[0];
    const secretsFile = path.join(dir, 'credentials', file);
    writeFileSync(secretsFile, readFileSync(secretsFile, 'utf8').replace('  username: pbx-main\n', '  username: pbx-main\n  password: rotated-main-3\n'));
    emu.resetCounters();
    const plan = await cli(['plan', '-f', dir, '--endpoint', emu.url, '--status-file', status]);
    expect(plan.code, plan.stdout + plan.stderr).toBe(3);
    expect(plan.stdout).toContain('set termination credentials pbx-main on');
    expect(plan.stdout).not.toContain('pbx-branch on');
    expect(plan.stdout).not.toContain('rotated-main-3');
    const apply = await cli(['apply', '-f', dir, '--endpoint', emu.url, '--status-file', status]);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(emu.counters().PutVoiceConnectorTerminationCredentials).toEqual({ ok: 1 });
    expect(writes(emu)).toBe(1);
  }, 120_000);
});
