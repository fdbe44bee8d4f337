// The descriptor of a kind: everything the registry, the validator and the CRD generator need.
import type { Static, TSchema } from '@sinclair/typebox';

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  priority?: number;
}

/** An error found by validation: `path` like `spec.termination.cidrAllowedList[0]`. */
export interface ValidationError {
  path: string;
  message: string;
}

export interface KindDescriptor<Spec extends TSchema = TSchema, Status extends TSchema = TSchema> {
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  /** Namespaced (default: every managed kind) or Cluster (AwsAccount). */
  scope?: 'Namespaced' | 'Cluster';
  /** What `kubectl explain <kind>` prints first. */
  description: string;
  spec: Spec;
  status: Status;
  printerColumns: PrinterColumn[];
  /** Condition types this kind sets besides Ready, Reconciling, Stalled and Drifted (warnings). */
  extraConditionTypes: string[];
  /**
   * Constraints on the AWS name when spec.name is omitted and metadata.name stands in for it
   * (no CEL can see metadata.name from spec, so this is TS-only).
   */
  awsName?: { maxLength: number; pattern: string };
  /** TS-only checks that CEL cannot express (paths relative to the object root); run only on an object the schema admitted. */
  extraChecks?(obj: { metadata: { name: string; namespace?: string }; spec: Static<Spec> }): ValidationError[];
}

/** Printer columns every kind shows. */
export function readyDriftedColumns(): PrinterColumn[] {
  return [
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status', description: 'Whether AWS matches the spec.' },
    {
      name: 'Drifted',
      type: 'string',
      jsonPath: '.status.conditions[?(@.type=="Drifted")].status',
      description: 'Whether AWS differs from the spec (see status.drift).',
    },
  ];
}

export const ageColumn: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

/** Shown by every managed kind, before Age (defineKind adds it): empty unless suspended. */
export const suspendedColumn: PrinterColumn = {
  name: 'Suspended',
  type: 'boolean',
  jsonPath: '.status.suspended',
  description: 'True while the annotation chimevoice.io/reconcile: disabled suspends reconciliation.',
};

export function defineKind<Spec extends TSchema, Status extends TSchema>(d: KindDescriptor<Spec, Status>): KindDescriptor<Spec, Status> {
  if (d.scope === 'Cluster') return d;
  // Every managed kind can be suspended: the column goes before Age, where a kind's own columns end.
  const age = d.printerColumns.findIndex((c) => c.jsonPath === ageColumn.jsonPath);
  const at = age < 0 ? d.printerColumns.length : age;
  return { ...d, printerColumns: [...d.printerColumns.slice(0, at), suspendedColumn, ...d.printerColumns.slice(at)] };
}
