// Chaos: `apply` killed with SIGKILL at random moments, twenty times, while the emulator throttles
// a fifth of the calls, fails one in twenty with a 5xx, hides new resources from reads by id for a
// consistency window (API5) and from listings for a listing lag. Then one clean apply. What must
// hold whatever the moments were: exactly one AWS resource per object, exactly as many numbers
// ordered as PhoneNumbers ask for, a final plan with no changes, and no password (nor a digest of
// one) in anything the runs printed or stored.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { mulberry32 } from '../../src/emulator/core/faults.js';
import type { CallEvent } from '../../src/emulator/core/server.js';
import { applyWithKills, duplicates, orderSummary } from '../helpers/apply-process.js';
import { assertNoSecretLeak } from '../helpers/secrets.js';

const SEED = Number(process.env.CHAOS_SEED ?? 20261205);
const KILLS = 20;
/** Emulated seconds per real second: orders complete in seconds, and the lags stay longer than a restart. */
const CLOCK_RATE = 20;
/** Emulated: 60 s is 3 s of real time, longer than a restarted `apply` takes to reach its first call. */
const LISTING_LAG_MS = 60_000;
const CONSISTENCY_WINDOW_MS = 40_000;

const PASSWORDS = ['Chaos-Trunk-Passw0rd-A', 'Chaos-Trunk-Passw0rd-B'];
/** What the kill helper's apply runs use, so the final apply and plan sign the same way. */
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: 'us-east-1' };

interface Fleet {
  connectors: string[];
  groups: string[];
  numbers: string[];
  applications: string[];
  rules: string[];
}

/** Writes the fleet's manifests into `dir`: connectors with credentials, a group, ordered numbers, SIP media applications and rules. */
function writeFleet(dir: string): Fleet {
  mkdirSync(dir, { recursive: true });
  const docs: string[] = [];
  const fleet: Fleet = { connectors: [], groups: [], numbers: [], applications: [], rules: [] };
  PASSWORDS.forEach((password, i) => {
    docs.push(`apiVersion: v1
kind: Secret
metadata: { name: trunk-${i}-credentials, namespace: default }
type: Opaque
stringData:
  password: ${password}
`);
  });
  const connectors: Array<[string, string, number | undefined]> = [
    ['pbx-east', 'us-east-1', 0],
    ['pbx-west', 'us-west-2', 1],
    ['cc-east', 'us-east-1', undefined],
    ['cc-west', 'us-west-2', undefined],
  ];
  for (const [name, region, credentials] of connectors) {
    fleet.connectors.push(name);
    docs.push(`apiVersion: chimevoice.io/v1alpha1
kind: VoiceConnector
metadata: { name: ${name}, namespace: default }
spec:
  name: chaos-${name}
  region: ${region}
  requireEncryption: true
  tags: { team: chaos }
  origination:
    routes:
      - { host: sbc.${name}.example.com, port: 5061, protocol: TCP, priority: 1, weight: 100 }
${
  credentials === undefined
    ? ''
    : `  termination:
    cpsLimit: 3
    callingRegions: [US]
    cidrAllowedList: [52.94.133.0/28]
    credentials:
      - username: ${name}
        passwordSecretRef: { name: trunk-${credentials}-credentials, key: password }
  logging: { enableSIPLogs: true }
`
}`);
  }
  fleet.groups.push('cc-group');
  docs.push(`apiVersion: chimevoice.io/v1alpha1
kind: VoiceConnectorGroup
metadata: { name: cc-group, namespace: default }
spec:
  name: chaos-cc-group
  voiceConnectors:
    - { voiceConnectorRef: { name: cc-east }, priority: 1 }
    - { voiceConnectorRef: { name: cc-west }, priority: 2 }
`);
  const numbers: Array<[string, string, string]> = [
    ['pbx-east-1', '206', 'voiceConnectorRef: { name: pbx-east }'],
    ['pbx-east-2', '206', 'voiceConnectorRef: { name: pbx-east }'],
    ['pbx-west-1', '425', 'voiceConnectorRef: { name: pbx-west }'],
    ['pbx-west-2', '425', 'voiceConnectorRef: { name: pbx-west }'],
    ['cc-1', '206', 'voiceConnectorGroupRef: { name: cc-group }'],
    ['cc-2', '425', 'voiceConnectorGroupRef: { name: cc-group }'],
  ];
  for (const [name, areaCode, assignment] of numbers) {
    fleet.numbers.push(name);
    docs.push(`apiVersion: chimevoice.io/v1alpha1
kind: PhoneNumber
metadata: { name: ${name}, namespace: default }
spec:
  order: { country: US, state: WA, areaCode: "${areaCode}" }
  productType: VoiceConnector
  name: Chaos ${name}
  callingName: Chaos Corp
  assignment:
    ${assignment}
  deletionPolicy: Retain
`);
  }
  for (const [name, region] of [
    ['ivr-east', 'us-east-1'],
    ['ivr-west', 'us-west-2'],
  ]) {
    fleet.applications.push(name);
    docs.push(`apiVersion: chimevoice.io/v1alpha1
kind: SipMediaApplication
metadata: { name: ${name}, namespace: default }
spec:
  name: chaos-${name}
  region: ${region}
  endpoint: { lambdaArn: "arn:aws:lambda:${region}:123456789012:function:chaos-ivr" }
`);
  }
  for (const [i, areaCode] of [
    [1, '206'],
    [2, '425'],
  ] as const) {
    fleet.numbers.push(`ivr-${i}`);
    fleet.rules.push(`ivr-rule-${i}`);
    docs.push(`apiVersion: chimevoice.io/v1alpha1
kind: PhoneNumber
metadata: { name: ivr-${i}, namespace: default }
spec:
  order: { country: US, state: WA, areaCode: "${areaCode}" }
  productType: SipMediaApplicationDialIn
  name: Chaos IVR ${i}
  deletionPolicy: Retain
---
apiVersion: chimevoice.io/v1alpha1
kind: SipRule
metadata: { name: ivr-rule-${i}, namespace: default }
spec:
  name: chaos-ivr-rule-${i}
  trigger: { type: ToPhoneNumber, phoneNumberRef: { name: ivr-${i} } }
  targetApplications:
    - { sipMediaApplicationRef: { name: ivr-east }, priority: 1, region: us-east-1 }
    - { sipMediaApplicationRef: { name: ivr-west }, priority: 2, region: us-west-2 }
`);
  }
  writeFileSync(path.join(dir, 'fleet.yaml'), docs.join('---\n'));
  return fleet;
}

interface Run {
  code: number | null;
  output: string;
}

function cli(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, ...CREDENTIALS, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    // A hung CLI fails the test with its output instead of a bare timeout.
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('chaos: apply killed at random moments under faults', () => {
  let emu: Emulator;
  let work: string;
  let fleet: Fleet;
  beforeAll(async () => {
    emu = await startEmulator({ clockRate: CLOCK_RATE, strictRegions: true });
    work = mkdtempSync(path.join(tmpdir(), 'cvo-chaos-'));
    fleet = writeFleet(path.join(work, 'fleet'));
  });
  afterAll(async () => {
    await emu.stop();
  });

  const statusFile = () => path.join(work, 'state', 'status.json');
  const target = () => ['-f', path.join(work, 'fleet'), '--endpoint', emu.url, '--status-file', statusFile()];

  it(`survives ${KILLS} kill -9 of apply (seed ${SEED}): one AWS resource per object, one order per number, a clean final plan, no secret in any output`, { timeout: 900_000 }, async () => {
    const random = mulberry32(SEED);
    emu.setFaults({
      seed: SEED,
      errorRates: { '*': [{ probability: 0.2, error: 'ThrottledClientException' }, { probability: 0.05, status: 503 }] },
      consistencyWindowMs: CONSISTENCY_WINDOW_MS,
      listingLagMs: LISTING_LAG_MS,
    });
    const outputs: string[] = [];
    const moments: string[] = [];
    let kills = 0;
    // Each run dies at a random call: as the call arrives (the write may or may not be sent) or
    // after AWS served it and before the process could record the answer.
    let calls = 0;
    let killAfter = 0;
    let phase: CallEvent['phase'] = 'received';
    const draw = () => {
      calls = 0;
      killAfter = 1 + Math.floor(random() * 25);
      phase = random() < 0.5 ? 'received' : 'answered';
    };
    draw();
    while (kills < KILLS) {
      const run = await applyWithKills(
        emu,
        path.join(work, 'fleet'),
        statusFile(),
        (event) => {
          if (event.phase !== phase) return false;
          if (++calls < killAfter) return false;
          moments.push(`${phase} ${event.operation} (call ${killAfter})`);
          draw();
          return true;
        },
        { maxKills: KILLS - kills },
      );
      kills += run.kills;
      outputs.push(run.output);
      // A run the draws let finish must have converged, like any apply.
      expect(run.code, `apply after ${kills} kills (${moments.join('; ')}):\n${run.output}`).toBe(0);
    }
    expect(new Set(moments.map((m) => m.split(' ')[1])).size, `kill moments: ${moments.join('; ')}`).toBeGreaterThan(3);

    const final = await cli(['apply', ...target(), '--status-out', path.join(work, 'status.yaml')]);
    outputs.push(final.output);
    expect(final.code, final.output).toBe(0);

    const state = emu.state;
    expect(duplicates(state), 'AWS resources held twice').toEqual([]);
    const named = <T extends { Name: string }>(records: Record<string, T>) => Object.values(records).map((r) => r.Name).sort();
    expect(named(state.voiceConnectors), 'voice connectors').toEqual(fleet.connectors.map((n) => `chaos-${n}`).sort());
    expect(named(state.voiceConnectorGroups), 'voice connector groups').toEqual(fleet.groups.map((n) => `chaos-${n}`).sort());
    expect(named(state.sipMediaApplications), 'SIP media applications').toEqual(fleet.applications.map((n) => `chaos-${n}`).sort());
    expect(named(state.sipRules), 'SIP rules').toEqual(fleet.rules.map((n) => `chaos-${n}`).sort());
    expect(Object.values(state.phoneNumbers).map((n) => n.Name).sort(), 'phone numbers in the account').toEqual(
      // The order writes the ownership marker into the number's name (PN1).
      fleet.numbers.map((n) => `${n.startsWith('ivr-') ? `Chaos IVR ${n.slice(4)}` : `Chaos ${n}`} chimevoice.default.${n}`).sort(),
    );
    const orders = orderSummary(state);
    expect(orders, 'phone number orders').toEqual({ orders: fleet.numbers.length, byStatus: { Successful: fleet.numbers.length }, numbersOrdered: fleet.numbers.length, distinctNumbers: fleet.numbers.length });

    // The faults that fail calls go; the lags stay. A plan observes once, without apply's retries.
    emu.setFaults({ consistencyWindowMs: CONSISTENCY_WINDOW_MS, listingLagMs: LISTING_LAG_MS });
    const plan = await cli(['plan', ...target()]);
    outputs.push(plan.output);
    expect(plan.code, plan.output).toBe(0);

    const stored = readdirSync(path.join(work, 'state')).map((f) => readFileSync(path.join(work, 'state', f), 'utf8'));
    assertNoSecretLeak([...outputs, ...stored, readFileSync(path.join(work, 'status.yaml'), 'utf8')].join('\n'), PASSWORDS);
  });
});
