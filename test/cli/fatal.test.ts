import { describe, expect, it } from 'vitest';
import { fatalMessage } from '../../src/cli/fatal.js';

describe('fatalMessage: one line for an unexpected error, never a stack trace', () => {
  it('names the error and the file, on one line, without the stack', () => {
    const err = Object.assign(new Error('EACCES: permission denied, open'), { path: 'manifests/trunk.yaml', code: 'EACCES' });
    expect(fatalMessage(err, {})).toBe('chime-voice-operator: EACCES: permission denied, open (manifests/trunk.yaml)');
    const overflow = new RangeError('Maximum call stack size exceeded');
    const out = fatalMessage(overflow, {});
    expect(out).toBe('chime-voice-operator: RangeError: Maximum call stack size exceeded');
    expect(out).not.toMatch(/\n|\bat /);
  });

  it('cuts a message that echoes a huge input, and folds lines', () => {
    const out = fatalMessage(new Error(`bad value ${'x'.repeat(1_000_000)}\nsecond line`), {});
    expect(out.length).toBeLessThan(400);
    expect(out).not.toContain('\n');
    expect(fatalMessage('plain string thrown', {})).toBe('chime-voice-operator: plain string thrown');
  });

  it('shows the stack only when asked for (CHIME_VOICE_DEBUG=1)', () => {
    expect(fatalMessage(new Error('boom'), { CHIME_VOICE_DEBUG: '1' })).toMatch(/^chime-voice-operator: boom\nError: boom\n\s+at /);
  });
});
