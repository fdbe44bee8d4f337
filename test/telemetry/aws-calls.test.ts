// chimevoice_aws_calls_total as the controller counts it (AwsContext's onCall into
// Metrics.countAwsCall): the outcome label is the SDK's error name, which the chart's
// ChimeVoiceAwsThrottled alert selects as outcome="ThrottledClientException". Real SDK clients,
// the emulator answering with the throttling error of its API model.
import { afterEach, describe, expect, it } from 'vitest';
import { AwsContext } from '../../src/aws/context.js';
import { Metrics } from '../../src/telemetry/metrics.js';
import { testCredentials, withEmulator } from '../helpers/emulator.js';

const emu = withEmulator();

async function callsByOutcome(metrics: Metrics): Promise<Record<string, number>> {
  const metric = await metrics.awsCalls.get();
  return Object.fromEntries(metric.values.map((v) => [`${v.labels.operation} ${v.labels.outcome}`, v.value]));
}

describe('chimevoice_aws_calls_total', () => {
  afterEach(() => emu().setFaults({}));

  it('counts a throttled call under outcome ThrottledClientException (the alert\'s selector), once per call after the SDK\'s retries', async () => {
    const metrics = new Metrics(false);
    const aws = new AwsContext({ region: 'us-east-1', endpoint: emu().url, credentials: testCredentials, maxAttempts: 2, onCall: (c) => metrics.countAwsCall(c) });
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
