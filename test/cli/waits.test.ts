// Long waits print progress (what is awaited, since when, until when), and a timeout says
// `timed out after X waiting for Y` and exits with its own documented code (4).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { lastLine, runCli } from '../helpers/cli.js';

describe('apply waiting for something that does not come', () => {
  it('an order in an area code with no free numbers: progress while waiting, then "timed out after", exit 4', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cvo-waits-'));
    mkdirSync(path.join(dir, 'manifests'));
    // 907 (Alaska) is not in the emulator's pool of numbers: the order finds nothing to order.
    writeFileSync(
      path.join(dir, 'manifests', 'number.yaml'),
      ['apiVersion: chimevoice.io/v1alpha1', 'kind: PhoneNumber', 'metadata:', '  name: anchorage', 'spec:', '  order:', '    country: US', '    areaCode: "907"', '  productType: VoiceConnector', ''].join('\n'),
    );
    const run = await runCli(['apply', '-f', path.join(dir, 'manifests'), '--emulator', '--timeout', '4s', '-o', 'json', '--status-file', path.join(dir, 'status.json')]);
    expect(run.code, run.stderr).toBe(EXIT.timedOut);
    // What is awaited, since when, until when.
    expect(run.stderr).toMatch(/^waiting for 1 object; gives up at \d\d:\d\d:\d\d UTC \(--timeout 4s\):$/m);
    expect(run.stderr).toMatch(/^ {2}… PhoneNumber default\/anchorage: NoNumberAvailable — no number is available for local number in area code 907[^\n]*\(since \d\d:\d\d:\d\d UTC, [\dms]+\)$/m);
    expect(lastLine(run.stderr)).toMatch(/^timed out after [45]s waiting for PhoneNumber default\/anchorage \(NoNumberAvailable: no number is available/);
    // -o json says the same for scripts.
    const out = JSON.parse(run.stdout) as { timedOut: { waiting: string[] }; objects: Array<{ name: string; reason: string }> };
    expect(out.timedOut.waiting).toEqual(['PhoneNumber/default/anchorage']);
    expect(out.objects[0]).toMatchObject({ name: 'anchorage', reason: 'NoNumberAvailable' });
  });
});
