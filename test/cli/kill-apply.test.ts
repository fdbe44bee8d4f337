/**
 * kill -9 of `apply` (a real child process) at call boundaries of creates, with listings lagging
 * longer than a restart (API5): every object ends with exactly one AWS resource, and phone numbers
 * are ordered exactly once each. The emulator runs in the test process at clock rate 20, so that
 * the listing lag and order processing pass in seconds; its call hook kills the process when a
 * chosen call is received (before AWS acts on it) or answered (after, before the answer arrives).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { emptyState } from '../../src/emulator/core/state.js';
import { applyWithKills, duplicates, orderSummary, resourcesByOwner, writeManifests } from '../helpers/apply-process.js';
import { createsMade } from '../helpers/crash.js';

const CLOCK_RATE = 20;
/** Emulated: 3 s of real time, longer than a restart of the CLI. */
const LISTING_LAG_MS = 60_000;

let emu: Emulator;
let work: string;
beforeAll(async () => {
  emu = await startEmulator({ clockRate: CLOCK_RATE });
  work = mkdtempSync(join(tmpdir(), 'kill-apply-'));
});
afterAll(async () => {
  emu.setCallHook(undefined);
  await emu.stop();
  rmSync(work, { recursive: true, force: true });
});

const connector = (name: string) => `apiVersion: chimevoice.io/v1alpha1
kind: VoiceConnector
metadata:
  name: ${name}
spec:
  region: us-east-1
  requireEncryption: true
  tags: { team: telephony }
  termination:
    cpsLimit: 5
    callingRegions: [US]
    cidrAllowedList: [52.94.133.0/28]
  origination:
    routes:
      - { host: sbc1.example.com, port: 5061, protocol: TCP, priority: 1, weight: 10 }
  logging: { enableSIPLogs: true }
---
apiVersion: chimevoice.io/v1alpha1
kind: VoiceConnectorGroup
metadata:
  name: ${name}-group
spec:
  name: ${name}-group
  voiceConnectors:
    - voiceConnectorRef: { name: ${name} }
      priority: 1
`;

const isWrite = (op: string) => !/^(Get|List|Search|Validate)/.test(op);

describe('kill -9 of apply at call boundaries, listings lagging longer than a restart', () => {
  it('connectors and groups: killed at every write boundary of their creates in turn, exactly one AWS resource per object', async () => {
    emu.resetState(emptyState());
    emu.resetCounters();
    emu.setFaults({ listingLagMs: LISTING_LAG_MS });
    const dir = writeManifests(join(work, 'vc'), { 'a.yaml': connector('alpha'), 'b.yaml': connector('beta') });
    const statusFile = join(work, 'vc', 'status.json');
    // Each run is killed at its 1st, 2nd or 3rd write boundary in turn (a write received, or answered): every run gets a little further.
    const seen = new Map<number, number>();
    const { kills, code, output } = await applyWithKills(
      emu,
      dir,
      statusFile,
      (event, run) => {
        if (!isWrite(event.operation)) return false;
        const n = seen.get(run) ?? 0;
        seen.set(run, n + 1);
        return n === run % 3;
      },
      { maxKills: 8, args: ['--timeout', '2m'] },
    );
    // Killed until apply gets through, at most 8 times: how many runs that takes depends on the writes
    // the plans need and on which of a connector's settings go out side by side, so the count is a
    // range, not a number.
    expect(kills).toBeGreaterThanOrEqual(4);
    expect(kills).toBeLessThanOrEqual(8);
    expect({ code, output }).toMatchObject({ code: 0 });
    emu.tick();
    expect(duplicates(emu.state)).toEqual([]);
    const owners = resourcesByOwner(emu.state);
    expect(owners.VoiceConnector).toEqual({ 'default/alpha': 1, 'default/beta': 1 });
    expect(owners.VoiceConnectorGroup).toEqual({ 'alpha-group': 1, 'beta-group': 1 });
    expect(createsMade(emu)).toEqual({ CreateVoiceConnector: 2, CreateVoiceConnectorGroup: 2 });
  }, 180_000);

  it('30 ordered numbers, 4 s of emulated latency on CreatePhoneNumberOrder, 12 kills during order calls, at the default concurrency (creates one at a time): exactly 30 orders, each number ordered once', async () => {
    emu.resetState(emptyState());
    emu.resetCounters();
    emu.setFaults({ listingLagMs: LISTING_LAG_MS, latencyMs: { CreatePhoneNumberOrder: 4_000 } });
    const codes = ['206', '425', '212', '312', '415'];
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) {
      files[`n${i}.yaml`] = `apiVersion: chimevoice.io/v1alpha1
kind: PhoneNumber
metadata:
  name: line-${i}
spec:
  order: { country: US, areaCode: "${codes[i % codes.length]}" }
  productType: VoiceConnector
`;
    }
    const dir = writeManifests(join(work, 'pn'), files);
    const statusFile = join(work, 'pn', 'status.json');
    // Each run is killed while its second order call is in flight (received, not yet served); orders are creates, sent one at a time whatever the concurrency.
    const orders = new Map<number, number>();
    const { kills, code, output } = await applyWithKills(
      emu,
      dir,
      statusFile,
      (event, run) => {
        if (event.operation !== 'CreatePhoneNumberOrder' || event.phase !== 'received') return false;
        const n = (orders.get(run) ?? 0) + 1;
        orders.set(run, n);
        return n === 2;
      },
      { maxKills: 12, args: ['--timeout', '3m'] },
    );
    expect(kills).toBe(12);
    expect({ code, output }).toMatchObject({ code: 0 });
    emu.tick();
    expect(orderSummary(emu.state)).toEqual({ orders: 30, byStatus: { Successful: 30 }, numbersOrdered: 30, distinctNumbers: 30 });
    expect(createsMade(emu)).toEqual({ CreatePhoneNumberOrder: 30 });
    expect(duplicates(emu.state)).toEqual([]);
    expect(Object.keys(resourcesByOwner(emu.state).PhoneNumber)).toHaveLength(30);
  }, 300_000);
});
