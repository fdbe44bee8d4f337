/**
 * Directory mode in another account (docs/accounts.md): `--account NAME` takes the AwsAccount of
 * that name from a file beside the manifests and assumes its role through STS (here the
 * emulator's), so the folder lands in that account and nowhere else. The account is recorded in
 * the status file: the same folder applied to another account is refused as a replacement
 * ("moves to account X: replace"), in plan and apply, with nothing written. spec.accountRef naming
 * another account than --account is an error at its line.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { runCli } from '../helpers/cli.js';

const PROD = '210987654321';
const STAGING = '333344445555';
const ROLE = (account: string) => `arn:aws:iam::${account}:role/chime-voice-operator`;

const accountsYaml = `# How --account reaches each account.
apiVersion: chimevoice.io/v1alpha1
kind: AwsAccount
metadata:
  name: prod
spec:
  region: us-east-1
  assumeRole:
    roleArn: ${ROLE(PROD)}
    externalId: chime-prod-7
---
apiVersion: chimevoice.io/v1alpha1
kind: AwsAccount
metadata:
  name: staging
spec:
  assumeRole:
    roleArn: ${ROLE(STAGING)}
`;

describe('apply --account', () => {
  let emu: Emulator;
  let work: string;
  let statusFile: string;
  // Credentials the emulator maps to its default account: the base the roles are assumed with.
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' };
  delete env.AWS_PROFILE;
  const run = (args: string[]) => runCli([...args, '-f', work, '--endpoint', emu.url, '--status-file', statusFile, '--timeout', '60s'], { env, timeoutMs: 120_000 });

  beforeAll(async () => {
    emu = await startEmulator({ clockRate: 50, roles: { [ROLE(PROD)]: { externalId: 'chime-prod-7' } } });
    work = mkdtempSync(path.join(tmpdir(), 'chime-accounts-'));
    cpSync('examples/ivr', work, { recursive: true });
    writeFileSync(path.join(work, 'accounts.yaml'), accountsYaml);
    statusFile = path.join(work, '.status', 'status.json');
  });
  afterAll(async () => {
    await emu?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('applies the folder in the AwsAccount of the folder, through its role, and records the account in status', async () => {
    const r = await run(['apply', '--account', 'prod']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`account prod: role ${ROLE(PROD)} assumed through STS, home region us-east-1`);
    const names = (id: string) => Object.values(emu.stateOf(id).sipMediaApplications).map((s) => s.Name).sort();
    expect(names(PROD)).toEqual(['ivr-east', 'ivr-west']);
    expect(names(emu.config.accountId)).toEqual([]);
    expect(emu.accountIds()).not.toContain(STAGING);
    const status = JSON.parse(readFileSync(statusFile, 'utf8')) as unknown;
    const accounts = JSON.stringify(status).match(/"account":"[^"]*"/g) ?? [];
    expect(accounts.length).toBeGreaterThanOrEqual(4);
    expect(new Set(accounts)).toEqual(new Set(['"account":"prod"']));
  }, 150_000);

  it('the same folder and status in another account is a replacement: plan and apply say so and write nothing', async () => {
    emu.resetCounters();
    const plan = await run(['plan', '--account', 'staging']);
    expect(plan.stdout + plan.stderr).toContain('moves to AwsAccount staging: replace');
    expect(plan.code).not.toBe(0);
    const apply = await run(['apply', '--account', 'staging']);
    expect(apply.code).not.toBe(0);
    expect(apply.stdout + apply.stderr).toContain('AccountChanged');
    expect(emu.totalCalls((op) => !/^(Get|List|Search)/.test(op))).toBe(0);
    expect(Object.values(emu.stateOf(STAGING).sipMediaApplications)).toEqual([]);
  }, 150_000);

  it('spec.accountRef naming another account than --account is an error at its line, before any AWS call', async () => {
    const file = path.join(work, 'sip-media-applications.yaml');
    const before = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, before.replace(/^spec:\n/m, 'spec:\n  accountRef:\n    name: staging\n'));
      emu.resetCounters();
      const v = await runCli(['validate', '-f', work, '--account', 'prod']);
      expect(v.code).toBe(1);
      expect(v.stdout + v.stderr).toMatch(/sip-media-applications\.yaml:\d+:\d+.*spec\.accountRef names account staging, but this run applies the folder to account prod/);
      const apply = await run(['apply', '--account', 'prod']);
      expect(apply.code).toBe(1);
      expect(emu.totalCalls()).toBe(0);
    } finally {
      writeFileSync(file, before);
    }
  }, 150_000);
});
