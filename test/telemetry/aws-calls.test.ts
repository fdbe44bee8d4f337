// chimevoice_aws_calls_total and chimevoice_aws_throttled_attempts_total as the controller counts
// them: calls once each after the SDK's retries (AwsContext's onCall into Metrics.countAwsCall),
// with the SDK's error name as outcome, which the chart's ChimeVoiceAwsRetriesExhausted alert
// selects; and every attempt AWS throttled, retried away or not (AwsContext's per-attempt SDK
// middleware into Metrics.countThrottledAttempt), which ChimeVoiceAwsThrottled watches. Real SDK
// clients, the emulator answering with the throttling error of its API model (a 429).
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsContext, type AwsOptions, type ThrottledAttempt } from '../../src/aws/context.js';
import { handlers } from '../../src/kinds/index.js';
import { Controller } from '../../src/runtime/controller.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { Metrics } from '../../src/telemetry/metrics.js';
import { testCredentials, withEmulator } from '../helpers/emulator.js';

const emu = withEmulator();

async function callsByOutcome(metrics: Metrics): Promise<Record<string, number>> {
  const metric = await metrics.awsCalls.get();
  return Object.fromEntries(metric.values.map((v) => [`${v.labels.operation} ${v.labels.outcome}`, v.value]));
}

async function throttledAttempts(metrics: Metrics): Promise<Record<string, number>> {
  const metric = await metrics.awsThrottledAttempts.get();
  return Object.fromEntries(metric.values.map((v) => [`${v.labels.service} ${v.labels.operation}`, v.value]));
}

/** An AwsContext on the emulator wired to `metrics` as the controller wires its own (Metrics.awsHooks). */
function counted(metrics: Metrics, options: Partial<AwsOptions> = {}): AwsContext {
  return new AwsContext({
    region: 'us-east-1',
    endpoint: emu().url,
    credentials: testCredentials,
    ...metrics.awsHooks(),
    ...options,
  });
}

/** `operation` throttled until the emulator has answered it `times` throttles, then served again. */
function throttleFirst(times: number, operation: string): void {
  let left = times;
  emu().setFaults({ errorRates: { [operation]: { probability: 1, error: 'ThrottledClientException' } } });
  emu().setCallHook((event) => {
    if (event.phase === 'answered' && event.outcome === 'ThrottledClientException' && --left === 0) emu().setFaults({});
  });
}

describe('chimevoice_aws_calls_total', () => {
  afterEach(() => {
    emu().setFaults({});
    emu().setCallHook(undefined);
  });

  it('counts a throttled call under outcome ThrottledClientException (the alert\'s selector), once per call after the SDK\'s retries', async () => {
    const metrics = new Metrics(false);
    const aws = counted(metrics, { maxAttempts: 2 });
    try {
      await aws.send('voice', 'ListVoiceConnectors', {});
      emu().setFaults({ errorRates: { ListVoiceConnectors: { probability: 1, error: 'ThrottledClientException' } } });
      await expect(aws.send('voice', 'ListVoiceConnectors', {})).rejects.toMatchObject({ name: 'ThrottledClientException' });
      expect(await callsByOutcome(metrics)).toEqual({ 'ListVoiceConnectors ok': 1, 'ListVoiceConnectors ThrottledClientException': 1 });
    } finally {
      aws.destroy();
    }
  });
});

describe('chimevoice_aws_throttled_attempts_total', () => {
  afterEach(() => {
    emu().setFaults({});
    emu().setCallHook(undefined);
  });

  it('counts an attempt the SDK retried away: throttled once, then answered, the call counts ok', async () => {
    const metrics = new Metrics(false);
    const aws = counted(metrics, { maxAttempts: 3 });
    try {
      emu().resetCounters();
      throttleFirst(1, 'ListVoiceConnectors');
      const out = await aws.send<{ $metadata: { attempts?: number } }>('voice', 'ListVoiceConnectors', {});
      // The emulator saw both attempts: the throttled one and the one it answered.
      expect(out.$metadata.attempts).toBe(2);
      expect(emu().counters().ListVoiceConnectors).toEqual({ ThrottledClientException: 1, ok: 1 });
      expect(await throttledAttempts(metrics)).toEqual({ 'voice ListVoiceConnectors': 1 });
      expect(await callsByOutcome(metrics)).toEqual({ 'ListVoiceConnectors ok': 1 });
    } finally {
      aws.destroy();
    }
  });

  it('counts every attempt of a call throttled past its retries, and the call once', async () => {
    const metrics = new Metrics(false);
    const aws = counted(metrics, { maxAttempts: 3 });
    try {
      emu().setFaults({ errorRates: { GetGlobalSettings: { probability: 1, error: 'ThrottledClientException' } } });
      const failure = await aws.send('voice', 'GetGlobalSettings', {}).then(
        () => undefined,
        (err: unknown) => err as { name: string; $metadata: { attempts?: number } },
      );
      expect(failure?.name).toBe('ThrottledClientException');
      expect(failure?.$metadata.attempts).toBe(3);
      expect(await throttledAttempts(metrics)).toEqual({ 'voice GetGlobalSettings': 3 });
      expect(await callsByOutcome(metrics)).toEqual({ 'GetGlobalSettings ThrottledClientException': 1 });
    } finally {
      aws.destroy();
    }
  });

  it('counts throttling by the emulator\'s rate limit (a token bucket answering 429) under the operation, in each region\'s clients', async () => {
    const metrics = new Metrics(false);
    const aws = counted(metrics, { maxAttempts: 1 });
    try {
      emu().setFaults({ rateLimits: { ListSipMediaApplications: { ratePerSecond: 0, burst: 1 } } });
      await aws.in('us-west-2').send('voice', 'ListSipMediaApplications', {});
      await expect(aws.in('us-west-2').send('voice', 'ListSipMediaApplications', {})).rejects.toMatchObject({ name: 'ThrottledClientException' });
      await expect(aws.send('voice', 'ListSipMediaApplications', {})).rejects.toMatchObject({ name: 'ThrottledClientException' });
      expect(await throttledAttempts(metrics)).toEqual({ 'voice ListSipMediaApplications': 2 });
    } finally {
      aws.destroy();
    }
  });

  it('does not count attempts that fail otherwise (a 503 retried away, a NotFound, an access denial)', async () => {
    const metrics = new Metrics(false);
    const aws = counted(metrics, { maxAttempts: 2 });
    try {
      emu().setFaults({ errorRates: { GetVoiceConnector: { probability: 1, status: 503 }, ListVoiceConnectorGroups: { probability: 1, error: 'AccessDeniedException' } } });
      await expect(aws.send('voice', 'GetVoiceConnector', { VoiceConnectorId: 'abcdefghijklmnopqrstuv' })).rejects.toMatchObject({ name: 'ServiceUnavailableException' });
      await expect(aws.send('voice', 'ListVoiceConnectorGroups', {})).rejects.toMatchObject({ name: 'AccessDeniedException' });
      emu().setFaults({});
      expect(await aws.read('voice', 'GetSipMediaApplication', { SipMediaApplicationId: 'no-such-application' })).toBeUndefined();
      expect(await throttledAttempts(metrics)).toEqual({});
      expect(Object.keys(await callsByOutcome(metrics)).sort()).toEqual(['GetSipMediaApplication NotFoundException', 'GetVoiceConnector ServiceUnavailableException', 'ListVoiceConnectorGroups AccessDeniedException']);
    } finally {
      aws.destroy();
    }
  });

  it("is fed by the controller's AWS context, which still hands each attempt on to the caller's own hook", async () => {
    const metrics = new Metrics(false);
    const seen: ThrottledAttempt[] = [];
    // Never started: its AWS context is made in the constructor, and nothing here needs the API server.
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromClusterAndUser({ name: 'unused', server: 'https://127.0.0.1:9', skipTLSVerify: true }, { name: 'unused' });
    const controller = new Controller({
      kubeConfig,
      aws: { region: 'us-east-1', endpoint: emu().url, credentials: testCredentials, maxAttempts: 2, onThrottledAttempt: (a) => seen.push(a) },
      handlers,
      metrics,
      log: createLogger('silent'),
    });
    // The context the engine calls AWS through (private: only the controller's wiring is under test).
    const aws = (controller as unknown as { aws: AwsContext }).aws;
    try {
      throttleFirst(1, 'GetGlobalSettings');
      await aws.send('voice', 'GetGlobalSettings', {});
      expect(await throttledAttempts(metrics)).toEqual({ 'voice GetGlobalSettings': 1 });
      expect(await callsByOutcome(metrics)).toEqual({ 'GetGlobalSettings ok': 1 });
      expect(seen).toEqual([{ service: 'voice', operation: 'GetGlobalSettings', region: 'us-east-1', errorName: 'ThrottledClientException' }]);
    } finally {
      aws.destroy();
    }
  });
});
