/**
 * Reference resolution for `desired`: the AWS identity a referenced object's status holds, or a
 * wait while it has none yet. In plan and delete mode (lenient) a missing value becomes a readable
 * placeholder that is never sent to AWS.
 */
import type { PhoneNumberAtProvider } from '../../api/kinds/phone-number.js';
import { ReferenceNotReadyError } from '../../reconcile/errors.js';
import type { AtProviderOf, DesiredContext, ManagedObject, World } from '../../reconcile/types.js';

/** The members of an atProvider shape `A` that hold strings (ids, ARNs, numbers): what a reference resolves to. */
export type StringMember<A> = { [F in keyof A]-?: NonNullable<A[F]> extends string ? F : never }[keyof A] & string;

/** The placeholder for a value known only once the referenced object exists (plan mode). */
export const placeholderFor = (field: string, kind: string, name: string) => `(${field} of ${kind} ${name}, known after apply)`;

/** True for a value `resolveField` or the engine invented for a reference that does not exist yet. */
export const isPlaceholder = (v: unknown) => typeof v === 'string' && v.startsWith('(') && v.endsWith('known after apply)');

export interface ResolveFieldArgs<K extends keyof AtProviderOf> {
  ctx: DesiredContext;
  /** The referring object, named in the wait's message. */
  obj: Pick<ManagedObject, 'kind' | 'metadata'>;
  kind: K;
  name: string;
  /** The atProvider member wanted, e.g. `voiceConnectorId`. */
  field: StringMember<AtProviderOf[K]>;
  /** What the field is in words, for the wait's message (`Voice Connector id`); the field's name when omitted. */
  what?: string;
}

/**
 * The string `field` of the referenced object's status.atProvider. A reference that is missing or
 * not Ready throws ReferenceNotReadyError from `ctx.resolve`; a Ready one without the field
 * throws it here, unless lenient, where a placeholder stands for it.
 */
export function resolveField<K extends keyof AtProviderOf>({ ctx, obj, kind, name, field, what }: ResolveFieldArgs<K>): string {
  const value: unknown = ctx.resolve(kind, name)[field];
  if (typeof value === 'string' && value !== '') return value;
  if (ctx.lenient) return placeholderFor(field, kind, name);
  throw new ReferenceNotReadyError(`${kind} ${name} has no ${what ?? field} yet; ${obj.kind} ${obj.metadata.name} waits for it`, 'ReferenceNotReady');
}

/**
 * The PhoneNumber object of the world (any namespace) that manages `number`, if any: by the number
 * or id its status caches, or the number its spec claims.
 */
export function numberHolder(world: World, number: { e164: string; phoneNumberId?: string }): ManagedObject | undefined {
  return world.list('PhoneNumber').find((pn) => {
    const at = (pn.status?.atProvider ?? {}) as PhoneNumberAtProvider;
    return (
      at.e164 === number.e164 ||
      (number.phoneNumberId !== undefined && at.phoneNumberId === number.phoneNumberId) ||
      (pn.spec as { e164?: string } | undefined)?.e164 === number.e164
    );
  });
}
