import { describe, expect, it } from 'vitest';
import { handlers } from '../../src/kinds/index.js';
import { withoutVolatile } from '../../src/runtime/controller.js';
import type { ObjectStatus } from '../../src/reconcile/types.js';

const status = (timestamp: string, source = '54.239.98.1'): ObjectStatus => ({
  lastSyncedTime: timestamp,
  atProvider: { voiceConnectorId: 'abc', terminationHealth: { timestamp, source } },
});

describe('volatile status paths come from the kind', () => {
  const paths = handlers.get('VoiceConnector')!.volatileStatusPaths ?? [];

  it('VoiceConnector declares its termination health ping time, and when it was read, as volatile', () => {
    expect(paths).toEqual([
      ['atProvider', 'terminationHealth', 'timestamp'],
      ['atProvider', 'terminationHealth', 'readAt'],
    ]);
  });

  it('a status that differs only in the ping time and the heartbeat compares equal; any other change does not', () => {
    const a = withoutVolatile(status('2024-01-01T00:00:00.000Z'), paths);
    expect(a).toEqual(withoutVolatile(status('2024-01-01T00:01:00.000Z'), paths));
    expect(a).not.toEqual(withoutVolatile(status('2024-01-01T00:01:00.000Z', '54.239.98.2'), paths));
    // Without the kind's paths the ping time counts.
    expect(withoutVolatile(status('2024-01-01T00:00:00.000Z'), [])).not.toEqual(withoutVolatile(status('2024-01-01T00:01:00.000Z'), []));
  });

  it('leaves the status it was given untouched', () => {
    const s = status('2024-01-01T00:00:00.000Z');
    withoutVolatile(s, paths);
    expect((s.atProvider as { terminationHealth: { timestamp: string } }).terminationHealth.timestamp).toBe('2024-01-01T00:00:00.000Z');
  });
});
