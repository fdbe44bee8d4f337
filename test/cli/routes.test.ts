/**
 * `routes`: golden pictures (text and Mermaid) of examples/ and of the broken and risky fixtures;
 * the picture of what AWS holds after examples/ is applied to the emulator, side by side with the
 * manifests, before and after a change made behind the controller's back; `--number`; exit codes.
 * Golden files are under test/cli/golden/ (`npx vitest run test/cli/routes.test.ts -u` rewrites them).
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPlan } from '../../src/cli/engine-commands.js';
import { PutVoiceConnectorOriginationCommand, ListVoiceConnectorsCommand } from '@aws-sdk/client-chime-sdk-voice';
import { AwsContext } from '../../src/aws/context.js';
import { runRoutes } from '../../src/cli/routes/command.js';
import type { RoutesOptions } from '../../src/cli/routes/options.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { handlers } from '../../src/kinds/index.js';
import { applyDirectory } from '../../src/sources/directory-mode.js';
import { StatusStore } from '../../src/sources/status-store.js';
import { testCredentials, voiceClient } from '../helpers/emulator.js';
import { runCli } from '../helpers/cli.js';

async function routes(opts: Partial<RoutesOptions>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } };
  const code = await runRoutes({ region: 'us-east-1', output: 'text', ...opts }, io);
  return { code, stdout, stderr };
}

describe('routes: golden pictures of manifests', () => {
  for (const [name, dir] of [
    ['examples', 'examples'],
    ['broken', 'test/fixtures/routes/broken'],
    ['risky', 'test/fixtures/routes/risky'],
  ] as const) {
    it(`${name}: text tree`, async () => {
      const r = await routes({ filename: dir });
      expect(r.stderr).toBe('');
      await expect(r.stdout).toMatchFileSnapshot(`./golden/routes-${name}.txt`);
    });
    it(`${name}: Mermaid`, async () => {
      const r = await routes({ filename: dir, output: 'mermaid' });
      await expect(r.stdout).toMatchFileSnapshot(`./golden/routes-${name}.mmd`);
    });
  }

  it('names every broken case with its stable id, and --fail-on broken exits 1', async () => {
    const r = await routes({ filename: 'test/fixtures/routes/broken', output: 'json', failOn: 'broken' });
    expect(r.code).toBe(1);
    const ids = (JSON.parse(r.stdout) as { findings: Array<{ id: string; severity: string }> }).findings.map((f) => `${f.severity} ${f.id}`);
    expect(ids).toEqual([
      'broken connector-origination-disabled:dark-trunk',
      'broken number-missing-target:+12065550152',
      'broken number-unrouted:+12065550150',
      'broken rule-application-missing:lost-ivr-rule/retired-ivr',
      'broken rule-disabled:paused-ivr-rule',
    ]);
  });

  it('names every risky case; --fail-on broken passes them, --fail-on risky does not', async () => {
    const broken = await routes({ filename: 'test/fixtures/routes/risky', failOn: 'broken' });
    expect(broken.code).toBe(0);
    const risky = await routes({ filename: 'test/fixtures/routes/risky', failOn: 'risky', output: 'json' });
    expect(risky.code).toBe(1);
    expect((JSON.parse(risky.stdout) as { findings: Array<{ id: string }> }).findings.map((f) => f.id)).toEqual([
      'group-single-region:sales',
      'rule-failover-same-region:survey',
      'termination-disabled:sales-b',
    ]);
  });

  it('examples/ has nothing broken or risky', async () => {
    const r = await routes({ filename: 'examples', failOn: 'risky' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Nothing broken or risky.');
  });

  it('a manifest the schema refuses stops the command at file:line, drawing nothing', async () => {
    const r = await routes({ filename: 'test/fixtures/invalid' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^test\/fixtures\/invalid\/.+\.yaml:\d+:\d+: /m);
    expect(r.stderr).toMatch(/no routes drawn from them/);
  });
});

describe('routes: what AWS holds', () => {
  let emu: Emulator;
  let state: { e164: Record<string, string> };
  beforeAll(async () => {
    // Strict regions: the us-west-2 application and connector of examples/ are seen only through
    // us-west-2's endpoint, so they show only if routes reads that region.
    emu = await startEmulator({ clockRate: 600, strictRegions: true });
    const aws = new AwsContext({ region: 'us-east-1', endpoint: emu.url, credentials: testCredentials, maxAttempts: 1 });
    try {
      const run = await applyDirectory({ dir: 'examples', aws, handlers, store: new StatusStore(undefined, emu.url), timeoutMs: 120_000 });
      expect(run.reports.every((r) => r.result.phase === 'Ready')).toBe(true);
      state = { e164: Object.fromEntries(run.reports.filter((r) => r.key.kind === 'PhoneNumber').map((r) => [r.key.name, String(r.result.status.atProvider?.e164)])) };
    } finally {
      aws.destroy();
    }
  }, 180_000);
  afterAll(async () => {
    await emu?.stop();
  });

  it('shows every number of examples/ with its path, by E.164, with AWS ids', async () => {
    const r = await routes({ endpoint: emu.url });
    expect(r.code).toBe(0);
    for (const [name, e164] of Object.entries(state.e164)) {
      expect(r.stdout).toContain(`${e164}  `);
      expect(r.stdout).toContain(`(default/${name})`);
    }
    const ivr = r.stdout.split('\n\n').find((b) => b.startsWith(state.e164['ivr-dial-in']))!;
    expect(ivr).toMatch(/SIP rule ivr-main-number {2}\[[0-9a-f-]{36}\]/);
    expect(ivr).toMatch(/1\. SIP media application ivr-east {2}us-east-1/);
    expect(ivr).toMatch(/2\. SIP media application ivr-west {2}us-west-2/);
    const cc = r.stdout.split('\n\n').find((b) => b.startsWith(state.e164['contact-center-line']))!;
    expect(cc).toMatch(/Voice Connector group contact-center[\s\S]*1\. Voice Connector contact-center-east {2}us-east-1[\s\S]*54\.240\.197\.10:5061 TCP {2}priority 1, weight 100[\s\S]*2\. Voice Connector contact-center-west {2}us-west-2/);
    expect(r.stdout).toMatch(/Voice Connector office-pbx-trunk {2}us-east-1 {2}encrypted[\s\S]*allowed from 52\.94\.133\.0\/28, 54\.240\.196\.16\/29\n├─ calling regions US, CA\n├─ 5 calls per second\n├─ credentials office-pbx\n└─ emergency calls → \+12065550911 \(test \+12065550933\), US/);
    // Passwords never: not even the Secret's.
    expect(r.stdout).not.toContain('change-me');
  });

  it('reads connectors and applications in every region; --regions narrows that, and a target left out shows by id', async () => {
    const all = await routes({ endpoint: emu.url, number: state.e164['ivr-dial-in'] });
    expect(all.stdout).toMatch(/1\. SIP media application ivr-east {2}us-east-1[\s\S]*2\. SIP media application ivr-west {2}us-west-2/);
    const east = await routes({ endpoint: emu.url, number: state.e164['ivr-dial-in'], regions: ['us-east-1'] });
    expect(east.stdout).toMatch(/1\. SIP media application ivr-east {2}us-east-1/);
    expect(east.stdout).not.toContain('ivr-west');
    const west = await routes({ endpoint: emu.url, number: state.e164['contact-center-line'], regions: ['us-west-2'] });
    expect(west.stdout).toMatch(/Voice Connector contact-center-west {2}us-west-2/);
    expect(west.stdout).not.toContain('Voice Connector contact-center-east');
  });

  async function planMarkdown(dir: string): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } };
    const code = await runPlan({ filename: dir, region: 'us-east-1', endpoint: emu.url, statusFile: join(mkdtempSync(join(tmpdir(), 'cvo-routes-plan-')), 'status.json'), timeout: 60_000, output: 'markdown' }, io);
    return { code, stdout, stderr };
  }

  it('plan -o markdown: no call path changes when the manifests match AWS', async () => {
    const r = await planMarkdown('examples');
    expect(r.stdout).toContain('#### Routes\n\nNo call path changes.');
  });

  it('plan -o markdown: the numbers a change reroutes, before and after, and only those', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cvo-routes-plan-'));
    cpSync('examples', dir, { recursive: true });
    const file = join(dir, 'sip-trunk-office-pbx/voice-connector.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('host: sbc2.pbx.example.com', 'host: sbc3.pbx.example.com'));
    const r = await planMarkdown(dir);
    expect(r.code).toBe(3);
    const section = r.stdout.slice(r.stdout.indexOf('#### Routes this change touches'));
    const rows = section.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows).toEqual(
      ['office-main-line', 'office-support-line'].map(
        (n) =>
          `| \`${state.e164[n]}\` (default/${n}) | VoiceConnector/office-pbx-trunk (us-east-1) → sbc1.pbx.example.com:5061, sbc2.pbx.example.com:5061 | VoiceConnector/office-pbx-trunk (us-east-1) → sbc1.pbx.example.com:5061, sbc3.pbx.example.com:5061 |`,
      ),
    );
    const [before, after] = [...section.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(before).toContain('sbc2.pbx.example.com:5061');
    expect(before).not.toContain('sbc3');
    expect(after).toContain('sbc3.pbx.example.com:5061');
    expect(after).not.toContain('sbc2');
    expect(section).not.toContain('ivr');
  });

  it('side by side with the manifests: the same, then a path changed in AWS is marked on both sides', async () => {
    const same = await routes({ filename: 'examples', endpoint: emu.url });
    expect(same.stdout).toContain('the same in both');
    expect(same.stdout).not.toContain('≠');

    const voice = voiceClient(emu);
    const trunk = (await voice.send(new ListVoiceConnectorsCommand({}))).VoiceConnectors!.find((c) => c.Name === 'office-pbx-trunk')!;
    await voice.send(
      new PutVoiceConnectorOriginationCommand({
        VoiceConnectorId: trunk.VoiceConnectorId,
        Origination: { Routes: [{ Host: 'sbc3.pbx.example.com', Port: 5061, Protocol: 'TCP', Priority: 1, Weight: 100 }] },
      }),
    );
    const changed = await routes({ filename: 'examples', endpoint: emu.url });
    expect(changed.stdout).toContain('2 differ (marked ≠)');
    for (const line of ['office-main-line', 'office-support-line']) {
      const block = changed.stdout.split('\n\n').find((b) => b.startsWith(`≠ ${state.e164[line]}`))!;
      expect(block, line).toContain('sbc1.pbx.example.com:5061 TCP  priority 1, weight 50');
      expect(block, line).toContain('sbc3.pbx.example.com:5061 TCP  priority 1, weight 100');
    }
    // The unchanged numbers are shown once, unmarked.
    expect(changed.stdout).toContain(`  ${state.e164['ivr-dial-in']}  IVR dial-in`);
    const mermaid = await routes({ filename: 'examples', endpoint: emu.url, output: 'mermaid' });
    expect(mermaid.stdout).toMatch(/subgraph s1\["manifests \(examples\)"\][\s\S]*subgraph s2\["AWS \(http/);
    expect(mermaid.stdout).toMatch(/class (n\d+,){3}n\d+ changed/);
  });

  it('--number answers what happens when that number is called, however it is written', async () => {
    const e164 = state.e164['ivr-dial-in'];
    const spaced = `${e164.slice(0, 2)} ${e164.slice(2, 5)} ${e164.slice(5, 8)} ${e164.slice(8)}`;
    const r = await routes({ endpoint: emu.url, number: spaced });
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^\+1\d{10} {2}/gm)).toEqual([`${e164}  `]);
    expect(r.stdout).toContain('SIP rule ivr-main-number');
    expect(r.stdout).not.toContain('Outbound');
    const byName = await routes({ filename: 'examples', number: 'office-main-line', output: 'mermaid' });
    expect(byName.stdout).toContain('office-pbx-trunk');
    expect(byName.stdout).not.toContain('ivr');
    const missing = await routes({ endpoint: emu.url, number: '+19995550000' });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`routes: no number +19995550000 in AWS (${emu.url}) (numbers: `);
  });

  it('an endpoint that does not answer is named, with the cause, and nothing is drawn', async () => {
    const r = await routes({ endpoint: 'http://127.0.0.1:9' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^routes: could not read the routes from http:\/\/127\.0\.0\.1:9: .*ECONNREFUSED/m);
  }, 120_000);
});

describe('routes on the command line', () => {
  it('without a source is a usage error (exit 2) that says which flags give one', async () => {
    const r = await runCli(['routes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('routes: say where the routes come from: -f DIR (manifests), --aws, --endpoint or --emulator (AWS), or --cluster');
  });

  it('draws examples/ as DOT through the real entry point', async () => {
    const r = await runCli(['routes', '-f', 'examples', '-o', 'dot']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^digraph routes \{/);
    expect(r.stdout).toContain('label="Voice Connector group contact-center"');
  });
});
