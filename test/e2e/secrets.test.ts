/**
 * Termination passwords in a cluster: the controller keys its password digests with a Secret of its
 * own namespace, which it creates on first start (or is given); status holds only that keyed
 * digest; a changed Secret is sent once (Event DriftDetected "password changed") and then nothing
 * is written; a lost key Secret costs one more write after a restart; and no status, Event or log
 * line carries a password, an unkeyed digest of it, or the key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { SecretDigest } from '../../src/reconcile/secret-digest.js';
import { startCluster, type Cluster } from '../helpers/cluster.js';
import { assertNoSecretLeak } from '../helpers/secrets.js';
import { applyCrds, applyObject, eventually, getObject, sleep, startController, waitForCondition, waitForEvent, type ControllerProcess } from './helpers.js';

let cluster: Cluster;
let emulator: Emulator;
let controller: ControllerProcess | undefined;

const KEY_SECRET = 'chime-voice-operator-digest-key';
const FIRST = 'hunter22';
const SECOND = 'Tr0mb0ne!x';
const RESYNC = '10s';
/** The controller caches a Secret for 30 s, then a resync (10 s ±10%) finds the change. */
const DETECT_MS = 90_000;

const connector = {
  apiVersion: 'chimevoice.io/v1alpha1',
  kind: 'VoiceConnector',
  metadata: { name: 'trunk', namespace: 'default' },
  spec: {
    termination: {
      callingRegions: ['US'],
      cidrAllowedList: ['52.94.133.0/28'],
      credentials: [{ username: 'pbx', passwordSecretRef: { name: 'sip', key: 'password' } }],
    },
  },
};
const sipSecret = (password: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sip', namespace: 'default' }, stringData: { password } });

const puts = () => emulator.totalCalls((op) => op === 'PutVoiceConnectorTerminationCredentials');
const recorded = async () => (await getObject(cluster, 'voiceconnector/trunk'))?.status?.atProvider?.terminationCredentials?.[0]?.passwordHash as string | undefined;
const keyOf = async (name = KEY_SECRET) => {
  const s = await getObject(cluster, `secret/${name}`);
  return s ? Buffer.from(s.data.key as string, 'base64') : undefined;
};
/** Everything the cluster and the controller show about the object: status, Events, and every log line. */
async function everythingShown(): Promise<string> {
  const vc = await cluster.kubectl(['get', '-n', 'default', 'voiceconnector/trunk', '-o', 'yaml']);
  const events = await cluster.kubectl(['get', '-n', 'default', 'events', '-o', 'yaml']);
  return [vc.stdout, events.stdout, ...(controller?.rawOutput ?? []), ...(controller?.logs ?? []).map((l) => JSON.stringify(l))].join('\n');
}
const expectNoLeak = async (key: Buffer) => {
  const shown = await everythingShown();
  assertNoSecretLeak(shown, [FIRST, SECOND], 'status, Events and logs');
  expect(shown).not.toContain(key.toString('hex'));
  expect(shown).not.toContain(key.toString('base64'));
};

beforeAll(async () => {
  [cluster, emulator] = await Promise.all([startCluster(), startEmulator({ clockRate: 50, strictRegions: true })]);
  await applyCrds(cluster);
  await applyObject(cluster, sipSecret(FIRST));
  controller = await startController({ kubeconfig: cluster.kubeconfig, endpoint: emulator.url, resync: RESYNC, name: 'secrets' });
}, 20 * 60_000);

afterAll(async () => {
  await controller?.stop();
  await emulator?.stop();
  await cluster?.stop();
});

describe('the digest key Secret and termination passwords', () => {
  it('is created on first start (immutable, 32 random bytes) and keys the digest status keeps', async () => {
    const secret = await getObject(cluster, `secret/${KEY_SECRET}`);
    expect(secret).toMatchObject({ type: 'Opaque', immutable: true, metadata: { labels: { 'app.kubernetes.io/component': 'digest-key' } } });
    const key = (await keyOf())!;
    expect(key.length).toBe(32);
    expect(controller!.logs.some((l) => l.msg === 'created the digest key Secret' && l.secret === `default/${KEY_SECRET}`)).toBe(true);

    await applyObject(cluster, connector);
    await waitForCondition(cluster, 'voiceconnector/trunk', 'Ready', { timeoutMs: 60_000 });
    expect(await recorded()).toBe(new SecretDigest(() => key).of(FIRST));
    expect(puts()).toBe(1);
    await expectNoLeak(key);
  });

  it('a password changed in the Secret is sent exactly once, said as "password changed", and then nothing is written', { timeout: 180_000 }, async () => {
    const key = (await keyOf())!;
    emulator.resetCounters();
    await applyObject(cluster, sipSecret(SECOND));
    await eventually('the new password recorded in status', async () => (await recorded()) === new SecretDigest(() => key).of(SECOND), { timeoutMs: DETECT_MS, intervalMs: 1_000 });
    expect(puts()).toBe(1);
    const drift = await waitForEvent(cluster, 'trunk', 'DriftDetected');
    expect(drift.message.split(' [DriftDetected]. Next: ')[0]).toBe('AWS differs from the spec at termination.credentials[pbx].password (password changed)');
    // Two more resyncs: the Secret is unchanged, so nothing more is sent.
    await sleep(25_000);
    expect(puts()).toBe(1);
    expect(emulator.totalCalls((op) => !/^(Get|List|Search)/.test(op))).toBe(1);
    await expectNoLeak(key);
  });

  it('a lost key Secret: the restarted controller makes a new key, sends the password once more, then writes nothing', { timeout: 240_000 }, async () => {
    const old = (await keyOf())!;
    await controller!.stop();
    await cluster.kubectl(['delete', 'secret', '-n', 'default', KEY_SECRET]);
    emulator.resetCounters();
    controller = await startController({ kubeconfig: cluster.kubeconfig, endpoint: emulator.url, resync: RESYNC, name: 'secrets-restarted' });
    const key = (await keyOf())!;
    expect(key.equals(old)).toBe(false);
    await eventually('the password recorded under the new key', async () => (await recorded()) === new SecretDigest(() => key).of(SECOND), { timeoutMs: DETECT_MS, intervalMs: 1_000 });
    expect(puts()).toBe(1);
    await sleep(25_000);
    expect(puts()).toBe(1);
    await expectNoLeak(key);
  });

  it('a given Secret that does not exist, with creating turned off: the controller exits with one line naming it', async () => {
    await controller!.stop();
    controller = undefined;
    const given = await startController({
      kubeconfig: cluster.kubeconfig,
      endpoint: emulator.url,
      name: 'secrets-given',
      args: ['--digest-key-secret', 'given-key', '--no-create-digest-key'],
    }).then(
      () => undefined,
      (err: Error) => err.message,
    );
    expect(given).toMatch(/exited with 1/);
    expect(given).toMatch(/chime-voice-operator: the digest key Secret default\/given-key does not exist, and creating it is turned off/);
    expect(given).not.toMatch(/\n\s+at /);
    expect(await getObject(cluster, 'secret/given-key')).toBeUndefined();
  });
});
