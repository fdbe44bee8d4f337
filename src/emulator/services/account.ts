/**
 * Account-wide operations: global settings (rule GS1) and tags on every taggable ARN. The tag
 * operations of chime-sdk-media-pipelines have the same paths and shapes and land here too.
 * Also home of two helpers the other handlers of this family share: opaque list pagination
 * (rule API3) and tag validation at create time.
 */
import { LIMITS } from '../../domain/limits.js';
import { ApiError, badRequest, notFound, regionOfArn, type OpContext, type ServiceModule } from '../core/types.js';
import type { EmulatorState, TagRecord } from '../core/state.js';

/** AWS caps user tags per resource (voice connectors, SIP media applications, domains, configurations); see src/domain/limits.ts. */
export const MAX_TAGS = LIMITS.tagsPerResource.max;

// ---------------------------------------------------------------- pagination (API3)

interface PageInput {
  MaxResults?: number;
  NextToken?: string;
}

/**
 * One page of `items`, ordered by `key`. The token carries the last key served (not an offset), so
 * a page boundary survives creates and deletes between calls; `scope` ties a token to its list call.
 */
export function paginate<T>(items: T[], key: (item: T) => string, input: PageInput, scope: string): { page: T[]; NextToken?: string } {
  const max = input.MaxResults ?? 100;
  let after: string | undefined;
  if (input.NextToken !== undefined) {
    try {
      const decoded = JSON.parse(Buffer.from(input.NextToken, 'base64url').toString('utf8')) as { s?: unknown; k?: unknown };
      if (decoded.s !== scope || typeof decoded.k !== 'string') throw new Error('scope');
      after = decoded.k;
    } catch {
      throw badRequest(`The NextToken '${input.NextToken.slice(0, 64)}' is not a token this list call issued.`);
    }
  }
  const sorted = items.map((item) => ({ item, k: key(item) })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  const rest = after === undefined ? sorted : sorted.filter((e) => e.k > after!);
  const page = rest.slice(0, max);
  const out: { page: T[]; NextToken?: string } = { page: page.map((e) => e.item) };
  if (rest.length > max) out.NextToken = Buffer.from(JSON.stringify({ s: scope, k: page[page.length - 1].k })).toString('base64url');
  return out;
}

/** Creation order, then id: the order AWS lists these resources in. */
export const byCreation = (created: string, id: string) => `${created}|${id}`;

// ---------------------------------------------------------------- tags

/** Checks tags given to a create or TagResource call: no duplicate keys, no reserved `aws:` prefix. */
export function checkTags(tags: TagRecord[] | undefined, resource: string): void {
  if (!tags) return;
  const seen = new Set<string>();
  for (const tag of tags) {
    if (tag.Key.toLowerCase().startsWith('aws:')) throw badRequest(`Tag key '${tag.Key}' on ${resource} uses the reserved prefix 'aws:'.`);
    if (seen.has(tag.Key)) throw badRequest(`Tag key '${tag.Key}' appears more than once in the request for ${resource}.`);
    seen.add(tag.Key);
  }
  if (tags.length > MAX_TAGS) throw tagLimit(resource, tags.length);
}

const tagLimit = (resource: string, count: number) =>
  // The media pipelines model has no ResourceLimitExceededException on its tag calls; it answers BadRequest.
  resource.includes(':media-insights-pipeline-configuration/')
    ? badRequest(`${resource} would have ${count} tags; a resource has at most ${MAX_TAGS}.`)
    : new ApiError('ResourceLimitExceededException', `${resource} would have ${count} tags; a resource has at most ${MAX_TAGS}.`);

/** Whether `arn` names a live taggable resource of the account. */
function resourceExists(state: EmulatorState, arn: string): boolean {
  return (
    Object.values(state.voiceConnectors).some((r) => r.VoiceConnectorArn === arn) ||
    Object.values(state.sipMediaApplications).some((r) => r.SipMediaApplicationArn === arn) ||
    Object.values(state.voiceProfileDomains).some((r) => r.VoiceProfileDomainArn === arn) ||
    Object.values(state.mediaInsightsPipelineConfigurations).some((r) => r.MediaInsightsPipelineConfigurationArn === arn)
  );
}

function requireResource(ctx: OpContext, arn: string): void {
  // Strict regions: a resource's tags are served by its own region's endpoint (the region its ARN names).
  if (!resourceExists(ctx.state, arn) || !ctx.sees(regionOfArn(arn))) throw notFound(`No taggable resource with ARN ${arn} exists in account ${ctx.config.accountId}.`);
}

// ---------------------------------------------------------------- handlers

export const account: ServiceModule = {
  handlers: {
    GetGlobalSettings(_input, ctx) {
      const vc = ctx.state.globalSettings.VoiceConnector;
      return { VoiceConnector: vc ? { ...vc } : {} };
    },

    /** GS1: one CDR bucket per account; an empty VoiceConnector object stops CDR delivery. */
    UpdateGlobalSettings(input: { VoiceConnector: { CdrBucket?: string } }, ctx) {
      const next: { CdrBucket?: string } = {};
      if (input.VoiceConnector.CdrBucket !== undefined) next.CdrBucket = input.VoiceConnector.CdrBucket;
      ctx.state.globalSettings.VoiceConnector = next;
      return {};
    },

    ListTagsForResource(input: { ResourceARN: string }, ctx) {
      requireResource(ctx, input.ResourceARN);
      return { Tags: (ctx.state.tags[input.ResourceARN] ?? []).map((t) => ({ Key: t.Key, Value: t.Value })) };
    },

    TagResource(input: { ResourceARN: string; Tags: TagRecord[] }, ctx) {
      const arn = input.ResourceARN;
      requireResource(ctx, arn);
      checkTags(input.Tags, arn);
      const merged = new Map((ctx.state.tags[arn] ?? []).map((t) => [t.Key, t.Value]));
      for (const tag of input.Tags) merged.set(tag.Key, tag.Value);
      if (merged.size > MAX_TAGS) throw tagLimit(arn, merged.size);
      ctx.state.tags[arn] = [...merged].map(([Key, Value]) => ({ Key, Value }));
      return {};
    },

    UntagResource(input: { ResourceARN: string; TagKeys: string[] }, ctx) {
      const arn = input.ResourceARN;
      requireResource(ctx, arn);
      const drop = new Set(input.TagKeys);
      const left = (ctx.state.tags[arn] ?? []).filter((t) => !drop.has(t.Key));
      if (left.length > 0) ctx.state.tags[arn] = left;
      else delete ctx.state.tags[arn];
      return {};
    },
  },
};
