// Helpers for the API validation tables.
import { expect } from 'vitest';
import { validateObject, type ValidationError } from '../../src/api/validate.js';

export function obj(kind: string, spec: unknown, name = 'example'): Record<string, any> {
  return { apiVersion: 'chimevoice.io/v1alpha1', kind, metadata: { name, namespace: 'default' }, spec };
}

/** A row of a validation table: an object and the exact errors expected ([] = valid). */
export interface Case {
  name: string;
  /** Domain rule ids the row covers. */
  rules?: string[];
  object: unknown;
  old?: unknown;
  errors: ValidationError[];
}

export function check(c: Case): void {
  expect(validateObject(c.object, c.old === undefined ? {} : { old: c.old })).toEqual(c.errors);
}

/** Deep copy with a change applied. */
export function withSpec<T extends Record<string, any>>(base: T, change: (spec: any) => void): T {
  const copy = structuredClone(base);
  change(copy.spec);
  return copy;
}
