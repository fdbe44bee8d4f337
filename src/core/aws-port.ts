/**
 * What the kinds need of AWS, as a narrow port: calls by operation name and the per-pass inventory
 * of listings. src/aws/context.ts's AwsContext implements it; the reconcile vocabulary
 * (src/reconcile/types.ts) names only this port, so the engine's types and the AWS clients do not
 * import each other, and a kind can be driven by a fake.
 */

/** The two Chime SDK clients a call goes through. */
/** The region named in an ARN (`arn:aws:chime:<region>:<account>:...`), if it names one. */
export const regionOfArn = (arn: string): string | undefined => (arn.startsWith('arn:') ? arn.split(':')[3] || undefined : undefined);

export type AwsService = 'voice' | 'mediaPipelines';

/** One listing the inventory serves: every page of `operation`, items read from the member `items`. */
export interface ListSpec {
  service: AwsService;
  operation: string;
  input?: Record<string, unknown>;
  /** Output member holding the page's items. */
  items: string;
  maxResults?: number;
  /** False for calls without MaxResults/NextToken (ListTagsForResource, ListVoiceConnectorTerminationCredentials). */
  paged?: boolean;
}

/** Listings shared by every object of a pass: one paginated listing serves them all. */
export interface InventoryPort {
  list<T = unknown>(spec: ListSpec): Promise<T[]>;
}

export interface AwsPort {
  /**
   * The region this port's calls go to: the home region (`--region`) for account-wide things, or
   * the region of a regional resource for a port from `in(region)`.
   */
  readonly region: string;
  /**
   * The same account through the endpoint of `region`: a regional resource (a voice connector, a
   * SIP media application...) is read, listed and written through its own region's endpoint,
   * whose listings are its own (docs/concepts.md#regions).
   */
  in(region: string): AwsPort;
  readonly inventory: InventoryPort;
  /** Calls `operation` with `input`; errors propagate as the SDK's exception classes. */
  send<T = unknown>(service: AwsService, operation: string, input: Record<string, unknown>): Promise<T>;
  /** Like `send`, but a NotFoundException is an absent resource (undefined), not an error. */
  read<T = unknown>(service: AwsService, operation: string, input: Record<string, unknown>): Promise<T | undefined>;
}
