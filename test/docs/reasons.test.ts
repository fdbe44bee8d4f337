// Every condition reason and Event reason the code sets is explained in src/reconcile/reasons.ts
// (from which docs/conditions.md is generated), and every explained reason is still set somewhere.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KINDS } from '../../src/api/index.js';
import { CONDITION_REASONS, CONDITION_TYPES, EVENT_REASONS } from '../../src/reconcile/reasons.js';
import { ROOT, reasonInventory, scanReasonLiterals } from '../../scripts/docs/reason-scan.js';

const inventory = reasonInventory();
const found = new Set([...inventory.conditions.keys(), ...inventory.fromAws.keys()]);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('condition reasons', () => {
  it('every reason the code sets is documented', () => {
    const missing = [...inventory.conditions]
      .filter(([r]) => !CONDITION_REASONS[r])
      .map(([r, where]) => `${r} (set in ${where.join(', ')}): add it to CONDITION_REASONS in src/reconcile/reasons.ts`);
    const missingAws = [...inventory.fromAws]
      .filter(([r]) => !CONDITION_REASONS[r])
      .map(([r, names]) => `${r} (classify() of ${names.join(', ')}): add it to CONDITION_REASONS in src/reconcile/reasons.ts`);
    expect([...missing, ...missingAws]).toEqual([]);
  });

  it('every documented reason is still set somewhere', () => {
    expect(Object.keys(CONDITION_REASONS).filter((r) => !found.has(r))).toEqual([]);
  });

  it('the scan sees every plain `reason: \'...\'` a grep of src/ sees', () => {
    // A cross-check of the syntax-aware scan with the bluntest possible one.
    const scanned = new Set(scanReasonLiterals().map((u) => u.reason));
    const grepped = new Set<string>();
    for (const f of files(join(ROOT, 'src'))) {
      const rel = relative(ROOT, f);
      if (rel.startsWith('src/emulator/') || rel.startsWith('src/api/')) continue;
      for (const m of readFileSync(f, 'utf8').matchAll(/\breason: '([A-Za-z]+)'/g)) grepped.add(m[1]);
    }
    expect(grepped.size).toBeGreaterThan(10);
    expect([...grepped].filter((r) => !scanned.has(r))).toEqual([]);
  });

  it('the scan finds reasons passed as arguments, not only properties', () => {
    const uses = scanReasonLiterals();
    // new ReferenceNotReadyError(..., 'ReferenceNotFound') and finish('Stalled', 'ReplacementRequired', ...) in the engine.
    expect(uses.some((u) => u.reason === 'ReferenceNotFound' && u.file === 'src/reconcile/engine.ts')).toBe(true);
    expect(uses.some((u) => u.reason === 'ReplacementRequired' && u.file === 'src/reconcile/engine.ts')).toBe(true);
    expect(uses.some((u) => u.reason === 'DeletionBlocked')).toBe(true);
  });

  it('AWS errors map to documented reasons', () => {
    expect(inventory.fromAws.get('AwsThrottled')).toEqual(['ThrottledClientException']);
    expect(inventory.fromAws.get('AwsRejectedSpec')).toContain('BadRequestException');
  });
});

describe('condition types', () => {
  it('every kind-specific condition type is documented, and every documented one is declared', () => {
    const declared = new Set(KINDS.flatMap((k) => k.extraConditionTypes));
    const common = ['Ready', 'Reconciling', 'Stalled', 'Drifted', 'Suspended'];
    expect([...declared].filter((t) => !CONDITION_TYPES[t])).toEqual([]);
    expect(Object.keys(CONDITION_TYPES).filter((t) => !common.includes(t) && !declared.has(t))).toEqual([]);
  });
});

describe('Event reasons', () => {
  it('every Event reason the code records is documented, and every documented one is recorded', () => {
    expect([...inventory.events.keys()].filter((r) => !EVENT_REASONS[r])).toEqual([]);
    expect(Object.keys(EVENT_REASONS).filter((r) => !inventory.events.has(r))).toEqual([]);
  });
});
