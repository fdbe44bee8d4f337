/**
 * Two PhoneNumbers claiming one number in a cluster: the one created later is Stalled with reason
 * ClaimConflict naming the other, and nothing it does reaches AWS, so the number keeps the first
 * object's name (before, both were Ready and each pass renamed the number back and forth). The
 * CRDs bound every integer too: a calls-per-second limit past int32 is refused at admission.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startCluster, type Cluster } from '../helpers/cluster.js';
import { holdNumber } from '../helpers/emulator.js';
import { applyCrds, applyObject, conditionOf, eventually, getObject, mutatingCalls, sleep, startController, waitForCondition, type ControllerProcess } from './helpers.js';

let cluster: Cluster;
let emulator: Emulator;
let controller: ControllerProcess;
const E164 = '+12062010077';

const number = (name: string, callingLine: string) => ({
  apiVersion: 'chimevoice.io/v1alpha1',
  kind: 'PhoneNumber',
  metadata: { name, namespace: 'default' },
  spec: { e164: E164, productType: 'VoiceConnector', name: callingLine },
});

beforeAll(async () => {
  [cluster, emulator] = await Promise.all([startCluster(), startEmulator({ clockRate: 50, strictRegions: true })]);
  holdNumber(emulator, E164);
  await applyCrds(cluster);
  controller = await startController({ kubeconfig: cluster.kubeconfig, endpoint: emulator.url, resync: '5s', name: 'claims' });
}, 20 * 60_000);

afterAll(async () => {
  await controller?.stop();
  await emulator?.stop();
  await cluster?.stop();
});

describe('one AWS resource, one object, in a cluster', () => {
  it('the later PhoneNumber is Stalled with ClaimConflict naming the earlier, and AWS keeps the first name', async () => {
    await applyObject(cluster, number('line-a', 'Line A'));
    await waitForCondition(cluster, 'phonenumber/line-a', 'Ready', { timeoutMs: 60_000 });
    // creationTimestamp has a one-second resolution: the later object must be later by it.
    await sleep(1_100);
    emulator.resetCounters();
    await applyObject(cluster, number('line-b', 'Line B'));
    await waitForCondition(cluster, 'phonenumber/line-b', 'Stalled', { timeoutMs: 60_000 });
    const b = await getObject(cluster, 'phonenumber/line-b');
    expect(conditionOf(b, 'Ready')).toMatchObject({ status: 'False', reason: 'ClaimConflict' });
    expect(conditionOf(b, 'Ready')?.message).toContain(`claims the number ${E164}, which PhoneNumber default/line-a already claims`);
    // Several resyncs later: still no write, and the number is still "Line A".
    await sleep(12_000);
    expect(mutatingCalls(emulator.counters())).toEqual({});
    expect(emulator.state.phoneNumbers[E164]?.Name).toBe('Line A');
    expect(conditionOf(await getObject(cluster, 'phonenumber/line-a'), 'Ready')?.status).toBe('True');
  }, 180_000);

  it('deleting the refused object leaves the number to the other', async () => {
    emulator.resetCounters();
    await cluster.kubectl(['delete', 'phonenumber/line-b', '--wait=true', '--timeout=60s']);
    await eventually('line-b gone', async () => (await getObject(cluster, 'phonenumber/line-b')) === undefined);
    expect(mutatingCalls(emulator.counters())).toEqual({});
    expect(emulator.state.phoneNumbers[E164]?.Status).toBe('Unassigned');
  }, 120_000);

  it('a calls-per-second limit past int32 is refused at admission', async () => {
    const r = await cluster.kubectl(['apply', '-f', '-'], {
      check: false,
      input: JSON.stringify({
        apiVersion: 'chimevoice.io/v1alpha1',
        kind: 'VoiceConnector',
        metadata: { name: 'big', namespace: 'default' },
        spec: { region: 'us-east-1', requireEncryption: true, termination: { cpsLimit: 2147483648, callingRegions: ['US'] } },
      }),
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr.replace(/\s+/g, ' ')).toContain('spec.termination.cpsLimit: Invalid value: 2147483648: spec.termination.cpsLimit in body should be less than or equal to 2147483647');
  }, 60_000);
});
