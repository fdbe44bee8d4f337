// What an import costs: an account's numbers are read through their list pages, never one call per
// number; everything else costs what the connectors and applications have, whatever the numbers.
// (bench/import.ts measures the same at 10,000 numbers; figures in docs/benchmarks.md.)
import { describe, expect, it } from 'vitest';
import { benchImport } from '../../bench/import.js';

describe('import cost', () => {
  it('reads 2,000 numbers in 20 ListPhoneNumbers pages, and 200 more numbers cost 2 more pages and nothing else', async () => {
    const small = await benchImport(2_000, 4);
    const larger = await benchImport(2_200, 4);
    expect(small.objects).toBe(2_004);
    expect(small.writes).toBe(0);
    expect(small.calls.ListPhoneNumbers).toBe(20);
    expect(larger.calls.ListPhoneNumbers).toBe(22);
    expect(Object.keys(small.calls).filter((op) => /PhoneNumber(?!s$)/.test(op))).toEqual([]);
    expect({ ...larger.calls, ListPhoneNumbers: 0 }).toEqual({ ...small.calls, ListPhoneNumbers: 0 });
  }, 120_000);
});
