/**
 * Drift end to end: AWS changed behind the controller's back (SDK calls to the emulator) is found
 * by the periodic resync, listed field by field in status.drift with the Drifted condition, and
 * changed back under driftPolicy Correct (Events DriftDetected, DriftCorrected), or only reported
 * under driftPolicy Report (Drifted stays True, Ready stays True, AWS is left as it is).
 */
import {
  GetSipMediaApplicationCommand,
  GetVoiceConnectorTerminationCommand,
  PutVoiceConnectorTerminationCommand,
  UpdateSipMediaApplicationCommand,
  type ChimeSDKVoiceClient,
} from '@aws-sdk/client-chime-sdk-voice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { startCluster, type Cluster } from '../helpers/cluster.js';
import { voiceClient } from '../helpers/emulator.js';
import {
  applyCrds,
  applyObject,
  conditionOf,
  eventsOf,
  eventually,
  getObject,
  objectYaml,
  saveTestdata,
  startController,
  waitForCondition,
  waitForEvent,
  type ControllerProcess,
} from './helpers.js';

let cluster: Cluster;
let emulator: Emulator;
let controller: ControllerProcess;
let east: ChimeSDKVoiceClient;

const RESYNC_MS = 20_000;
/** A change behind the controller's back is found within one resync period (±10%), plus a pass. */
const DETECT_MS = RESYNC_MS * 1.1 + 20_000;

const trunk = (name: string, driftPolicy: 'Correct' | 'Report') => ({
  apiVersion: 'chimevoice.io/v1alpha1',
  kind: 'VoiceConnector',
  metadata: { name, namespace: 'default' },
  spec: {
    name,
    region: 'us-east-1',
    requireEncryption: true,
    driftPolicy,
    termination: {
      cpsLimit: 5,
      callingRegions: ['US', 'CA'],
      cidrAllowedList: ['52.94.133.0/28'],
      credentials: [{ username: 'pbx', passwordSecretRef: { name: 'pbx-sip-credentials', key: 'password' } }],
    },
    origination: { routes: [{ host: 'sbc1.pbx.example.com', port: 5061, protocol: 'TCP', priority: 1, weight: 100 }] },
  },
});

beforeAll(async () => {
  [cluster, emulator] = await Promise.all([startCluster(), startEmulator({ clockRate: 50, strictRegions: true })]);
  east = voiceClient(emulator, 'us-east-1');
  await applyCrds(cluster);
  controller = await startController({ kubeconfig: cluster.kubeconfig, endpoint: emulator.url, resync: `${RESYNC_MS / 1000}s`, name: 'drift' });
  await applyObject(cluster, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'pbx-sip-credentials', namespace: 'default' }, stringData: { password: 'Sip-Digest-Passw0rd' } });
  await applyObject(cluster, trunk('pbx-corrected', 'Correct'));
  await applyObject(cluster, trunk('pbx-reported', 'Report'));
  await applyObject(cluster, {
    apiVersion: 'chimevoice.io/v1alpha1',
    kind: 'SipMediaApplication',
    metadata: { name: 'ivr', namespace: 'default' },
    spec: { name: 'ivr', region: 'us-east-1', endpoint: { lambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:ivr-call-flow:live' } },
  });
  await waitForCondition(cluster, ['voiceconnector/pbx-corrected', 'voiceconnector/pbx-reported', 'sipmediaapplication/ivr'], 'Ready', { timeoutMs: 60_000 });
}, 20 * 60_000);

afterAll(async () => {
  await controller?.stop();
  east?.destroy();
  await emulator?.stop();
  await cluster?.stop();
});

const idOf = async (ref: string, field: string): Promise<string> => (await getObject(cluster, ref)).status.atProvider[field];

/** Changes the termination's calls-per-second limit in AWS, keeping the rest as it is. */
async function setCpsLimitInAws(voiceConnectorId: string, cps: number) {
  const current = (await east.send(new GetVoiceConnectorTerminationCommand({ VoiceConnectorId: voiceConnectorId }))).Termination!;
  await east.send(new PutVoiceConnectorTerminationCommand({ VoiceConnectorId: voiceConnectorId, Termination: { ...current, CpsLimit: cps } }));
}

const cpsInAws = async (voiceConnectorId: string) => (await east.send(new GetVoiceConnectorTerminationCommand({ VoiceConnectorId: voiceConnectorId }))).Termination?.CpsLimit;

describe('drift made behind the controller', () => {
  it('is found by the resync, listed in status.drift, and corrected under driftPolicy Correct', async () => {
    const correctedId = await idOf('voiceconnector/pbx-corrected', 'voiceConnectorId');
    const reportedId = await idOf('voiceconnector/pbx-reported', 'voiceConnectorId');
    const smaId = await idOf('sipmediaapplication/ivr', 'sipMediaApplicationId');
    const started = Date.now();
    await setCpsLimitInAws(correctedId, 20);
    await setCpsLimitInAws(reportedId, 20);
    await east.send(
      new UpdateSipMediaApplicationCommand({ SipMediaApplicationId: smaId, Endpoints: [{ LambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:ivr-call-flow:hotfix' }] }),
    );
    // AWS refuses the correction for a while, so the drift stays visible in status until it succeeds.
    emulator.setFaults({ errorRates: { PutVoiceConnectorTermination: { probability: 1, status: 503 } } });
    const drifted = await eventually(
      'pbx-corrected Drifted with termination.cpsLimit',
      async () => {
        const o = await getObject(cluster, 'voiceconnector/pbx-corrected');
        return conditionOf(o, 'Drifted')?.status === 'True' ? o : undefined;
      },
      { timeoutMs: DETECT_MS, intervalMs: 250 },
    );
    console.log(`drift behind the controller's back found after ${((Date.now() - started) / 1000).toFixed(1)} s (resync ${RESYNC_MS / 1000} s)`);
    expect(conditionOf(drifted, 'Drifted')).toMatchObject({ reason: 'DriftDetected', message: 'AWS differs from the spec at termination.cpsLimit' });
    expect(drifted.status.drift).toEqual([{ path: 'termination.cpsLimit', desired: '5', actual: '20' }]);
    expect(conditionOf(drifted, 'Ready')?.status).toBe('False');
    // The printer column shows it too.
    expect((await cluster.kubectl(['get', 'vc', 'pbx-corrected', '-n', 'default'])).stdout).toMatch(/pbx-corrected\s+False\s+True/);

    emulator.setFaults({});
    await eventually(
      'pbx-corrected back in sync',
      async () => {
        const o = await getObject(cluster, 'voiceconnector/pbx-corrected');
        return conditionOf(o, 'Drifted')?.status === 'False' && conditionOf(o, 'Ready')?.status === 'True' && o.status.drift.length === 0;
      },
      { timeoutMs: 60_000 },
    );
    expect(await cpsInAws(correctedId)).toBe(5);
    const detected = await waitForEvent(cluster, 'pbx-corrected', 'DriftDetected', { kind: 'VoiceConnector' });
    expect(detected.type).toBe('Warning');
    // The field, then what to do about it (the catalog's action for DriftDetected).
    expect(detected.message).toMatch(/^AWS differs from the spec at termination\.cpsLimit \[DriftDetected\]\. Next: Find who changed AWS behind the controller/);
    const corrected = await waitForEvent(cluster, 'pbx-corrected', 'DriftCorrected', { kind: 'VoiceConnector' });
    expect(corrected.type).toBe('Normal');
    expect(corrected.message).toContain('termination');

    // The SIP media application was corrected on its resync too (no fault in its way).
    await eventually('the Lambda ARN restored in AWS', async () => {
      const got = await east.send(new GetSipMediaApplicationCommand({ SipMediaApplicationId: smaId }));
      return got.SipMediaApplication?.Endpoints?.[0]?.LambdaArn?.endsWith(':live');
    }, { timeoutMs: DETECT_MS });
    const smaEvents = await waitForEvent(cluster, 'ivr', 'DriftCorrected', { kind: 'SipMediaApplication' });
    expect(smaEvents.message).toBeTruthy();
    expect((await eventsOf(cluster, 'ivr', { kind: 'SipMediaApplication' })).find((e) => e.reason === 'DriftDetected')?.message).toContain('endpoint');
  }, 180_000);

  it('is only reported under driftPolicy Report: Drifted stays True, the object stays Ready, AWS is left as it is', async () => {
    const reportedId = await idOf('voiceconnector/pbx-reported', 'voiceConnectorId');
    const reported = await eventually(
      'pbx-reported Drifted',
      async () => {
        const o = await getObject(cluster, 'voiceconnector/pbx-reported');
        return conditionOf(o, 'Drifted')?.status === 'True' ? o : undefined;
      },
      { timeoutMs: DETECT_MS },
    );
    expect(conditionOf(reported, 'Drifted')).toMatchObject({
      reason: 'DriftReported',
      message: 'AWS differs from the spec at termination.cpsLimit (driftPolicy Report: left as is)',
    });
    expect(conditionOf(reported, 'Ready')?.status).toBe('True');
    expect(reported.status.drift).toEqual([{ path: 'termination.cpsLimit', desired: '5', actual: '20' }]);
    saveTestdata(
      'VoiceConnector-drift-reported.yaml',
      await objectYaml(cluster, 'voiceconnector/pbx-reported'),
      'A VoiceConnector under driftPolicy Report whose termination.cpsLimit was changed in AWS (Ready True, Drifted True, DriftReported).',
    );

    // One more resync later it is still reported, and AWS still has its own value.
    const resyncs = () => controller.logs.filter((l) => l.msg === 'reconciled' && l.name === 'pbx-reported').length;
    const seen = resyncs();
    await eventually('another resync of pbx-reported', () => resyncs() > seen, { timeoutMs: DETECT_MS });
    expect(await cpsInAws(reportedId)).toBe(20);
    const again = await getObject(cluster, 'voiceconnector/pbx-reported');
    expect(conditionOf(again, 'Drifted')?.status).toBe('True');
    expect(conditionOf(again, 'Ready')?.status).toBe('True');
    // Nothing was changed, so nothing was corrected.
    expect((await eventsOf(cluster, 'pbx-reported', { kind: 'VoiceConnector' })).map((e) => e.reason)).not.toContain('DriftCorrected');

    // Accepting AWS's value in the spec ends the drift, without a write to AWS.
    emulator.resetCounters();
    await cluster.kubectl(['patch', 'vc', 'pbx-reported', '-n', 'default', '--type=merge', '-p', JSON.stringify({ spec: { termination: { cpsLimit: 20 } } })]);
    await eventually('pbx-reported in sync', async () => conditionOf(await getObject(cluster, 'voiceconnector/pbx-reported'), 'Drifted')?.status === 'False', { timeoutMs: 30_000 });
    expect(emulator.counters().PutVoiceConnectorTermination).toBeUndefined();
  }, 120_000);
});
