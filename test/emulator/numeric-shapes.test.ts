/**
 * Every numeric shape of the vendored models (integer, long, float, double, timestamp), checked
 * against its type's range and its own min/max, from the number's JSON text: 32-bit integers
 * refuse 2^31, integers refuse 5.0 and 1e1, nothing is judged on the double JSON.parse rounded
 * it to. The models have no long or double shape today; the two extra rows hold those types to
 * their ranges so that a newer model file gets them checked too.
 */
import { describe, expect, it } from 'vitest';
import { NUMERIC_TYPE_RANGES, parseJsonBody, RawNumber, validateShapeValue } from '../../src/emulator/core/codec.js';
import { loadModel, MODEL_FILES, type LoadedModel, type Shape } from '../../src/emulator/core/model.js';

const NUMERIC = new Set<Shape['type']>(['integer', 'long', 'float', 'double', 'timestamp']);

const synthetic: LoadedModel = {
  serviceId: 'synthetic',
  file: { metadata: { serviceId: 'synthetic', apiVersion: '', signingName: '', endpointPrefix: '' }, operations: {}, shapes: {} },
  shapes: { SyntheticLong: { type: 'long' }, SyntheticDouble: { type: 'double' }, BoundedLong: { type: 'long', min: 0, max: 10 } },
  patterns: new Map(),
};

const rows: Array<{ model: LoadedModel; name: string; shape: Shape }> = [...MODEL_FILES.map(loadModel), synthetic].flatMap((model) =>
  Object.entries(model.shapes)
    .filter(([, shape]) => NUMERIC.has(shape.type))
    .map(([name, shape]) => ({ model, name, shape })),
);

/** The errors for a member whose JSON text is `token`, as a request body carries it. */
function check(model: LoadedModel, shape: string, token: string): string[] {
  const body = parseJsonBody(`{"v": ${token}}`) as { v: unknown };
  return validateShapeValue(model, shape, body.v);
}

/** A value inside the shape's own bounds. */
function inside(shape: Shape): number {
  if (shape.min !== undefined) return shape.min;
  if (shape.max !== undefined) return Math.min(shape.max, 0);
  return shape.type === 'float' || shape.type === 'double' ? 0.5 : 1;
}

describe('numeric shapes of the models, by type range', () => {
  it('covers every numeric shape of both models and every numeric type', () => {
    const types = new Set(rows.map((r) => r.shape.type));
    expect([...types].sort()).toEqual(['double', 'float', 'integer', 'long', 'timestamp']);
    expect(rows.filter((r) => r.model !== synthetic).length).toBeGreaterThanOrEqual(20);
  });

  it.each(rows.filter((r) => r.shape.type === 'integer' || r.shape.type === 'long'))('$model.serviceId $name ($shape.type)', ({ model, name, shape }) => {
    const range = NUMERIC_TYPE_RANGES[shape.type as 'integer' | 'long'];
    const ok = inside(shape);
    expect(check(model, name, String(ok))).toEqual([]);
    // One past the type's range either way, as text, whatever the shape's own bounds say.
    for (const beyond of [range.max + 1n, range.min - 1n]) {
      const errors = check(model, name, String(beyond));
      expect(errors, String(beyond)).toHaveLength(1);
      expect(errors[0]).toContain(`Value '${beyond}'`);
      expect(errors[0]).toContain(shape.type === 'integer' ? '32-bit integer' : '64-bit integer');
    }
    // Beyond 2^53, where a double cannot tell 2^53 + 1 from 2^53.
    expect(check(model, name, '9007199254740993')[0]).toContain("Value '9007199254740993'");
    // A fraction or an exponent is not an integer on the wire, even when its value is whole.
    for (const literal of [`${ok}.0`, `${ok}.5`, `${ok}e0`]) expect(check(model, name, literal)[0], literal).toContain('Member must be an integer');
    expect(check(model, name, '"1"')[0]).toContain('Member must be an integer');
    if (shape.min !== undefined) expect(check(model, name, String(shape.min - 1))[0]).toContain(`greater than or equal to ${shape.min}`);
    if (shape.max !== undefined) expect(check(model, name, String(shape.max + 1))[0]).toContain(`less than or equal to ${shape.max}`);
  });

  it('a long keeps 2^53 - 1 and refuses 2^53 + 1, which it could not store exactly', () => {
    expect(check(synthetic, 'SyntheticLong', String(Number.MAX_SAFE_INTEGER))).toEqual([]);
    expect(check(synthetic, 'SyntheticLong', String(-Number.MAX_SAFE_INTEGER))).toEqual([]);
    expect(check(synthetic, 'SyntheticLong', '9007199254740993')[0]).toContain('keeps integers up to 2^53 - 1');
    expect(check(synthetic, 'SyntheticLong', '9223372036854775808')[0]).toContain('64-bit integer');
  });

  it.each(rows.filter((r) => r.shape.type === 'float' || r.shape.type === 'double'))('$model.serviceId $name ($shape.type)', ({ model, name, shape }) => {
    expect(check(model, name, String(inside(shape)))).toEqual([]);
    const max = NUMERIC_TYPE_RANGES[shape.type as 'float' | 'double'].max;
    for (const beyond of ['1e400', '-1e400', ...(shape.type === 'float' ? ['3.5e38', '-3.5e38'] : [])]) {
      expect(check(model, name, beyond)[0], beyond).toContain(`Member must be a finite ${shape.type} (magnitude at most ${max})`);
    }
    expect(check(model, name, '"0.5"')[0]).toContain('Member must be a number');
    if (shape.min !== undefined) expect(check(model, name, String(shape.min - 0.25))[0]).toContain(`greater than or equal to ${shape.min}`);
    if (shape.max !== undefined) expect(check(model, name, String(shape.max + 0.25))[0]).toContain(`less than or equal to ${shape.max}`);
  });

  it.each(rows.filter((r) => r.shape.type === 'timestamp'))('$model.serviceId $name (timestamp)', ({ model, name }) => {
    expect(check(model, name, '1767225600')).toEqual([]);
    expect(check(model, name, '1767225600.5')).toEqual([]);
    expect(check(model, name, '"2026-01-01T00:00:00Z"')).toEqual([]);
    for (const bad of ['1e13', '-1e13', '1e400', '"not a date"', 'true']) expect(check(model, name, bad)[0], bad).toContain('Member must be a timestamp');
  });
});

describe('request body JSON', () => {
  it('keeps a lossy number as its text and leaves strings that look like numbers alone', () => {
    const body = parseJsonBody('{"a": 1.5, "b": "x\\"2.5", "c": [9007199254740993, 7], "d": -0.0}') as Record<string, unknown>;
    expect(body.a).toEqual(new RawNumber('1.5'));
    expect(body.b).toBe('x"2.5');
    expect(body.c).toEqual([new RawNumber('9007199254740993'), 7]);
    expect(body.d).toEqual(new RawNumber('-0.0'));
  });

  it('never turns invalid JSON into valid JSON', () => {
    for (const text of ['{"a": 1.}', '{"a": 01}', '{"a": .5}', '{"a": 1e}', '{"a": 1.5.5}', '{"a": -}', '{"a": tru1e5}']) {
      expect(() => parseJsonBody(text), text).toThrow(/not valid JSON/);
    }
  });

  it('refuses nesting deeper than 64 levels and prototype keys at any depth, escaped or not', () => {
    expect(() => parseJsonBody(`{"a": ${'['.repeat(63)}${']'.repeat(63)}}`)).not.toThrow();
    expect(() => parseJsonBody(`{"a": ${'['.repeat(64)}${']'.repeat(64)}}`)).toThrow(/nests deeper than 64/);
    for (const key of ['__proto__', 'constructor', 'prototype', '\\u005f_proto__']) {
      expect(() => parseJsonBody(`{"a": [{"${key}": {"polluted": 1}}]}`), key).toThrow(/must not contain the key/);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
