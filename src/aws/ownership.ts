/**
 * Identity and crash safety. AWS is the source of truth: a resource the engine creates carries an
 * ownership marker written by the create call itself (a tag where the API takes tags, the name
 * where it does not), so a restart at any line finds it instead of creating it twice. Adopting a
 * resource the engine did not create is explicit, through the `chimevoice.io/external-id`
 * annotation, never silent.
 */
import type { AwsPort, AwsService } from '../core/aws-port.js';

/** The part of an object its ownership is decided by. */
interface Owned {
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
}

/**
 * An AWS resource exists under this object's name but carries no ownership marker of it. Defined
 * here, where ownership is decided; src/reconcile/errors.ts classifies it (terminal) and re-exports it.
 */
export class OwnershipConflictError extends Error {}

export const OWNER_TAG_KEY = 'chimevoice.io/owner';
export const EXTERNAL_ID_ANNOTATION = 'chimevoice.io/external-id';

/** The marker value: namespace and name of the object that owns the resource. */
export function ownerValue(obj: Owned): string {
  return `${obj.metadata.namespace ?? 'default'}/${obj.metadata.name}`;
}

export function externalId(obj: Owned): string | undefined {
  const id = obj.metadata.annotations?.[EXTERNAL_ID_ANNOTATION]?.trim();
  return id ? id : undefined;
}

export interface FindOwnedArgs<T> {
  obj: Owned;
  kindLabel: string;
  /** Every resource of this type in the account (one listing serves every object). */
  candidates: T[];
  idOf: (item: T) => string;
  nameOf: (item: T) => string;
  awsName: string;
  /** The id the status cached from an earlier reconcile. */
  cachedId?: string;
  /**
   * Reads one resource by id (its Get call, NotFound as undefined), for an adopted or cached id the
   * listing does not show: listings lag behind creates (API5), reads by id catch up sooner.
   */
  fetch?: (id: string) => Promise<T | undefined>;
  /** For taggable types: the ARN whose tags carry the marker. Omitted: the name is the marker. */
  arnOf?: (item: T) => string;
  /** The API that serves the resource's tags (media insights configurations: mediaPipelines); voice when omitted. */
  service?: AwsService;
  /** Whether `id` (adopted or cached) names `item`, where more than its id does (an ARN, a name); `idOf(item) === id` when omitted. */
  matchesId?: (item: T, id: string) => boolean;
  /** What the adoption annotation takes, for the conflict message; `<its id>` when omitted. */
  adoptionHint?: string;
  aws: AwsPort;
}

/**
 * Finds the AWS resource that belongs to `obj`: the adopted id, the cached id, then a resource with
 * the object's AWS name that carries its marker. A same-named resource without the marker is a
 * conflict to resolve by a person (adopt it or rename), never taken silently.
 */
export async function findOwned<T>(args: FindOwnedArgs<T>): Promise<T | undefined> {
  const matches = args.matchesId ?? ((c: T, id: string) => args.idOf(c) === id);
  const byId = async (id: string) => args.candidates.find((c) => matches(c, id)) ?? (await args.fetch?.(id));
  const adopt = externalId(args.obj);
  if (adopt) {
    const found = await byId(adopt);
    if (!found) throw new OwnershipConflictError(`${args.kindLabel} ${adopt} named by annotation ${EXTERNAL_ID_ANNOTATION} does not exist in AWS`);
    return found;
  }
  if (args.cachedId) {
    const cached = await byId(args.cachedId);
    if (cached) return cached;
  }
  const sameName = args.candidates.filter((c) => args.nameOf(c) === args.awsName);
  if (sameName.length === 0) return undefined;
  if (!args.arnOf) return sameName[0];
  const owner = ownerValue(args.obj);
  const foreign: string[] = [];
  for (const candidate of sameName) {
    const tags = await listTags(args.aws, args.arnOf(candidate), args.service);
    const marker = tags[OWNER_TAG_KEY];
    if (marker === owner) return candidate;
    foreign.push(`${args.idOf(candidate)}${marker ? ` (owned by ${marker})` : ''}`);
  }
  throw new OwnershipConflictError(
    `a ${args.kindLabel} named "${args.awsName}" already exists in AWS (${foreign.join(', ')}) and was not created by this object; ` +
      `to manage it, set the annotation ${EXTERNAL_ID_ANNOTATION}: ${args.adoptionHint ?? '<its id>'}, or choose another spec.name`,
  );
}

/** Tags of a resource as a map, from the API that serves them; served by the inventory so that one pass reads each ARN's tags once. */
export async function listTags(aws: AwsPort, arn: string, service: AwsService = 'voice'): Promise<Record<string, string>> {
  const tags = await aws.inventory.list<{ Key: string; Value: string }>({
    service,
    operation: 'ListTagsForResource',
    input: { ResourceARN: arn },
    items: 'Tags',
    paged: false,
  });
  return Object.fromEntries(tags.map((t) => [t.Key, t.Value]));
}
