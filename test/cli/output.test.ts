import { describe, expect, it } from 'vitest';
import { colourEnabled, formatTable, painter, plural, visibleWidth } from '../../src/cli/output.js';

describe('output helpers', () => {
  it('aligns columns by visible width, colour codes included, without trailing spaces', () => {
    const paint = (s: string) => `\u001b[32m${s}\u001b[39m`;
    const table = formatTable(
      ['KIND', 'NAME', 'CALLS'],
      [
        ['VoiceConnector', paint('main'), '12'],
        ['VoiceConnectorGroup', 'failover', '3'],
      ],
      { alignRight: [2] },
    );
    expect(table.replaceAll('\u001b[32m', '').replaceAll('\u001b[39m', '').split('\n')).toEqual([
      'KIND                  NAME       CALLS',
      'VoiceConnector        main          12',
      'VoiceConnectorGroup   failover       3',
    ]);
    expect(visibleWidth(paint('main'))).toBe(4);
  });

  it('colours only terminals, and never under NO_COLOR', () => {
    expect(colourEnabled({ write: () => true, isTTY: false }, {})).toBe(false);
    expect(colourEnabled({ write: () => true, isTTY: true }, {})).toBe(true);
    expect(colourEnabled({ write: () => true, isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled({ write: () => true, isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(painter({ write: () => true, isTTY: false }, {})('red', 'x')).toBe('x');
    expect(painter({ write: () => true, isTTY: true }, {})('red', 'x')).toBe('\u001b[31mx\u001b[39m');
  });

  it('pluralises', () => {
    expect([plural(1, 'error'), plural(0, 'error'), plural(2, 'warning')]).toEqual(['1 error', '0 errors', '2 warnings']);
  });
});
