/**
 * End to end, the way users run it: a real kube-apiserver, the real kubectl, the controller as its
 * own process (`chime-voice-operator run`) against the emulator. examples/ become Ready; an edited
 * spec changes AWS; a resync of unchanged objects changes nothing, in AWS or in the cluster; objects
 * wait for references and orders; deletion follows deletionPolicy and the dependency order, through
 * the finalizer, with Events.
 */
import {
  DisassociatePhoneNumbersFromVoiceConnectorCommand,
  GetPhoneNumberCommand,
  GetSipMediaApplicationCommand,
  GetVoiceConnectorCommand,
  GetVoiceConnectorTerminationCommand,
  ListVoiceConnectorsCommand,
  type ChimeSDKVoiceClient,
} from '@aws-sdk/client-chime-sdk-voice';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startCluster, type Cluster } from '../helpers/cluster.js';
import { voiceClient } from '../helpers/emulator.js';
import {
  REPO_ROOT,
  applyCrds,
  applyObject,
  conditionOf,
  eventsOf,
  eventually,
  exampleFiles,
  getObject,
  mutatingCalls,
  objectYaml,
  objectsOf,
  saveTestdata,
  sleep,
  startController,
  waitForCondition,
  waitForEvent,
  waitForGone,
  type ControllerProcess,
} from './helpers.js';

let cluster: Cluster;
let emulator: Emulator;
let controller: ControllerProcess;
let east: ChimeSDKVoiceClient;

const RESYNC_MS = 20_000;

beforeAll(async () => {
  [cluster, emulator] = await Promise.all([startCluster(), startEmulator({ clockRate: 50, strictRegions: true })]);
  east = voiceClient(emulator, 'us-east-1');
  await applyCrds(cluster);
  controller = await startController({ kubeconfig: cluster.kubeconfig, endpoint: emulator.url, resync: `${RESYNC_MS / 1000}s`, name: 'lifecycle' });
}, 20 * 60_000);

afterAll(async () => {
  const code = await controller?.stop();
  // A controller that does not stop cleanly on SIGTERM is a bug of its own.
  if (controller && code !== 0) console.error(`controller exited with ${code}:\n${controller.tail()}`);
  east?.destroy();
  await emulator?.stop();
  await cluster?.stop();
});

const files = exampleFiles();
const objects = objectsOf(files);

async function atProvider(ref: string): Promise<Record<string, any>> {
  return (await getObject(cluster, ref))?.status?.atProvider ?? {};
}

/** Waits until the controller has reconciled the object's current generation and it is Ready. */
async function waitReconciled(ref: string, timeoutMs = 60_000): Promise<any> {
  return eventually(
    `${ref} reconciled at its current generation and Ready`,
    async () => {
      const o = await getObject(cluster, ref);
      const ready = conditionOf(o, 'Ready');
      return o && o.status?.observedGeneration === o.metadata.generation && ready?.status === 'True' && ready.observedGeneration === o.metadata.generation ? o : undefined;
    },
    { timeoutMs, intervalMs: 300 },
  );
}

describe('the controller in a cluster', () => {
  it('applies the CRDs and examples/; every object becomes Ready (kubectl wait)', async () => {
    expect(objects.length).toBeGreaterThanOrEqual(12);
    const started = Date.now();
    await cluster.kubectl(['apply', ...files.flatMap((f) => ['-f', f])]);
    await waitForCondition(
      cluster,
      objects.map((o) => o.ref),
      'Ready',
      { timeoutMs: 120_000 },
    );
    const elapsed = Date.now() - started;
    console.log(`examples/: ${objects.length} objects Ready ${(elapsed / 1000).toFixed(1)} s after kubectl apply`);

    // Every kind, with its AWS identity in status and the finalizer on.
    for (const o of objects) {
      const obj = await getObject(cluster, o.ref);
      expect(obj.metadata.finalizers, o.ref).toContain('chimevoice.io/finalizer');
      expect(obj.status.observedGeneration, o.ref).toBe(obj.metadata.generation);
      expect(conditionOf(obj, 'Drifted')?.status, o.ref).toBe('False');
      expect(conditionOf(obj, 'Stalled'), o.ref).toBeUndefined();
      expect(conditionOf(obj, 'Reconciling'), o.ref).toBeUndefined();
    }
    // AWS holds what the manifests say.
    const vcs = (await east.send(new ListVoiceConnectorsCommand({}))).VoiceConnectors ?? [];
    expect(vcs.map((v) => v.Name).sort()).toEqual(expect.arrayContaining(['office-pbx-trunk']));
    const trunk = await atProvider('voiceconnector/office-pbx-trunk');
    const main = await atProvider('phonenumber/office-main-line');
    const number = (await east.send(new GetPhoneNumberCommand({ PhoneNumberId: main.e164 }))).PhoneNumber!;
    expect(number.Associations?.find((a) => a.Name === 'VoiceConnectorId')?.Value).toBe(trunk.voiceConnectorId);
    expect(number.CallingName).toBe('Example Corp');

    // The printer columns show identity and readiness.
    const { stdout } = await cluster.kubectl(['get', 'voiceconnectors', '-n', 'default']);
    expect(stdout).toMatch(/office-pbx-trunk\s+True\s+False\s+\w{22}/);

    for (const [file, ref, what] of [
      ['VoiceConnector-ready.yaml', 'voiceconnector/office-pbx-trunk', 'A Ready VoiceConnector (examples/sip-trunk-office-pbx).'],
      ['PhoneNumber-ready.yaml', 'phonenumber/office-main-line', 'A Ready PhoneNumber, ordered and assigned (examples/sip-trunk-office-pbx).'],
      ['SipRule-ready.yaml', 'siprule/ivr-main-number', 'A Ready SipRule (examples/ivr).'],
      ['VoiceConnectorGroup-ready.yaml', 'voiceconnectorgroup/contact-center', 'A Ready VoiceConnectorGroup (examples/two-region-failover).'],
    ] as const) {
      saveTestdata(file, await objectYaml(cluster, ref), what);
    }
    const created = await eventsOf(cluster, 'office-pbx-trunk', { kind: 'VoiceConnector' });
    expect(created.map((e) => e.reason)).toContain('Created');
    expect(created.find((e) => e.reason === 'Created')?.source).toBe('chime-voice-operator');
  }, 150_000);

  it('applies an edited spec to AWS: kubectl patch and kubectl apply', async () => {
    const trunk = await atProvider('voiceconnector/office-pbx-trunk');
    await cluster.kubectl(['patch', 'voiceconnector', 'office-pbx-trunk', '-n', 'default', '--type=merge', '-p', JSON.stringify({ spec: { termination: { cpsLimit: 10 } } })]);
    await waitReconciled('voiceconnector/office-pbx-trunk');
    await eventually('CpsLimit 10 in AWS', async () => {
      const t = await east.send(new GetVoiceConnectorTerminationCommand({ VoiceConnectorId: trunk.voiceConnectorId }));
      return t.Termination?.CpsLimit === 10;
    });
    const updated = await waitForEvent(cluster, 'office-pbx-trunk', 'Updated', { kind: 'VoiceConnector' });
    expect(updated.message).toContain('termination');

    // The same through kubectl apply of an edited manifest.
    const manifest = readFileSync(join(REPO_ROOT, 'examples/ivr/sip-media-applications.yaml'), 'utf8').replace(
      'function:ivr-call-flow:live\n  tags',
      'function:ivr-call-flow:canary\n  tags',
    );
    expect(manifest).toContain('ivr-call-flow:canary');
    await cluster.kubectl(['apply', '-f', '-'], { input: manifest });
    await waitReconciled('sipmediaapplication/ivr-east');
    const sma = await atProvider('sipmediaapplication/ivr-east');
    await eventually('the new Lambda ARN in AWS', async () => {
      const got = await east.send(new GetSipMediaApplicationCommand({ SipMediaApplicationId: sma.sipMediaApplicationId }));
      return got.SipMediaApplication?.Endpoints?.[0]?.LambdaArn?.endsWith(':canary');
    });
    await waitForEvent(cluster, 'ivr-east', 'Updated', { kind: 'SipMediaApplication' });
  });

  it('makes zero mutating AWS calls and no status writes when resyncing unchanged objects', async () => {
    // First one resync of everything after the edits above: a status may rightly change once more
    // when AWS changed through another object (the SIP rule assigned the IVR's number). Then watch
    // one full resync period (±10% jitter).
    const mark = controller.logs.length;
    await eventually(
      'a resync of every object',
      () => {
        const seen = new Set(controller.logs.slice(mark).filter((l) => l.msg === 'reconciled').map((l) => `${l.kind}/${l.name}`));
        return objects.every((o) => seen.has(`${o.kind}/${o.name}`));
      },
      { timeoutMs: RESYNC_MS * 1.1 + 15_000, intervalMs: 500 },
    );
    await sleep(2_000);
    const before = new Map<string, string>();
    for (const o of objects) before.set(o.ref, (await getObject(cluster, o.ref)).metadata.resourceVersion);
    emulator.resetCounters();
    const since = controller.logs.length;
    await sleep(RESYNC_MS * 1.1 + 3_000);

    expect(mutatingCalls(emulator.counters())).toEqual({});
    // The resync did happen: every object was reconciled again, reading AWS.
    const reconciled = new Set(controller.logs.slice(since).filter((l) => l.msg === 'reconciled').map((l) => `${l.kind}/${l.name}`));
    for (const o of objects) expect(reconciled, `${o.kind}/${o.name} resynced`).toContain(`${o.kind}/${o.name}`);
    expect(emulator.totalCalls()).toBeGreaterThan(0);
    // Status is not rewritten when nothing changed (the heartbeat of lastSyncedTime is every 10 minutes).
    for (const o of objects) expect((await getObject(cluster, o.ref)).metadata.resourceVersion, o.ref).toBe(before.get(o.ref));
  }, 120_000);

  it('shows an object waiting for a reference, and one waiting for its order, as Progressing; both become Ready', async () => {
    // A group whose second connector does not exist yet.
    await applyObject(cluster, {
      apiVersion: 'chimevoice.io/v1alpha1',
      kind: 'VoiceConnectorGroup',
      metadata: { name: 'standby', namespace: 'default' },
      spec: { name: 'standby', voiceConnectors: [{ voiceConnectorRef: { name: 'contact-center-east' }, priority: 1 }, { voiceConnectorRef: { name: 'standby-west' }, priority: 2 }] },
    });
    await waitForCondition(cluster, 'voiceconnectorgroup/standby', 'Reconciling', { timeoutMs: 30_000 });
    const waiting = saveTestdata(
      'VoiceConnectorGroup-reference-not-found.yaml',
      await objectYaml(cluster, 'voiceconnectorgroup/standby'),
      'A VoiceConnectorGroup waiting for a VoiceConnector that does not exist yet (Reconciling, ReferenceNotFound).',
    );
    expect(conditionOf(waiting, 'Reconciling')).toMatchObject({ status: 'True', reason: 'ReferenceNotFound' });
    expect(conditionOf(waiting, 'Ready')).toMatchObject({ status: 'False', reason: 'ReferenceNotFound' });
    expect(conditionOf(waiting, 'Ready')?.message).toContain('standby-west');

    // A new number: Progressing while the order is processed (10 s of emulated time, then the next look).
    await applyObject(cluster, {
      apiVersion: 'chimevoice.io/v1alpha1',
      kind: 'PhoneNumber',
      metadata: { name: 'standby-line', namespace: 'default' },
      spec: { order: { country: 'US', state: 'WA', areaCode: '206' }, productType: 'VoiceConnector', name: 'Standby line', deletionPolicy: 'Delete' },
    });
    const ordering = await eventually(
      'the standby-line order in flight',
      async () => {
        const o = await getObject(cluster, 'phonenumber/standby-line');
        return conditionOf(o, 'Reconciling')?.reason === 'OrderProcessing' ? o : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    saveTestdata(
      'PhoneNumber-order-processing.yaml',
      await objectYaml(cluster, 'phonenumber/standby-line'),
      'A PhoneNumber whose order is being processed (Reconciling, OrderProcessing).',
    );
    expect(conditionOf(ordering, 'Ready')?.status).toBe('False');

    // The connector appears: the group is woken by it, without waiting for a resync.
    await applyObject(cluster, {
      apiVersion: 'chimevoice.io/v1alpha1',
      kind: 'VoiceConnector',
      metadata: { name: 'standby-west', namespace: 'default' },
      spec: { region: 'us-west-2', requireEncryption: true },
    });
    await waitForCondition(cluster, ['voiceconnector/standby-west', 'voiceconnectorgroup/standby', 'phonenumber/standby-line'], 'Ready', { timeoutMs: 60_000 });
  });

  it('waits for a missing Secret (it may be created any moment), stalls on a missing key, creates nothing, and deletes the object that never reached AWS at once', async () => {
    await applyObject(cluster, {
      apiVersion: 'chimevoice.io/v1alpha1',
      kind: 'VoiceConnector',
      metadata: { name: 'branch-trunk', namespace: 'default' },
      spec: {
        region: 'us-east-1',
        requireEncryption: true,
        termination: { callingRegions: ['US'], cidrAllowedList: ['54.240.196.32/28'], credentials: [{ username: 'branch', passwordSecretRef: { name: 'branch-sip-credentials', key: 'password' } }] },
      },
    });
    await waitForCondition(cluster, 'voiceconnector/branch-trunk', 'Reconciling', { timeoutMs: 30_000 });
    const waiting = saveTestdata(
      'VoiceConnector-waiting-for-secret.yaml',
      await objectYaml(cluster, 'voiceconnector/branch-trunk'),
      'A VoiceConnector whose termination credentials name a Secret that does not exist (yet): it waits (Reconciling, ReferenceNotFound).',
    );
    expect(conditionOf(waiting, 'Reconciling')).toMatchObject({ status: 'True', reason: 'ReferenceNotFound', message: 'Secret default/branch-sip-credentials does not exist yet; VoiceConnector branch-trunk waits for it' });
    expect(conditionOf(waiting, 'Ready')).toMatchObject({ status: 'False', reason: 'ReferenceNotFound' });
    expect(conditionOf(waiting, 'Stalled')).toBeUndefined();

    // A Secret without the key named is a spec to fix: Stalled, still nothing created.
    await applyObject(cluster, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'branch-sip-credentials', namespace: 'default' }, stringData: { passwd: 'Sip-Digest-Passw0rd' } });
    await waitForCondition(cluster, 'voiceconnector/branch-trunk', 'Stalled', { timeoutMs: 30_000 });
    const stalled = saveTestdata(
      'VoiceConnector-stalled.yaml',
      await objectYaml(cluster, 'voiceconnector/branch-trunk'),
      'A VoiceConnector whose termination credentials name a key its Secret does not have (Stalled, InvalidSpec).',
    );
    expect(conditionOf(stalled, 'Stalled')).toMatchObject({ status: 'True', reason: 'InvalidSpec', message: 'Secret default/branch-sip-credentials has no key password' });
    expect(conditionOf(stalled, 'Reconciling')).toBeUndefined();
    // Nothing was created in AWS.
    const names = ((await east.send(new ListVoiceConnectorsCommand({}))).VoiceConnectors ?? []).map((v) => v.Name);
    expect(names).not.toContain('branch-trunk');

    await cluster.kubectl(['delete', 'voiceconnector', 'branch-trunk', '-n', 'default', '--wait=false']);
    await waitForGone(cluster, 'voiceconnector/branch-trunk', { timeoutMs: 30_000 });
    await cluster.kubectl(['delete', 'secret', 'branch-sip-credentials', '-n', 'default']);
  });

  it('deletes under each deletionPolicy, in dependency order, through the finalizer, with Events', async () => {
    const trunk = await atProvider('voiceconnector/office-pbx-trunk');
    const main = await atProvider('phonenumber/office-main-line');
    const support = await atProvider('phonenumber/office-support-line');

    // 1. The connector still has two numbers of this project: it waits, held by the finalizer.
    await cluster.kubectl(['delete', 'voiceconnector', 'office-pbx-trunk', '-n', 'default', '--wait=false']);
    const waiting = await eventually(
      'office-pbx-trunk waiting for its numbers',
      async () => {
        const o = await getObject(cluster, 'voiceconnector/office-pbx-trunk');
        return conditionOf(o, 'Reconciling')?.reason === 'DeletionWaiting' ? o : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(waiting.metadata.deletionTimestamp).toBeTruthy();
    expect(waiting.metadata.finalizers).toContain('chimevoice.io/finalizer');
    expect(conditionOf(waiting, 'Ready')?.message).toContain(`phone number ${main.e164} (PhoneNumber default/office-main-line)`);
    saveTestdata(
      'VoiceConnector-deletion-waiting.yaml',
      await objectYaml(cluster, 'voiceconnector/office-pbx-trunk'),
      'A VoiceConnector being deleted, waiting for the PhoneNumbers of this project assigned to it (Reconciling, DeletionWaiting).',
    );
    await waitForEvent(cluster, 'office-pbx-trunk', 'Waiting', { kind: 'VoiceConnector' });
    // AWS still has it.
    await east.send(new GetVoiceConnectorCommand({ VoiceConnectorId: trunk.voiceConnectorId }));

    // 2. deletionPolicy Retain: the support line's object goes, the number stays in AWS, still assigned.
    await cluster.kubectl(['delete', 'phonenumber', 'office-support-line', '-n', 'default', '--timeout=60s']);
    const kept = (await east.send(new GetPhoneNumberCommand({ PhoneNumberId: support.e164 }))).PhoneNumber!;
    expect(kept.Associations?.find((a) => a.Name === 'VoiceConnectorId')?.Value).toBe(trunk.voiceConnectorId);
    expect((await eventsOf(cluster, 'office-support-line', { kind: 'PhoneNumber' })).map((e) => e.reason)).toContain('Retained');

    // 3. That number is now assigned outside the project: the deletion stalls and names it.
    const blocked = await eventually(
      'office-pbx-trunk blocked by the retained number',
      async () => {
        const o = await getObject(cluster, 'voiceconnector/office-pbx-trunk');
        return conditionOf(o, 'Stalled')?.reason === 'DeletionBlocked' ? o : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(conditionOf(blocked, 'Stalled')?.message).toContain(`phone number ${support.e164} is associated with Voice Connector ${trunk.voiceConnectorId}`);
    expect(conditionOf(blocked, 'Reconciling')).toBeUndefined();
    saveTestdata(
      'VoiceConnector-deletion-blocked.yaml',
      await objectYaml(cluster, 'voiceconnector/office-pbx-trunk'),
      'A VoiceConnector being deleted, blocked by a phone number assigned to it outside the project (Stalled, DeletionBlocked).',
    );
    const blockedEvent = await waitForEvent(cluster, 'office-pbx-trunk', 'Blocked', { kind: 'VoiceConnector' });
    expect(blockedEvent.type).toBe('Warning');
    expect(blockedEvent.message).toContain(support.e164);

    // 4. A person takes the number off; the main line goes under deletionPolicy Delete (released in AWS).
    await east.send(new DisassociatePhoneNumbersFromVoiceConnectorCommand({ VoiceConnectorId: trunk.voiceConnectorId, E164PhoneNumbers: [support.e164] }));
    // (The deletion reads the spec the object has when deleted; no need to wait for a reconcile,
    // which could not be Ready anyway while its connector is being deleted.)
    await cluster.kubectl(['patch', 'phonenumber', 'office-main-line', '-n', 'default', '--type=merge', '-p', JSON.stringify({ spec: { deletionPolicy: 'Delete' } })]);
    await cluster.kubectl(['delete', 'phonenumber', 'office-main-line', '-n', 'default', '--wait=false']);
    await waitForGone(cluster, 'phonenumber/office-main-line', { timeoutMs: 60_000 });
    const released = (await east.send(new GetPhoneNumberCommand({ PhoneNumberId: main.e164 }))).PhoneNumber!;
    expect(released.Status).toBe('DeleteInProgress');
    expect((await eventsOf(cluster, 'office-main-line', { kind: 'PhoneNumber' })).map((e) => e.reason)).toContain('Deleted');

    // 5. Nothing holds the connector any more; the blocked deletion is retried (it was Stalled: the
    // requeue of a blocked deletion is long, so an edit to the object wakes it, as a person would).
    await cluster.kubectl(['annotate', 'voiceconnector', 'office-pbx-trunk', '-n', 'default', 'chimevoice.io/retry=1']);
    await waitForGone(cluster, 'voiceconnector/office-pbx-trunk', { timeoutMs: 60_000 });
    await expect(east.send(new GetVoiceConnectorCommand({ VoiceConnectorId: trunk.voiceConnectorId }))).rejects.toThrow(/NotFound|not found/i);
    const reasons = (await eventsOf(cluster, 'office-pbx-trunk', { kind: 'VoiceConnector' })).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['Created', 'Updated', 'Waiting', 'Blocked', 'Deleted']));
  }, 180_000);

  it('deletes a SIP media application only after the SIP rule that targets it', async () => {
    const sma = await atProvider('sipmediaapplication/ivr-east');
    await cluster.kubectl(['delete', 'sipmediaapplication', 'ivr-east', '-n', 'default', '--wait=false']);
    await eventually(
      'ivr-east waiting for the SIP rule',
      async () => conditionOf(await getObject(cluster, 'sipmediaapplication/ivr-east'), 'Reconciling')?.reason === 'DeletionWaiting',
      { timeoutMs: 30_000 },
    );
    saveTestdata(
      'SipMediaApplication-deletion-waiting.yaml',
      await objectYaml(cluster, 'sipmediaapplication/ivr-east'),
      'A SipMediaApplication being deleted, waiting for the SipRule of this project that targets it (Reconciling, DeletionWaiting).',
    );
    await cluster.kubectl(['delete', 'siprule', 'ivr-main-number', '-n', 'default', '--wait=false']);
    await waitForGone(cluster, 'siprule/ivr-main-number', { timeoutMs: 60_000 });
    await waitForGone(cluster, 'sipmediaapplication/ivr-east', { timeoutMs: 60_000 });
    await expect(east.send(new GetSipMediaApplicationCommand({ SipMediaApplicationId: sma.sipMediaApplicationId }))).rejects.toThrow();
    expect((await eventsOf(cluster, 'ivr-main-number', { kind: 'SipRule' })).map((e) => e.reason)).toContain('Deleted');
    expect((await eventsOf(cluster, 'ivr-east', { kind: 'SipMediaApplication' })).map((e) => e.reason)).toEqual(expect.arrayContaining(['Waiting', 'Deleted']));
  }, 120_000);
});
