/**
 * Voice connectors, their sub-configurations, and voice connector groups (rules VC1..VC9, G1..G3,
 * and the association side of PN4/API4). Phone number records belong to the phone-numbers family;
 * this module only reads them and writes their `Associations`/`Status` when numbers are associated.
 *
 * Every handler checks everything before it mutates, so a refused call leaves the state unchanged.
 */
import { LIMITS, SIP_USERNAME_PATTERN } from '../../domain/limits.js';
import ipaddr from 'ipaddr.js';
import { isSupportedCountry } from 'libphonenumber-js';
import { ApiError, badRequest, limitExceeded, notFound, regionOfArn } from '../core/types.js';
import type { OpContext, ServiceModule } from '../core/types.js';
import { publicView } from '../core/state.js';
import { modelEnum } from '../core/model.js';
import type {
  EmulatorState,
  PhoneNumberRecord,
  TagRecord,
  VoiceConnectorGroupRecord,
  VoiceConnectorRecord,
} from '../core/state.js';

/** The model's VoiceConnectorAwsRegion enum: the regions where connectors can be created. */
const VOICE_CONNECTOR_REGIONS = modelEnum('VoiceConnectorAwsRegion');

// Limits beyond the model's shapes come from the table `validate` checks too (src/domain/limits.ts).
const MAX_TAGS = LIMITS.tagsPerResource.max;
const MAX_GROUPS = LIMITS.voiceConnectorGroupsPerAccount.max;
const MAX_GROUP_ITEMS = LIMITS.voiceConnectorsPerGroup.max;
const MAX_ORIGINATION_ROUTES = LIMITS.originationRoutes.max;
const MAX_RETENTION_HOURS = LIMITS.streamingDataRetentionHours.max;
/** Emulated SIP OPTIONS keep-alive interval of the customer's SIP infrastructure. */
const OPTIONS_PING_INTERVAL_MS = 60_000;
const DEFAULT_PAGE_SIZE = 100;

type PhoneNumberError = { PhoneNumberId: string; ErrorCode: string; ErrorMessage: string };

// ---------------------------------------------------------------------------------------------
// Lookups

function getConnector(ctx: OpContext, id: string): VoiceConnectorRecord {
  const vc = ctx.state.voiceConnectors[id];
  // Strict regions: a connector is served by its own region's endpoint only.
  if (!vc || !ctx.sees(vc.AwsRegion)) throw notFound(`Voice connector ${id} not found.`);
  return vc;
}

/** The sub-configurations of a connector that Get reads and Delete removes. */
type SubConfig = '_origination' | '_termination' | '_emergencyCalling' | '_streaming' | '_externalSystems' | '_proxy';

/** The Get handler of a sub-configuration: NotFound while none is set, else `view` of it (a copy by default). */
function getConfigHandler(field: SubConfig, member: string, what: string, view: (config: Record<string, unknown>) => unknown = structuredClone) {
  return (input: any, ctx: OpContext) => {
    const vc = getConnector(ctx, input.VoiceConnectorId);
    const config = vc[field];
    if (!config) throw notFound(`Voice connector ${vc.VoiceConnectorId} has no ${what}.`);
    return { [member]: view(config) };
  };
}

/** The Delete handler of a sub-configuration: NotFound while none is set; `before` may refuse (it runs before any change) or clear more. */
function deleteConfigHandler(field: SubConfig, what: string, before?: (vc: VoiceConnectorRecord) => void) {
  return (input: any, ctx: OpContext) => {
    const vc = getConnector(ctx, input.VoiceConnectorId);
    if (!vc[field]) throw notFound(`Voice connector ${vc.VoiceConnectorId} has no ${what}.`);
    before?.(vc);
    delete vc[field];
    vc.UpdatedTimestamp = ctx.nowIso();
    return {};
  };
}

function getGroup(ctx: OpContext, id: string): VoiceConnectorGroupRecord {
  const group = ctx.state.voiceConnectorGroups[id];
  // Strict regions: a group lives in the region whose endpoint created it (its ARN's).
  if (!group || !ctx.sees(regionOfArn(group.VoiceConnectorGroupArn))) throw notFound(`Voice connector group ${id} not found.`);
  return group;
}

/** The E.164 key of `state.phoneNumbers` for a number the model lets through with or without `+`. */
function e164(value: string): string {
  return value.startsWith('+') ? value : `+${value}`;
}

function numbersAssociatedWith(state: EmulatorState, name: 'VoiceConnectorId' | 'VoiceConnectorGroupId', id: string): string[] {
  return Object.values(state.phoneNumbers)
    .filter((pn) => pn.Associations?.some((a) => a.Name === name && a.Value === id))
    .map((pn) => pn.E164PhoneNumber);
}

function groupsContaining(state: EmulatorState, voiceConnectorId: string): string[] {
  return Object.values(state.voiceConnectorGroups)
    .filter((g) => g.VoiceConnectorItems.some((item) => item.VoiceConnectorId === voiceConnectorId))
    .map((g) => g.VoiceConnectorGroupId);
}

// ---------------------------------------------------------------------------------------------
// Pagination (API3): opaque tokens naming the operation and the last key returned, so that a page
// boundary survives deletions between calls.

function paginate<T>(ctx: OpContext, items: T[], sortKey: (item: T) => string, input: { NextToken?: string; MaxResults?: number }): { page: T[]; next?: string } {
  const sorted = [...items].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  let start = 0;
  if (input.NextToken !== undefined) {
    let after: unknown;
    try {
      const decoded = JSON.parse(Buffer.from(input.NextToken, 'base64url').toString('utf8'));
      if (decoded?.op === ctx.operation && typeof decoded.after === 'string') after = decoded.after;
    } catch {
      // handled below: an unreadable token is refused like a token of another operation
    }
    if (typeof after !== 'string') throw badRequest(`NextToken is not a token issued by ${ctx.operation}.`);
    start = sorted.findIndex((item) => sortKey(item) > (after as string));
    if (start < 0) start = sorted.length;
  }
  const size = input.MaxResults ?? DEFAULT_PAGE_SIZE;
  const page = sorted.slice(start, start + size);
  if (start + size >= sorted.length || page.length === 0) return { page };
  const last = sortKey(page[page.length - 1]);
  return { page, next: Buffer.from(JSON.stringify({ op: ctx.operation, after: last }), 'utf8').toString('base64url') };
}

// ---------------------------------------------------------------------------------------------
// Network checks (VC3, VC4): addresses must be publicly routable.

type SpecialRanges = Record<string, [ipaddr.IPv4 | ipaddr.IPv6, number] | Array<[ipaddr.IPv4 | ipaddr.IPv6, number]>>;

function specialRanges(kind: 'ipv4' | 'ipv6'): Array<[string, ipaddr.IPv4 | ipaddr.IPv6, number]> {
  const table = (kind === 'ipv4' ? (ipaddr.IPv4.prototype as any).SpecialRanges : (ipaddr.IPv6.prototype as any).SpecialRanges) as SpecialRanges;
  const out: Array<[string, ipaddr.IPv4 | ipaddr.IPv6, number]> = [];
  for (const [name, value] of Object.entries(table)) {
    const list = Array.isArray(value[0]) ? (value as Array<[ipaddr.IPv4 | ipaddr.IPv6, number]>) : [value as [ipaddr.IPv4 | ipaddr.IPv6, number]];
    for (const [addr, bits] of list) out.push([name, addr, bits]);
  }
  return out;
}

/** Why a network is not publicly routable (it overlaps a special-purpose range), or undefined when it is. */
function nonPublicReason(addr: ipaddr.IPv4 | ipaddr.IPv6, bits: number): string | undefined {
  if (addr.kind() === 'ipv6') {
    // Global unicast space is 2000::/3; anything outside it is not routable on the internet.
    const globalUnicast = ipaddr.IPv6.parse('2000::');
    if (bits < 3 || !addr.match(globalUnicast, 3)) return 'outside the global unicast range 2000::/3';
  }
  for (const [name, net, netBits] of specialRanges(addr.kind())) {
    // Two CIDR blocks overlap when the broader one contains the other's network address.
    const overlaps = bits <= netBits ? net.match(addr, bits) : addr.match(net, netBits);
    if (overlaps) return `in the ${name} range ${net.toString()}/${netBits}`;
  }
  return undefined;
}

function parseIpLiteral(value: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(value)) return ipaddr.IPv4.parse(value);
  if (value.includes(':') && ipaddr.IPv6.isValid(value)) return ipaddr.IPv6.parse(value);
  return undefined;
}

function parseCidr(value: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | undefined {
  if (!value.includes('/')) return undefined;
  if (ipaddr.IPv4.isValidCIDRFourPartDecimal(value)) return ipaddr.IPv4.parseCIDR(value);
  if (value.includes(':') && ipaddr.IPv6.isValidCIDR(value)) return ipaddr.IPv6.parseCIDR(value);
  return undefined;
}

/** An address inside the block, as a SIP host in it would send from: the block's first host. */
function hostInCidr(addr: ipaddr.IPv4 | ipaddr.IPv6, bits: number): string {
  const bytes = addr.toByteArray();
  const width = bytes.length * 8;
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    bytes[i] &= (0xff << (8 - keep)) & 0xff;
  }
  if (bits < width) bytes[bytes.length - 1] |= 1;
  const host = ipaddr.fromByteArray(bytes);
  return host.kind() === 'ipv6' ? (host as ipaddr.IPv6).toRFC5952String() : host.toString();
}

const HOSTNAME = /^(?=.{1,253}$)(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\.?$/;

// ---------------------------------------------------------------------------------------------
// Shared checks

function checkTags(tags: TagRecord[] | undefined, what: string): void {
  if (!tags) return;
  if (tags.length > MAX_TAGS) throw badRequest(`${what} can have at most ${MAX_TAGS} tags; ${tags.length} were given.`);
  const seen = new Set<string>();
  for (const tag of tags) {
    if (seen.has(tag.Key)) throw badRequest(`Tag key ${tag.Key} is given more than once.`);
    seen.add(tag.Key);
    if (tag.Key.toLowerCase().startsWith('aws:')) throw badRequest(`Tag key ${tag.Key} uses the reserved prefix aws:.`);
  }
}

function checkCountry(code: string, member: string): void {
  if (!/^[A-Z]{2}$/.test(code) || !isSupportedCountry(code)) {
    throw badRequest(`${member} ${JSON.stringify(code)} is not an ISO 3166-1 alpha-2 country code.`);
  }
}

function checkNoDuplicates(values: string[], member: string): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) throw badRequest(`${member} lists ${v} more than once.`);
    seen.add(v);
  }
}

function isUsNumber(value: string): boolean {
  return /^\+1[2-9]\d{2}[2-9]\d{6}$/.test(e164(value));
}

function terminationEnabled(vc: VoiceConnectorRecord): boolean {
  return vc._termination !== undefined && vc._termination.Disabled !== true;
}

function originationEnabled(vc: VoiceConnectorRecord): boolean {
  return vc._origination !== undefined && vc._origination.Disabled !== true;
}

function refuseWhileEmergencyCalling(vc: VoiceConnectorRecord, change: string): void {
  if (vc._emergencyCalling) {
    throw badRequest(
      `Cannot ${change} of voice connector ${vc.VoiceConnectorId}: emergency calling is configured, and it needs termination and origination enabled. Delete the emergency calling configuration first.`,
    );
  }
}

function udpRoutes(origination: Record<string, unknown> | undefined): string[] {
  const routes = (origination?.Routes as Array<{ Host?: string; Protocol?: string }> | undefined) ?? [];
  return routes.filter((r) => r.Protocol === 'UDP').map((r) => r.Host ?? '');
}

// ---------------------------------------------------------------------------------------------
// Phone number associations (PN4, API4)

interface AssociationTarget {
  name: 'VoiceConnectorId' | 'VoiceConnectorGroupId';
  id: string;
  label: string;
}

const connectorTarget = (vc: VoiceConnectorRecord): AssociationTarget => ({ name: 'VoiceConnectorId', id: vc.VoiceConnectorId, label: 'voice connector' });
const groupTarget = (group: VoiceConnectorGroupRecord): AssociationTarget => ({
  name: 'VoiceConnectorGroupId',
  id: group.VoiceConnectorGroupId,
  label: 'voice connector group',
});

/** VC8, G3: a connector or group cannot be deleted while phone numbers are associated with it. */
function refuseDeleteWithNumbers(ctx: OpContext, target: AssociationTarget): void {
  const numbers = numbersAssociatedWith(ctx.state, target.name, target.id);
  if (numbers.length === 0) return;
  throw new ApiError(
    'ConflictException',
    `${target.label[0].toUpperCase()}${target.label.slice(1)} ${target.id} cannot be deleted while phone numbers are associated with it (${numbers.join(', ')}). Disassociate them first.`,
    'PhoneNumberAssociationsExist',
  );
}

function describeAssociation(a: { Name: string; Value: string }): string {
  if (a.Name === 'VoiceConnectorId') return `voice connector ${a.Value}`;
  if (a.Name === 'VoiceConnectorGroupId') return `voice connector group ${a.Value}`;
  return `SIP rule ${a.Value}`;
}

/** Why a number cannot be associated, or undefined. Reads only. */
function associationError(ctx: OpContext, given: string, pn: PhoneNumberRecord | undefined, target: AssociationTarget, force: boolean): PhoneNumberError | undefined {
  const err = (ErrorCode: string, ErrorMessage: string) => ({ PhoneNumberId: given, ErrorCode, ErrorMessage });
  if (!pn) return err('NotFound', `Phone number ${e164(given)} is not in the phone number inventory of account ${ctx.config.accountId}.`);
  if (pn.ProductType !== 'VoiceConnector') {
    return err(
      'BadRequest',
      `Phone number ${pn.E164PhoneNumber} has product type ${pn.ProductType}; only VoiceConnector numbers can be associated with a ${target.label}. A SipMediaApplicationDialIn number is used as the trigger of a SIP rule.`,
    );
  }
  if (pn.DeletionTimestamp !== undefined || pn.Status === 'DeleteInProgress' || pn.Status === 'ReleaseInProgress') {
    return err('Gone', `Phone number ${pn.E164PhoneNumber} is in the deletion queue; restore it before associating it.`);
  }
  if (pn.Status !== 'Unassigned' && pn.Status !== 'Assigned') {
    return err('Unprocessable', `Phone number ${pn.E164PhoneNumber} has status ${pn.Status}; only Unassigned or Assigned numbers can be associated.`);
  }
  const elsewhere = (pn.Associations ?? []).filter((a) => !(a.Name === target.name && a.Value === target.id));
  const sipRule = elsewhere.find((a) => a.Name === 'SipRuleId');
  if (sipRule) return err('Conflict', `Phone number ${pn.E164PhoneNumber} is the trigger of ${describeAssociation(sipRule)}.`);
  if (elsewhere.length > 0 && !force) {
    return err(
      'Conflict',
      `Phone number ${pn.E164PhoneNumber} is already associated with ${describeAssociation(elsewhere[0])}; set ForceAssociate to move it to ${target.label} ${target.id}.`,
    );
  }
  return undefined;
}

function associateNumbers(ctx: OpContext, target: AssociationTarget, numbers: string[], force: boolean): { PhoneNumberErrors: PhoneNumberError[] } {
  const errors: PhoneNumberError[] = [];
  const done = new Set<string>();
  for (const given of numbers) {
    const key = e164(given);
    if (done.has(key)) continue;
    done.add(key);
    const pn = ctx.state.phoneNumbers[key];
    const error = associationError(ctx, given, pn, target, force);
    if (error) {
      errors.push(error);
      continue;
    }
    const already = pn.Associations?.some((a) => a.Name === target.name && a.Value === target.id);
    if (already) continue;
    // ForceAssociate moves the number: it leaves any other connector or group in the same call.
    pn.Associations = [{ Name: target.name, Value: target.id, AssociatedTimestamp: ctx.nowIso() }];
    pn.Status = 'Assigned';
    pn.UpdatedTimestamp = ctx.nowIso();
  }
  return { PhoneNumberErrors: errors };
}

function disassociateNumbers(ctx: OpContext, target: AssociationTarget, numbers: string[]): { PhoneNumberErrors: PhoneNumberError[] } {
  const errors: PhoneNumberError[] = [];
  const done = new Set<string>();
  for (const given of numbers) {
    const key = e164(given);
    if (done.has(key)) continue;
    done.add(key);
    const pn = ctx.state.phoneNumbers[key];
    if (!pn) {
      errors.push({ PhoneNumberId: given, ErrorCode: 'NotFound', ErrorMessage: `Phone number ${key} is not in the phone number inventory of account ${ctx.config.accountId}.` });
      continue;
    }
    const mine = (pn.Associations ?? []).filter((a) => a.Name === target.name && a.Value === target.id);
    if (mine.length === 0) {
      errors.push({ PhoneNumberId: given, ErrorCode: 'BadRequest', ErrorMessage: `Phone number ${key} is not associated with ${target.label} ${target.id}.` });
      continue;
    }
    pn.Associations = pn.Associations.filter((a) => !(a.Name === target.name && a.Value === target.id));
    if (pn.Associations.length === 0) pn.Status = 'Unassigned';
    pn.UpdatedTimestamp = ctx.nowIso();
  }
  return { PhoneNumberErrors: errors };
}

// ---------------------------------------------------------------------------------------------
// Views

function connectorView(vc: VoiceConnectorRecord) {
  return publicView(vc);
}

function groupView(group: VoiceConnectorGroupRecord) {
  const view = publicView(group);
  return { ...view, VoiceConnectorItems: group.VoiceConnectorItems.map((i) => ({ ...i })) };
}

/** The termination as the API shows it (credentials and health live elsewhere). */
function terminationView(t: Record<string, unknown>) {
  return structuredClone(t);
}

// ---------------------------------------------------------------------------------------------
// Voice connectors (VC1, VC8, VC9)

function createVoiceConnector(input: any, ctx: OpContext) {
  // The API's documented default is us-east-1; under strict regions, the request's region.
  const region = ctx.createRegion(input.AwsRegion, 'us-east-1', `Voice connector ${input.Name}`);
  checkTags(input.Tags, 'A voice connector');
  const id = ctx.lowerAlnumId();
  const now = ctx.nowIso();
  const vc: VoiceConnectorRecord = {
    VoiceConnectorId: id,
    AwsRegion: region,
    Name: input.Name,
    OutboundHostName: `${id}.voiceconnector.chime.aws`,
    RequireEncryption: input.RequireEncryption,
    CreatedTimestamp: now,
    UpdatedTimestamp: now,
    VoiceConnectorArn: ctx.arn(region, `vc/${id}`),
    NetworkType: input.NetworkType ?? 'IPV4_ONLY',
  };
  if (input.IntegrationType !== undefined) vc.IntegrationType = input.IntegrationType;
  ctx.state.voiceConnectors[id] = vc;
  if (input.Tags?.length) ctx.state.tags[vc.VoiceConnectorArn] = input.Tags.map((t: TagRecord) => ({ Key: t.Key, Value: t.Value }));
  ctx.markCreated(`voiceConnectors/${id}`);
  return { VoiceConnector: connectorView(vc) };
}

function getVoiceConnector(input: any, ctx: OpContext) {
  ctx.assertVisible(`voiceConnectors/${input.VoiceConnectorId}`, `Voice connector ${input.VoiceConnectorId} not found.`);
  return { VoiceConnector: connectorView(getConnector(ctx, input.VoiceConnectorId)) };
}

function listVoiceConnectors(input: any, ctx: OpContext) {
  const listed = ctx.listed('voiceConnectors', Object.values(ctx.state.voiceConnectors), (vc) => vc.VoiceConnectorId).filter((vc) => ctx.sees(vc.AwsRegion));
  const { page, next } = paginate(ctx, listed, (vc) => `${vc.CreatedTimestamp}|${vc.VoiceConnectorId}`, input);
  return { VoiceConnectors: page.map(connectorView), ...(next ? { NextToken: next } : {}) };
}

function updateVoiceConnector(input: any, ctx: OpContext) {
  const vc = getConnector(ctx, input.VoiceConnectorId);
  // VC1: only the name and encryption change; region and network type are fixed at creation.
  if (input.RequireEncryption === true && !vc.RequireEncryption) {
    const udp = udpRoutes(vc._origination);
    if (udp.length > 0) {
      throw badRequest(
        `Cannot require encryption on voice connector ${vc.VoiceConnectorId}: its origination routes to ${udp.join(', ')} use UDP, and an encrypted connector sends every inbound call over TLS (TCP). Change those routes to TCP first.`,
      );
    }
  }
  vc.Name = input.Name;
  vc.RequireEncryption = input.RequireEncryption;
  vc.UpdatedTimestamp = ctx.nowIso();
  return { VoiceConnector: connectorView(vc) };
}

function deleteVoiceConnector(input: any, ctx: OpContext) {
  const vc = getConnector(ctx, input.VoiceConnectorId);
  refuseDeleteWithNumbers(ctx, connectorTarget(vc));
  const groups = groupsContaining(ctx.state, vc.VoiceConnectorId);
  if (groups.length > 0) {
    throw new ApiError(
      'ConflictException',
      `Voice connector ${vc.VoiceConnectorId} cannot be deleted while it is an item of voice connector group ${groups.join(', ')}. Remove it from the group first.`,
      'VoiceConnectorGroupAssociationsExist',
    );
  }
  delete ctx.state.voiceConnectors[vc.VoiceConnectorId];
  delete ctx.state.tags[vc.VoiceConnectorArn];
  ctx.markDeleted(`voiceConnectors/${vc.VoiceConnectorId}`, vc);
  return {};
}

function listAvailableVoiceConnectorRegions() {
  return { VoiceConnectorRegions: [...VOICE_CONNECTOR_REGIONS] };
}

function associatePhoneNumbersWithVoiceConnector(input: any, ctx: OpContext) {
  const vc = getConnector(ctx, input.VoiceConnectorId);
  return associateNumbers(ctx, connectorTarget(vc), input.E164PhoneNumbers, input.ForceAssociate === true);
}

function disassociatePhoneNumbersFromVoiceConnector(input: any, ctx: OpContext) {
  const vc = getConnector(ctx, input.VoiceConnectorId);
  return disassociateNumbers(ctx, connectorTarget(vc), input.E164PhoneNumbers);
}

// ---------------------------------------------------------------------------------------------
// Origination (VC2, VC4)

function putVoiceConnectorOrigination(input: any, ctx: OpContext) {
  const vc = getConnector(ctx, input.VoiceConnectorId);
  const o = input.Origination as { Routes?: any[]; Disabled?: boolean };
  if (o.Routes === undefined && o.Disabled === undefined) {
    throw badRequest('Origination needs Routes or Disabled (or both).');
  }
  const disabled = o.Disabled === true;
  const routesIn = o.Routes ?? [];
  if (!disabled && routesIn.length === 0) {
    throw badRequest(`Origination of voice connector ${vc.VoiceConnectorId} is enabled but has no routes: inbound calls need at least one route.`);
  }
  if (routesIn.length > MAX_ORIGINATION_ROUTES) {
    throw badRequest(`Origination can have at most ${MAX_ORIGINATION_ROUTES} routes; ${routesIn.length} were given.`);
  }
  if (disabled) refuseWhileEmergencyCalling(vc, 'disable origination');
  const routes: Array<{ Host: string; Port: number; Protocol: string; Priority: number; Weight: number }> = [];
  const seen = new Set<string>();
  routesIn.forEach((r, i) => {
    const where = `Origination route ${i + 1}`;
    if (typeof r.Host !== 'string' || r.Host.trim() === '') throw badRequest(`${where} needs a Host (an FQDN or an IP address).`);
    const host: string = r.Host;
    const ip = parseIpLiteral(host);
    if (ip) {
      const reason = nonPublicReason(ip, ip.kind() === 'ipv4' ? 32 : 128);
      if (reason) throw badRequest(`${where}: host ${host} is not a publicly routable address (${reason}).`);
      if (ip.kind() === 'ipv6' && vc.NetworkType !== 'DUAL_STACK') {
        throw badRequest(`${where}: host ${host} is an IPv6 address, but voice connector ${vc.VoiceConnectorId} is IPV4_ONLY; IPv6 needs a DUAL_STACK connector.`);
      }
    } else if (!HOSTNAME.test(host) || /^[\d.]+$/.test(host)) {
      throw badRequest(`${where}: host ${JSON.stringify(host)} is neither an IP address nor a valid host name.`);
    }
    const protocol: string = r.Protocol ?? (vc.RequireEncryption ? 'TCP' : 'UDP');
    if (protocol === 'UDP' && vc.RequireEncryption) {
      throw badRequest(
        `${where}: voice connector ${vc.VoiceConnectorId} requires encryption, so every inbound call uses TLS over TCP; a UDP route to ${host} cannot be used. Use TCP.`,
      );
    }
    if (r.Priority === undefined) throw badRequest(`${where} (${host}) needs a Priority (1 is tried first).`);
    if (r.Weight === undefined) throw badRequest(`${where} (${host}) needs a Weight (routes of equal priority share calls by weight).`);
    const port: number = r.Port ?? 5060;
    if (port === 0) throw badRequest(`${where}: port 0 is not a usable SIP port.`);
    const key = `${host.toLowerCase()}|${port}|${protocol}`;
    if (seen.has(key)) throw badRequest(`${where} repeats the route ${host}:${port}/${protocol}.`);
    seen.add(key);
    routes.push({ Host: host, Port: port, Protocol: protocol, Priority: r.Priority, Weight: r.Weight });
  });
  vc._origination = { Routes: routes, Disabled: disabled };
  vc.UpdatedTimestamp = ctx.nowIso();
  return { Origination: structuredClone(vc._origination) };
}

const getVoiceConnectorOrigination = getConfigHandler('_origination', 'Origination', 'origination settings');
const deleteVoiceConnectorOrigination = deleteConfigHandler('_origination', 'origination settings', (vc) =>
  refuseWhileEmergencyCalling(vc, 'delete the origination settings'),
);

// ---------------------------------------------------------------------------------------------
// Termination (VC3, VC5) and its health and credentials

function putVoiceConnectorTermination(input: any, ctx: OpContext) {
  const vc = getConnector(ctx, input.VoiceConnectorId);
  const t = input.Termination as { CpsLimit?: number; DefaultPhoneNumber?: string; CallingRegions?: string[]; CidrAllowedList?: string[]; Disabled?: boolean };
  const disabled = t.Disabled === true;
  if (disabled) refuseWhileEmergencyCalling(vc, 'disable termination');
  const regions = t.CallingRegions ?? [];
  if (!disabled && regions.length === 0) {
    throw badRequest(`Termination of voice connector ${vc.VoiceConnectorId} needs CallingRegions: the countries outbound calls may reach.`);
  }
  regions.forEach((r) => checkCountry(r, 'CallingRegions entry'));
  checkNoDuplicates(regions, 'CallingRegions');
  const cidrs = t.CidrAllowedList ?? [];
  checkNoDuplicates(cidrs, 'CidrAllowedList');
  let source: string | undefined;
  for (const cidr of cidrs) {
    const parsed = parseCidr(cidr);
    if (!parsed) throw badRequest(`CidrAllowedList entry ${JSON.stringify(cidr)} is not a CIDR block such as 54.240.0.0/24.`);
    const [addr, bits] = parsed;
    const reason = nonPublicReason(addr, bits);
    if (reason) throw badRequest(`CidrAllowedList entry ${cidr} is not publicly routable (${reason}); allowed hosts must be public addresses.`);
    if (addr.kind() === 'ipv6' && vc.NetworkType !== 'DUAL_STACK') {
      throw badRequest(`CidrAllowedList entry ${cidr} is IPv6, but voice connector ${vc.VoiceConnectorId} is IPV4_ONLY; IPv6 needs a DUAL_STACK connector.`);
    }
    source ??= hostInCidr(addr, bits);
  }
  let defaultNumber: string | undefined;
  if (t.DefaultPhoneNumber !== undefined) {
    defaultNumber = e164(t.DefaultPhoneNumber);
    const pn = ctx.state.phoneNumbers[defaultNumber];
    if (!pn || pn.DeletionTimestamp !== undefined) {
      throw badRequest(`DefaultPhoneNumber ${defaultNumber} is not in the phone number inventory of account ${ctx.config.accountId}.`);
    }
    if (pn.ProductType !== 'VoiceConnector') {
      throw badRequest(`DefaultPhoneNumber ${defaultNumber} has product type ${pn.ProductType}; the caller id of a voice connector must be a VoiceConnector number.`);
    }
  }
  const wasEnabled = terminationEnabled(vc);
  const termination: Record<string, unknown> = {
    CpsLimit: t.CpsLimit ?? 1,
    CallingRegions: [...regions],
    CidrAllowedList: [...cidrs],
    Disabled: disabled,
  };
  if (defaultNumber !== undefined) termination.DefaultPhoneNumber = defaultNumber;
  vc._termination = termination;
  // The SIP infrastructure starts pinging once termination is on; it pings from an allowed host.
  if (disabled || source === undefined) delete vc._terminationHealth;
  else if (!wasEnabled || !vc._terminationHealth?.Timestamp) vc._terminationHealth = { Timestamp: ctx.nowIso(), Source: source };
  else vc._terminationHealth = { Timestamp: vc._terminationHealth.Timestamp, Source: source };
  vc.UpdatedTimestamp = ctx.nowIso();
  return { Termination: terminationView(termination) };
}

const getVoiceConnectorTermination = getConfigHandler('_termination', 'Termination', 'termination settings', terminationView);
const deleteVoiceConnectorTermination = deleteConfigHandler('_termination', 'termination settings', (vc) => {
  refuseWhileEmergencyCalling(vc, 'delete the termination settings');
  delete vc._terminationHealth;
});

function getVoiceConnectorTerminationHealth(input: any, ctx: OpContext) {
  const vc = getConnector(ctx, input.VoiceConnectorId);
  const health = vc._terminationHealth;
  if (!health?.Timestamp || !terminationEnabled(vc)) return { TerminationHealth: {} };
  // Pings arrive every interval from the first one on; report the latest that has happened.
  const first = Date.parse(health.Timestamp);
  const elapsed = Math.max(0, ctx.clock.now().getTime() - first);
  const last = first + Math.floor(elapsed / OPTIONS_PING_INTERVAL_MS) * OPTIONS_PING_INTERVAL_MS;
  return { TerminationHealth: { Timestamp: new Date(last).toISOString(), Source: health.Source } };
}

// RFC 2617 user names are US-ASCII tokens without separators.
const SIP_USERNAME = new RegExp(SIP_USERNAME_PATTERN);

function putVoiceConnectorTerminationCredentials(input: any, ctx: OpContext) {
  const vc = getConnector(ctx, input.VoiceConnectorId);
  const credentials = (input.Credentials ?? []) as Array<{ Username?: string; Password?: string }>;
  const names: string[] = [];
  credentials.forEach((c, i) => {
    if (typeof c.Username !== 'string' || !SIP_USERNAME.test(c.Username)) {
      const { min, max } = LIMITS.sipUsernameLength;
      throw badRequest(`Credentials entry ${i + 1}: Username must be ${min} to ${max} US-ASCII token characters (RFC 2617).`);
    }
    if (typeof c.Password !== 'string' || c.Password.length === 0 || !/^[\x20-\x7e]+$/.test(c.Password)) {
      throw badRequest(`Credentials entry ${i + 1} (${c.Username}): Password must be non-empty printable US-ASCII (RFC 2617).`);
    }
    names.push(c.Username);
  });
  checkNoDuplicates(names, 'Credentials');
  // Only user names are kept: the API never returns passwords, and nothing here checks them.
  const current = new Set(vc._terminationCredentials ?? []);
  for (const name of names) current.add(name);
  vc._terminationCredentials = [...current].sort();
  vc.UpdatedTimestamp = ctx.nowIso();
  return {};
}

function listVoiceConnectorTerminationCredentials(input: any, ctx: OpContext) {
  const vc = getConnector(ctx, input.VoiceConnectorId);
  return { Usernames: [...(vc._terminationCredentials ?? [])] };
}

function deleteVoiceConnectorTerminationCredentials(input: any, ctx: OpContext) {
  const vc = getConnector(ctx, input.VoiceConnectorId);
  const usernames = input.Usernames as string[];
  const current = new Set(vc._terminationCredentials ?? []);
  const unknown = usernames.filter((u) => !current.has(u));
  if (unknown.length > 0) throw notFound(`Voice connector ${vc.VoiceConnectorId} has no termination credentials for ${unknown.join(', ')}.`);
  for (const u of usernames) current.delete(u);
  vc._terminationCredentials = [...current].sort();
  vc.UpdatedTimestamp = ctx.nowIso();
  return {};
}

// ---------------------------------------------------------------------------------------------
// Emergency calling (VC5)

function putVoiceConnectorEmergencyCallingConfiguration(input: any, ctx: OpContext) {
  const vc = getConnector(ctx, input.VoiceConnectorId);
  if (!terminationEnabled(vc) || !originationEnabled(vc)) {
    const missing = [!terminationEnabled(vc) ? 'termination' : '', !originationEnabled(vc) ? 'origination' : ''].filter(Boolean).join(' and ');
    throw badRequest(`Emergency calling on voice connector ${vc.VoiceConnectorId} needs termination and origination enabled first; ${missing} is not enabled.`);
  }
  const dnis = (input.EmergencyCallingConfiguration.DNIS ?? []) as Array<{ EmergencyPhoneNumber: string; TestPhoneNumber?: string; CallingCountry: string }>;
  if (dnis.length === 0) throw badRequest('EmergencyCallingConfiguration needs at least one DNIS entry (an emergency routing number from a third-party provider).');
  const countries = new Set<string>();
  const out = dnis.map((d, i) => {
    const where = `DNIS entry ${i + 1}`;
    if (d.CallingCountry !== 'US') throw badRequest(`${where}: CallingCountry ${d.CallingCountry} is not supported; emergency calling routing numbers are for the US only.`);
    if (countries.has(d.CallingCountry)) throw badRequest(`${where}: CallingCountry ${d.CallingCountry} already has a DNIS entry.`);
    countries.add(d.CallingCountry);
    if (!isUsNumber(d.EmergencyPhoneNumber)) throw badRequest(`${where}: EmergencyPhoneNumber ${d.EmergencyPhoneNumber} is not a US number in E.164 (+1 and 10 digits).`);
    if (d.TestPhoneNumber !== undefined && !isUsNumber(d.TestPhoneNumber)) {
      throw badRequest(`${where}: TestPhoneNumber ${d.TestPhoneNumber} is not a US number in E.164 (+1 and 10 digits).`);
    }
    const entry: Record<string, string> = { EmergencyPhoneNumber: e164(d.EmergencyPhoneNumber), CallingCountry: d.CallingCountry };
    if (d.TestPhoneNumber !== undefined) entry.TestPhoneNumber = e164(d.TestPhoneNumber);
    return entry;
  });
  vc._emergencyCalling = { DNIS: out };
  vc.UpdatedTimestamp = ctx.nowIso();
  return { EmergencyCallingConfiguration: structuredClone(vc._emergencyCalling) };
}

const getVoiceConnectorEmergencyCallingConfiguration = getConfigHandler('_emergencyCalling', 'EmergencyCallingConfiguration', 'emergency calling configuration');
const deleteVoiceConnectorEmergencyCallingConfiguration = deleteConfigHandler('_emergencyCalling', 'emergency calling configuration');

// ---------------------------------------------------------------------------------------------
// Streaming (VC6)

function putVoiceConnectorStreamingConfiguration(input: any, ctx: OpContext) {
  const vc = getConnector(ctx, input.VoiceConnectorId);
  const s = input.StreamingConfiguration as {
    DataRetentionInHours: number;
    Disabled: boolean;
    StreamingNotificationTargets?: Array<{ NotificationTarget?: string }>;
    MediaInsightsConfiguration?: { Disabled?: boolean; ConfigurationArn?: string };
  };
  if (s.DataRetentionInHours > MAX_RETENTION_HOURS || s.DataRetentionInHours < LIMITS.streamingDataRetentionHours.min) {
    throw badRequest(`DataRetentionInHours ${s.DataRetentionInHours} is more than Kinesis Video Streams keeps (${MAX_RETENTION_HOURS} hours); 0 keeps no data.`);
  }
  const out: Record<string, unknown> = { DataRetentionInHours: s.DataRetentionInHours, Disabled: s.Disabled };
  if (s.StreamingNotificationTargets !== undefined) {
    const targets = s.StreamingNotificationTargets.map((t, i) => {
      if (t.NotificationTarget === undefined) throw badRequest(`StreamingNotificationTargets entry ${i + 1} needs a NotificationTarget (EventBridge, SNS or SQS).`);
      return t.NotificationTarget;
    });
    checkNoDuplicates(targets, 'StreamingNotificationTargets');
    out.StreamingNotificationTargets = targets.map((NotificationTarget) => ({ NotificationTarget }));
  }
  const mic = s.MediaInsightsConfiguration;
  if (mic !== undefined) {
    const micOut: Record<string, unknown> = {};
    if (mic.Disabled !== undefined) micOut.Disabled = mic.Disabled;
    if (mic.ConfigurationArn !== undefined) {
      const config = Object.values(ctx.state.mediaInsightsPipelineConfigurations).find((c) => c.MediaInsightsPipelineConfigurationArn === mic.ConfigurationArn);
      if (!config) throw notFound(`Media insights pipeline configuration ${mic.ConfigurationArn} not found; create the call analytics configuration first.`);
      const configRegion = mic.ConfigurationArn.split(':')[3];
      if (configRegion && configRegion !== vc.AwsRegion) {
        throw badRequest(`Media insights pipeline configuration ${mic.ConfigurationArn} is in ${configRegion}, but voice connector ${vc.VoiceConnectorId} is in ${vc.AwsRegion}; call analytics needs both in one region.`);
      }
      micOut.ConfigurationArn = mic.ConfigurationArn;
    } else if (mic.Disabled !== true) {
      throw badRequest('MediaInsightsConfiguration is enabled but has no ConfigurationArn: name the call analytics configuration to use.');
    }
    out.MediaInsightsConfiguration = micOut;
  }
  vc._streaming = out;
  vc.UpdatedTimestamp = ctx.nowIso();
  return { StreamingConfiguration: structuredClone(out) };
}

const getVoiceConnectorStreamingConfiguration = getConfigHandler('_streaming', 'StreamingConfiguration', 'streaming configuration');
const deleteVoiceConnectorStreamingConfiguration = deleteConfigHandler('_streaming', 'streaming configuration');

// ---------------------------------------------------------------------------------------------
// Logging (VC7)

function loggingView(vc: VoiceConnectorRecord) {
  return { EnableSIPLogs: vc._logging?.EnableSIPLogs ?? false, EnableMediaMetricLogs: vc._logging?.EnableMediaMetricLogs ?? false };
}

function putVoiceConnectorLoggingConfiguration(input: any, ctx: OpContext) {
  const vc = getConnector(ctx, input.VoiceConnectorId);
  const l = input.LoggingConfiguration as { EnableSIPLogs?: boolean; EnableMediaMetricLogs?: boolean };
  // A member left out keeps its current value.
  const current = loggingView(vc);
  vc._logging = { EnableSIPLogs: l.EnableSIPLogs ?? current.EnableSIPLogs, EnableMediaMetricLogs: l.EnableMediaMetricLogs ?? current.EnableMediaMetricLogs };
  vc.UpdatedTimestamp = ctx.nowIso();
  return { LoggingConfiguration: loggingView(vc) };
}

function getVoiceConnectorLoggingConfiguration(input: any, ctx: OpContext) {
  return { LoggingConfiguration: loggingView(getConnector(ctx, input.VoiceConnectorId)) };
}

// ---------------------------------------------------------------------------------------------
// External systems

function putVoiceConnectorExternalSystemsConfiguration(input: any, ctx: OpContext) {
  const vc = getConnector(ctx, input.VoiceConnectorId);
  const sbc = (input.SessionBorderControllerTypes ?? []) as string[];
  const ccs = (input.ContactCenterSystemTypes ?? []) as string[];
  if (sbc.length === 0 && ccs.length === 0) {
    throw badRequest('An external systems configuration needs at least one SessionBorderControllerTypes or ContactCenterSystemTypes entry.');
  }
  checkNoDuplicates(sbc, 'SessionBorderControllerTypes');
  checkNoDuplicates(ccs, 'ContactCenterSystemTypes');
  const out: Record<string, unknown> = {};
  if (input.SessionBorderControllerTypes !== undefined) out.SessionBorderControllerTypes = [...sbc];
  if (input.ContactCenterSystemTypes !== undefined) out.ContactCenterSystemTypes = [...ccs];
  vc._externalSystems = out;
  vc.UpdatedTimestamp = ctx.nowIso();
  return { ExternalSystemsConfiguration: structuredClone(out) };
}

const getVoiceConnectorExternalSystemsConfiguration = getConfigHandler('_externalSystems', 'ExternalSystemsConfiguration', 'external systems configuration');
const deleteVoiceConnectorExternalSystemsConfiguration = deleteConfigHandler('_externalSystems', 'external systems configuration');

// ---------------------------------------------------------------------------------------------
// Proxy

function putVoiceConnectorProxy(input: any, ctx: OpContext) {
  const vc = getConnector(ctx, input.VoiceConnectorId);
  const { min, max } = LIMITS.proxySessionExpiryMinutes;
  if (!Number.isInteger(input.DefaultSessionExpiryMinutes) || input.DefaultSessionExpiryMinutes < min || input.DefaultSessionExpiryMinutes > max) {
    throw badRequest(`DefaultSessionExpiryMinutes must be a whole number of minutes, at least ${min} and at most ${max}; got ${input.DefaultSessionExpiryMinutes}.`);
  }
  const countries = input.PhoneNumberPoolCountries as string[];
  countries.forEach((c) => checkCountry(c, 'PhoneNumberPoolCountries entry'));
  checkNoDuplicates(countries, 'PhoneNumberPoolCountries');
  let fallback: string | undefined;
  if (input.FallBackPhoneNumber !== undefined) fallback = e164(input.FallBackPhoneNumber);
  const proxy: Record<string, unknown> = {
    DefaultSessionExpiryMinutes: input.DefaultSessionExpiryMinutes,
    Disabled: input.Disabled === true,
    PhoneNumberCountries: [...countries],
  };
  if (fallback !== undefined) proxy.FallBackPhoneNumber = fallback;
  vc._proxy = proxy;
  vc.UpdatedTimestamp = ctx.nowIso();
  return { Proxy: structuredClone(proxy) };
}

const getVoiceConnectorProxy = getConfigHandler('_proxy', 'Proxy', 'proxy configuration');
const deleteVoiceConnectorProxy = deleteConfigHandler('_proxy', 'proxy configuration');

// ---------------------------------------------------------------------------------------------
// Voice connector groups (G1..G3)

function checkGroupItems(ctx: OpContext, items: Array<{ VoiceConnectorId: string; Priority?: number }>): Array<{ VoiceConnectorId: string; Priority: number }> {
  if (items.length > MAX_GROUP_ITEMS) throw badRequest(`A voice connector group can hold at most ${MAX_GROUP_ITEMS} voice connectors; ${items.length} were given.`);
  const seen = new Set<string>();
  return items.map((item, i) => {
    if (seen.has(item.VoiceConnectorId)) throw badRequest(`VoiceConnectorItems lists voice connector ${item.VoiceConnectorId} more than once.`);
    seen.add(item.VoiceConnectorId);
    // A group may hold connectors of any region (G2): members are looked up account-wide.
    if (!ctx.state.voiceConnectors[item.VoiceConnectorId]) throw notFound(`Voice connector ${item.VoiceConnectorId} (VoiceConnectorItems entry ${i + 1}) not found.`);
    if (item.Priority === undefined) throw badRequest(`VoiceConnectorItems entry ${i + 1} (${item.VoiceConnectorId}) needs a Priority (1 is tried first).`);
    return { VoiceConnectorId: item.VoiceConnectorId, Priority: item.Priority };
  });
}

function createVoiceConnectorGroup(input: any, ctx: OpContext) {
  const count = Object.keys(ctx.state.voiceConnectorGroups).length;
  if (count >= MAX_GROUPS) {
    throw limitExceeded(`Account ${ctx.config.accountId} already has ${count} voice connector groups, the most it can have (${MAX_GROUPS}).`);
  }
  const items = checkGroupItems(ctx, input.VoiceConnectorItems ?? []);
  const id = ctx.lowerAlnumId();
  const now = ctx.nowIso();
  const group: VoiceConnectorGroupRecord = {
    VoiceConnectorGroupId: id,
    Name: input.Name,
    VoiceConnectorItems: items,
    CreatedTimestamp: now,
    UpdatedTimestamp: now,
    VoiceConnectorGroupArn: ctx.arn(ctx.region, `vcg/${id}`),
  };
  if (input.CallDistributionType !== undefined) group.CallDistributionType = input.CallDistributionType;
  ctx.state.voiceConnectorGroups[id] = group;
  ctx.markCreated(`voiceConnectorGroups/${id}`);
  return { VoiceConnectorGroup: groupView(group) };
}

function getVoiceConnectorGroup(input: any, ctx: OpContext) {
  ctx.assertVisible(`voiceConnectorGroups/${input.VoiceConnectorGroupId}`, `Voice connector group ${input.VoiceConnectorGroupId} not found.`);
  return { VoiceConnectorGroup: groupView(getGroup(ctx, input.VoiceConnectorGroupId)) };
}

function listVoiceConnectorGroups(input: any, ctx: OpContext) {
  const listed = ctx.listed('voiceConnectorGroups', Object.values(ctx.state.voiceConnectorGroups), (g) => g.VoiceConnectorGroupId).filter((g) =>
    ctx.sees(regionOfArn(g.VoiceConnectorGroupArn)),
  );
  const { page, next } = paginate(ctx, listed, (g) => `${g.CreatedTimestamp}|${g.VoiceConnectorGroupId}`, input);
  return { VoiceConnectorGroups: page.map(groupView), ...(next ? { NextToken: next } : {}) };
}

function updateVoiceConnectorGroup(input: any, ctx: OpContext) {
  const group = getGroup(ctx, input.VoiceConnectorGroupId);
  const items = checkGroupItems(ctx, input.VoiceConnectorItems);
  group.Name = input.Name;
  group.VoiceConnectorItems = items;
  if (input.CallDistributionType !== undefined) group.CallDistributionType = input.CallDistributionType;
  group.UpdatedTimestamp = ctx.nowIso();
  return { VoiceConnectorGroup: groupView(group) };
}

function deleteVoiceConnectorGroup(input: any, ctx: OpContext) {
  const group = getGroup(ctx, input.VoiceConnectorGroupId);
  refuseDeleteWithNumbers(ctx, groupTarget(group));
  if (group.VoiceConnectorItems.length > 0) {
    throw new ApiError(
      'ConflictException',
      `Voice connector group ${group.VoiceConnectorGroupId} cannot be deleted while it holds voice connectors (${group.VoiceConnectorItems.map((i) => i.VoiceConnectorId).join(', ')}). Remove them with UpdateVoiceConnectorGroup first.`,
      'VoiceConnectorGroupAssociationsExist',
    );
  }
  delete ctx.state.voiceConnectorGroups[group.VoiceConnectorGroupId];
  delete ctx.state.tags[group.VoiceConnectorGroupArn];
  ctx.markDeleted(`voiceConnectorGroups/${group.VoiceConnectorGroupId}`, group);
  return {};
}

function associatePhoneNumbersWithVoiceConnectorGroup(input: any, ctx: OpContext) {
  const group = getGroup(ctx, input.VoiceConnectorGroupId);
  return associateNumbers(ctx, groupTarget(group), input.E164PhoneNumbers, input.ForceAssociate === true);
}

function disassociatePhoneNumbersFromVoiceConnectorGroup(input: any, ctx: OpContext) {
  const group = getGroup(ctx, input.VoiceConnectorGroupId);
  return disassociateNumbers(ctx, groupTarget(group), input.E164PhoneNumbers);
}

export const voiceConnectors: ServiceModule = {
  handlers: {
    CreateVoiceConnector: createVoiceConnector,
    GetVoiceConnector: getVoiceConnector,
    ListVoiceConnectors: listVoiceConnectors,
    UpdateVoiceConnector: updateVoiceConnector,
    DeleteVoiceConnector: deleteVoiceConnector,
    ListAvailableVoiceConnectorRegions: listAvailableVoiceConnectorRegions,
    AssociatePhoneNumbersWithVoiceConnector: associatePhoneNumbersWithVoiceConnector,
    DisassociatePhoneNumbersFromVoiceConnector: disassociatePhoneNumbersFromVoiceConnector,
    GetVoiceConnectorOrigination: getVoiceConnectorOrigination,
    PutVoiceConnectorOrigination: putVoiceConnectorOrigination,
    DeleteVoiceConnectorOrigination: deleteVoiceConnectorOrigination,
    GetVoiceConnectorTermination: getVoiceConnectorTermination,
    PutVoiceConnectorTermination: putVoiceConnectorTermination,
    DeleteVoiceConnectorTermination: deleteVoiceConnectorTermination,
    GetVoiceConnectorTerminationHealth: getVoiceConnectorTerminationHealth,
    PutVoiceConnectorTerminationCredentials: putVoiceConnectorTerminationCredentials,
    ListVoiceConnectorTerminationCredentials: listVoiceConnectorTerminationCredentials,
    DeleteVoiceConnectorTerminationCredentials: deleteVoiceConnectorTerminationCredentials,
    GetVoiceConnectorStreamingConfiguration: getVoiceConnectorStreamingConfiguration,
    PutVoiceConnectorStreamingConfiguration: putVoiceConnectorStreamingConfiguration,
    DeleteVoiceConnectorStreamingConfiguration: deleteVoiceConnectorStreamingConfiguration,
    GetVoiceConnectorLoggingConfiguration: getVoiceConnectorLoggingConfiguration,
    PutVoiceConnectorLoggingConfiguration: putVoiceConnectorLoggingConfiguration,
    GetVoiceConnectorEmergencyCallingConfiguration: getVoiceConnectorEmergencyCallingConfiguration,
    PutVoiceConnectorEmergencyCallingConfiguration: putVoiceConnectorEmergencyCallingConfiguration,
    DeleteVoiceConnectorEmergencyCallingConfiguration: deleteVoiceConnectorEmergencyCallingConfiguration,
    GetVoiceConnectorExternalSystemsConfiguration: getVoiceConnectorExternalSystemsConfiguration,
    PutVoiceConnectorExternalSystemsConfiguration: putVoiceConnectorExternalSystemsConfiguration,
    DeleteVoiceConnectorExternalSystemsConfiguration: deleteVoiceConnectorExternalSystemsConfiguration,
    GetVoiceConnectorProxy: getVoiceConnectorProxy,
    PutVoiceConnectorProxy: putVoiceConnectorProxy,
    DeleteVoiceConnectorProxy: deleteVoiceConnectorProxy,
    CreateVoiceConnectorGroup: createVoiceConnectorGroup,
    GetVoiceConnectorGroup: getVoiceConnectorGroup,
    ListVoiceConnectorGroups: listVoiceConnectorGroups,
    UpdateVoiceConnectorGroup: updateVoiceConnectorGroup,
    DeleteVoiceConnectorGroup: deleteVoiceConnectorGroup,
    AssociatePhoneNumbersWithVoiceConnectorGroup: associatePhoneNumbersWithVoiceConnectorGroup,
    DisassociatePhoneNumbersFromVoiceConnectorGroup: disassociatePhoneNumbersFromVoiceConnectorGroup,
  },
};
