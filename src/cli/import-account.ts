/**
 * `import`: reads a Chime SDK Voice account and turns it into manifests this project manages. The
 * reading is the kinds' own observation code (each resource found by its id, as the external-id
 * annotation finds it) over the shared inventory, so an account costs its list pages plus the
 * per-resource reads the kinds make of connectors and applications, never one call per number.
 * The writing is each kind's pure `toSpec`. Nothing here writes to AWS.
 */
import { EXTERNAL_ID_ANNOTATION } from '../aws/ownership.js';
import { regionOfArn, type AwsPort, type ListSpec } from '../core/aws-port.js';
import { digest } from '../core/canonical.js';
import { VOICE_REGIONS } from '../domain/regions.js';
import { API_VERSION_STRING, type DeletionPolicy, type DriftPolicy } from '../api/common.js';
import { callAnalyticsConfigurationToSpec } from '../kinds/call-analytics-configuration/to-spec.js';
import { observeCallAnalyticsConfiguration, type CallAnalyticsConfigurationObserved } from '../kinds/call-analytics-configuration/observe.js';
import { toNumber, type AwsNumber, type PnNumber } from '../kinds/phone-number/observe.js';
import { phoneNumberToSpec } from '../kinds/phone-number/to-spec.js';
import type { ImportNames } from '../kinds/shared/import.js';
import { observeSma, listSipRules, type SmaObserved } from '../kinds/sip-media-application/observe.js';
import { sipMediaApplicationToSpec } from '../kinds/sip-media-application/to-spec.js';
import { toObserved as toObservedRule, type ObservedRule } from '../kinds/sip-rule/observe.js';
import { sipRuleToSpec } from '../kinds/sip-rule/to-spec.js';
import { observeGroup, type GroupObserved } from '../kinds/voice-connector-group/observe.js';
import { voiceConnectorGroupToSpec } from '../kinds/voice-connector-group/to-spec.js';
import { observeVoiceConnector, type VoiceConnectorObserved } from '../kinds/voice-connector/observe.js';
import { voiceConnectorToSpec } from '../kinds/voice-connector/to-spec.js';
import type { VoiceConnectorDesired } from '../kinds/voice-connector/desired.js';
import { observeGlobalSettings, type GlobalSettingsObserved } from '../kinds/voice-global-settings/observe.js';
import { voiceGlobalSettingsToSpec } from '../kinds/voice-global-settings/to-spec.js';
import { observeVoiceProfileDomain, type VoiceProfileDomainObserved } from '../kinds/voice-profile-domain/observe.js';
import { voiceProfileDomainToSpec } from '../kinds/voice-profile-domain/to-spec.js';
import { Limiter } from '../reconcile/pool.js';
import type { AnySpec, ManagedObject, ObserveArgs } from '../reconcile/types.js';
import { MemoryWorld } from '../reconcile/world.js';
import { IMPORTABLE_KINDS } from './import-kinds.js';

/** The kinds import writes (the command line's list). */
export const IMPORT_KINDS = IMPORTABLE_KINDS;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** Number statuses a PhoneNumber object can hold: the number is (or is becoming, or was just) the account's. */
const IMPORTABLE_NUMBER_STATUSES = new Set(['Assigned', 'Unassigned', 'DeleteInProgress', 'PortinInProgress', 'PortinCancelRequested', 'AcquireInProgress']);

export interface ImportFilters {
  /** Kinds to import; all when undefined. */
  kinds?: ReadonlySet<ImportKind>;
  /** Only resources carrying this tag (and what belongs to them, see `selects`). */
  selector?: { key: string; value: string };
  /** Only resources whose AWS name starts with this (and what belongs to them). */
  namePrefix?: string;
}

export interface ImportOptions {
  filters: ImportFilters;
  namespace?: string;
  deletionPolicy: DeletionPolicy;
  /** Report for every object; Correct leaves each kind's own choice (a number in the deletion queue is Report). */
  driftPolicy: DriftPolicy;
  /** Who acknowledges biometric processing for imported voice profile domains and voice analytics (A3). */
  consentBy?: string;
  /** AWS reads at once, across resources. */
  concurrency?: number;
  /**
   * The regions whose connectors, SIP media applications, voice profile domains and call analytics
   * configurations are read (each through its own endpoint); every Chime SDK Voice region when
   * omitted. Account-wide things come from the home region (`aws.region`) whatever this says.
   */
  regions?: readonly string[];
}

/** A v1/Secret manifest: a credential's user name, and no password. */
export interface SecretManifest {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: { name: string; namespace?: string };
  type: 'Opaque';
  stringData: Record<string, string>;
}

export interface ImportedObject {
  object: ManagedObject;
  /** The folder-relative file it is written to. */
  file: string;
  /** What the manifest leaves unmanaged and why, for the summary. */
  notes: string[];
}

export interface SkippedResource {
  kind: ImportKind;
  id: string;
  reason: string;
}

export interface ImportResult {
  objects: ImportedObject[];
  secrets: Array<{ secret: SecretManifest; file: string }>;
  skipped: SkippedResource[];
  /** Account-wide remarks (a kind that was not read, consent not given). */
  remarks: string[];
}

// ---- names ----------------------------------------------------------------------------------------

const MAX_NAME = 63;

/** A DNS-1123 label from an AWS name: lower case, runs of other characters as one dash, at most 63 characters. */
export function dnsLabel(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_NAME)
    .replace(/^-+|-+$/g, '');
}

/**
 * Object names for one kind, from each resource's AWS name: deterministic, and independent of the
 * order AWS lists resources in. Names that several resources would share each get a short digest
 * of the resource's AWS id, so the same account gives the same names on every run.
 */
export function assignNames(items: ReadonlyArray<{ id: string; awsName: string }>, fallbackPrefix: string): Map<string, string> {
  const base = new Map<string, string>();
  const uses = new Map<string, number>();
  for (const { id, awsName } of items) {
    const label = dnsLabel(awsName) || dnsLabel(`${fallbackPrefix}-${id}`);
    base.set(id, label);
    uses.set(label, (uses.get(label) ?? 0) + 1);
  }
  const out = new Map<string, string>();
  for (const [id, label] of base) {
    if (uses.get(label) === 1) out.set(id, label);
    else out.set(id, `${label.slice(0, MAX_NAME - 7).replace(/-+$/, '')}-${digest(id).slice(0, 6)}`);
  }
  return out;
}

/** A PhoneNumber's object name: its digits, which are unique in an account. */
export const phoneNumberName = (e164: string) => `pn-${e164.replace(/\D/g, '')}`;

// ---- reading ----------------------------------------------------------------------------------------

interface Account {
  connectors: VoiceConnectorObserved[];
  groups: GroupObserved[];
  numbers: PnNumber[];
  apps: SmaObserved[];
  rules: ObservedRule[];
  domains: VoiceProfileDomainObserved[];
  configurations: CallAnalyticsConfigurationObserved[];
  settings?: GlobalSettingsObserved;
}

/** An object that adopts the AWS resource `id`, as a manifest with the external-id annotation does: what the kinds' observe finds resources by. */
const adopting = (kind: string, id: string): ManagedObject => ({
  apiVersion: API_VERSION_STRING,
  kind,
  metadata: { name: 'import', namespace: 'default', annotations: { [EXTERNAL_ID_ANNOTATION]: id } },
  spec: {},
});

/** A connector desired state that manages every block, so that its observation reads every sub-configuration. */
const EVERY_CONNECTOR_BLOCK: VoiceConnectorDesired = {
  name: '',
  tags: {},
  termination: { credentials: [] },
  origination: {},
  streaming: {},
  logging: { enableSIPLogs: false, enableMediaMetricLogs: false },
  emergencyCalling: { dnis: [] },
  proxy: { defaultSessionExpiryMinutes: 0, phoneNumberCountries: [] },
  externalSystems: {},
};

/** A listed regional resource and the region whose endpoint listed it: where it lives. */
interface Found<T> {
  item: T;
  region: string;
}

async function readAccount(aws: AwsPort, kinds: ReadonlySet<ImportKind>, regions: readonly string[], concurrency: number, now: Date): Promise<Account> {
  const world = new MemoryWorld();
  const limiter = new Limiter(concurrency);
  const wanted = (k: ImportKind) => kinds.has(k);
  // References need the referenced kinds' identities even when those kinds are not written.
  // Nothing was written, so no answers; observe reads only the adopting object's metadata (its
  // external id) and status (none), never its spec: `never` lets every kind's observe take these.
  const args = <D>(kind: string, id: string, desired: D): ObserveArgs<D, never, never, never> => ({
    obj: adopting(kind, id) as ManagedObject<never, never>,
    desired,
    aws,
    world,
    now,
    mode: 'apply',
  });
  const each = <T, R>(items: T[], read: (item: T) => Promise<R | undefined>): Promise<R[]> =>
    Promise.all(items.map((item) => limiter.run(() => read(item)))).then((all) => all.filter((r): r is Awaited<R> => r !== undefined));

  // A regional collection is listed through each region's endpoint, since under the stricter
  // reading of AWS a listing shows only its own region's resources (docs/concepts.md#regions); each
  // resource keeps the region it was found in. One page per collection and region when it is empty.
  // Under the looser reading every endpoint lists every region's resources: a resource is kept only
  // from the listing of the region it names as its own (and once), so none is imported twice.
  const inRegions = async <T>(spec: ListSpec, idOf: (item: T) => string | undefined, ownRegion: (item: T) => string | undefined): Promise<Array<Found<T>>> => {
    const listed = await Promise.all(regions.map((region) => limiter.run(async () => (await aws.in(region).inventory.list<T>(spec)).map((item) => ({ item, region })))));
    const seen = new Set<string>();
    return listed.flat().filter(({ item, region }) => {
      const own = ownRegion(item);
      const id = idOf(item) ?? '';
      if ((own !== undefined && own !== region) || seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  };
  const [vcList, groupList, numberList, appList, ruleList, domainList, configList] = await Promise.all([
    inRegions<{ VoiceConnectorId: string; Name?: string; OutboundHostName?: string; AwsRegion?: string }>(
      { service: 'voice', operation: 'ListVoiceConnectors', items: 'VoiceConnectors' },
      (c) => c.VoiceConnectorId,
      (c) => c.AwsRegion || undefined,
    ),
    wanted('VoiceConnectorGroup') || wanted('PhoneNumber')
      ? aws.inventory.list<{ VoiceConnectorGroupId: string }>({ service: 'voice', operation: 'ListVoiceConnectorGroups', items: 'VoiceConnectorGroups' })
      : [],
    wanted('PhoneNumber') || wanted('SipRule') ? aws.inventory.list<AwsNumber>({ service: 'voice', operation: 'ListPhoneNumbers', items: 'PhoneNumbers' }) : [],
    wanted('SipMediaApplication') || wanted('SipRule')
      ? inRegions<{ SipMediaApplicationId: string; Name?: string; AwsRegion?: string }>(
          { service: 'voice', operation: 'ListSipMediaApplications', items: 'SipMediaApplications' },
          (a) => a.SipMediaApplicationId,
          (a) => a.AwsRegion || undefined,
        )
      : [],
    wanted('SipRule') || wanted('PhoneNumber') ? listSipRules(aws) : [],
    wanted('VoiceProfileDomain')
      ? inRegions<{ VoiceProfileDomainId: string; VoiceProfileDomainArn?: string }>(
          { service: 'voice', operation: 'ListVoiceProfileDomains', items: 'VoiceProfileDomains' },
          (d) => d.VoiceProfileDomainId,
          (d) => regionOfArn(d.VoiceProfileDomainArn ?? ''),
        )
      : [],
    wanted('CallAnalyticsConfiguration') || wanted('VoiceConnector')
      ? inRegions<{ MediaInsightsPipelineConfigurationArn?: string }>(
          { service: 'mediaPipelines', operation: 'ListMediaInsightsPipelineConfigurations', items: 'MediaInsightsPipelineConfigurations' },
          (c) => c.MediaInsightsPipelineConfigurationArn,
          (c) => regionOfArn(c.MediaInsightsPipelineConfigurationArn ?? ''),
        )
      : [],
  ]);

  // Each regional resource is observed through the region it was listed in: its desired state names
  // that region, as an imported manifest's spec.region will.
  const connectors = wanted('VoiceConnector')
    ? await each(vcList, ({ item: c, region }) => observeVoiceConnector(args('VoiceConnector', c.VoiceConnectorId, { ...EVERY_CONNECTOR_BLOCK, region })))
    : // Identities only, for the filters that follow connectors (numbers, groups, rules).
      vcList.map(({ item: c, region }): VoiceConnectorObserved => ({
        voiceConnectorId: c.VoiceConnectorId,
        name: c.Name ?? '',
        region,
        tags: {},
        credentialHashes: {},
        ...(c.OutboundHostName ? { outboundHostName: c.OutboundHostName } : {}),
      }));
  const groups = await each(groupList, (g) => observeGroup(args('VoiceConnectorGroup', g.VoiceConnectorGroupId, { name: '' })));
  const apps = wanted('SipMediaApplication')
    ? await each(appList, ({ item: a, region }) =>
        observeSma(args('SipMediaApplication', a.SipMediaApplicationId, { name: '', region, lambdaArn: '', tags: {}, enableSipLogs: false })),
      )
    : appList.map(({ item: a, region }): SmaObserved => ({ sipMediaApplicationId: a.SipMediaApplicationId, arn: '', name: a.Name ?? '', region, tags: {} }));
  const domains = await each(domainList, ({ item: d, region }) =>
    observeVoiceProfileDomain(args('VoiceProfileDomain', d.VoiceProfileDomainId, { name: '', region, kmsKeyArn: '', tags: {}, clientRequestToken: '' })),
  );
  const configs = configList.filter(({ item: c }) => c.MediaInsightsPipelineConfigurationArn);
  const configurations = wanted('CallAnalyticsConfiguration')
    ? await each(configs, ({ item: c, region }) =>
        observeCallAnalyticsConfiguration(
          args('CallAnalyticsConfiguration', c.MediaInsightsPipelineConfigurationArn!, {
            name: '',
            region,
            resourceAccessRoleArn: '',
            elements: [],
            tags: {},
            clientRequestToken: '',
            recordsTwice: false,
          }),
        ),
      )
    : configs.map(({ item: c, region }) => ({ mediaInsightsPipelineConfigurationId: '', arn: c.MediaInsightsPipelineConfigurationArn!, name: '', region, elements: [], tags: {} }));
  const settings = wanted('VoiceGlobalSettings')
    ? await observeGlobalSettings({ ...args('VoiceGlobalSettings', 'account', {}), obj: { ...adopting('VoiceGlobalSettings', 'account'), metadata: { name: 'import' } } })
    : undefined;
  return {
    connectors,
    groups,
    numbers: numberList.map((n) => toNumber(n, world)),
    apps,
    rules: ruleList.map(toObservedRule),
    domains,
    configurations,
    ...(settings ? { settings } : {}),
  };
}

// ---- selecting ------------------------------------------------------------------------------------

/**
 * What the filters select. Tags and names select the resources that carry them; resources that
 * take no tags follow what they belong to: a group its connectors, a rule its applications, a
 * number what it is assigned to or triggers. The account's global settings belong to no one and
 * are selected only without a selector or prefix.
 */
function select(account: Account, filters: ImportFilters): Account {
  const { selector, namePrefix } = filters;
  if (!selector && namePrefix === undefined) return account;
  const picked = (r: { name: string; tags?: Record<string, string> }) =>
    (!selector || r.tags?.[selector.key] === selector.value) && (namePrefix === undefined || r.name.startsWith(namePrefix));
  const connectors = account.connectors.filter(picked);
  const apps = account.apps.filter(picked);
  const vcIds = new Set(connectors.map((c) => c.voiceConnectorId));
  const appIds = new Set(apps.map((a) => a.sipMediaApplicationId));
  const groups = account.groups.filter((g) => (selector ? false : picked(g)) || g.items.some((i) => vcIds.has(i.voiceConnectorId)));
  const groupIds = new Set(groups.map((g) => g.voiceConnectorGroupId));
  const rules = account.rules.filter(
    (r) =>
      (selector ? false : picked(r)) ||
      r.targets.some((t) => appIds.has(t.sipMediaApplicationId)) ||
      (r.triggerType === 'RequestUriHostname' && connectors.some((c) => c.outboundHostName?.toLowerCase() === r.triggerValue.toLowerCase())),
  );
  const ruleNumbers = new Set(rules.filter((r) => r.triggerType === 'ToPhoneNumber').map((r) => r.triggerValue));
  const numbers = account.numbers.filter(
    (n) =>
      (!selector && namePrefix !== undefined && (n.name ?? '').startsWith(namePrefix)) ||
      ruleNumbers.has(n.e164) ||
      n.associations.some((a) => vcIds.has(a.value) || groupIds.has(a.value)),
  );
  return {
    connectors,
    groups,
    numbers,
    apps,
    rules,
    domains: account.domains.filter(picked),
    configurations: account.configurations.filter(picked),
  };
}

// ---- building -------------------------------------------------------------------------------------

const FOLDERS: Record<ImportKind, string> = {
  VoiceConnector: 'voice-connectors',
  VoiceConnectorGroup: 'voice-connector-groups',
  PhoneNumber: 'phone-numbers',
  SipMediaApplication: 'sip-media-applications',
  SipRule: 'sip-rules',
  VoiceProfileDomain: 'voice-profile-domains',
  CallAnalyticsConfiguration: 'call-analytics-configurations',
  VoiceGlobalSettings: 'voice-global-settings',
};

/** The Secret key a credential's password goes under. */
export const PASSWORD_KEY = 'password';

/**
 * Reads the account and builds the manifests. Pure but for the reads through `aws`, which are all
 * Get, List and Search calls (test/cli/import.test.ts counts the writes: none).
 */
export async function importAccount(aws: AwsPort, opts: ImportOptions, now: Date = new Date()): Promise<ImportResult> {
  const kinds: ReadonlySet<ImportKind> = opts.filters.kinds ?? new Set(IMPORT_KINDS);
  const all = await readAccount(aws, kinds, opts.regions ?? VOICE_REGIONS, opts.concurrency ?? 10, now);
  const account = select(all, opts.filters);
  const remarks: string[] = [];
  const skipped: SkippedResource[] = [];

  // Names first, for every kind read: references resolve to the names of imported objects only.
  const vcNames = assignNames(account.connectors.map((c) => ({ id: c.voiceConnectorId, awsName: c.name })), 'voice-connector');
  const groupNames = assignNames(account.groups.map((g) => ({ id: g.voiceConnectorGroupId, awsName: g.name })), 'voice-connector-group');
  const appNames = assignNames(account.apps.map((a) => ({ id: a.sipMediaApplicationId, awsName: a.name })), 'sip-media-application');
  const ruleNames = assignNames(account.rules.map((r) => ({ id: r.sipRuleId, awsName: r.name })), 'sip-rule');
  const domainNames = assignNames(account.domains.map((d) => ({ id: d.voiceProfileDomainId, awsName: d.name })), 'voice-profile-domain');
  const configNames = assignNames(account.configurations.map((c) => ({ id: c.arn, awsName: c.name })), 'call-analytics-configuration');
  const numbers = account.numbers.filter((n) => {
    if (IMPORTABLE_NUMBER_STATUSES.has(n.status)) return true;
    skipped.push({ kind: 'PhoneNumber', id: n.e164, reason: `status ${n.status}: the number is not the account's to manage` });
    return false;
  });
  const hostNames = new Map(account.connectors.filter((c) => c.outboundHostName).map((c) => [c.outboundHostName!.toLowerCase(), c.voiceConnectorId]));

  const imported = (kind: ImportKind, id: string, name: string | undefined) => (kinds.has(kind) ? name : undefined);
  const names: ImportNames = {
    nameOf(kind, id) {
      switch (kind) {
        case 'VoiceConnector':
          return imported(kind, id, vcNames.get(id) ?? vcNames.get(hostNames.get(id) ?? ''));
        case 'VoiceConnectorGroup':
          return imported(kind, id, groupNames.get(id));
        case 'SipMediaApplication':
          return imported(kind, id, appNames.get(id));
        case 'CallAnalyticsConfiguration':
          return imported(kind, id, configNames.get(id));
        case 'PhoneNumber':
          return kinds.has('PhoneNumber') && numbers.some((n) => n.e164 === id) ? phoneNumberName(id) : undefined;
        default:
          return undefined;
      }
    },
  };

  const objects: ImportedObject[] = [];
  const secrets: ImportResult['secrets'] = [];
  const metadata = (name: string, externalId?: string) => ({
    name,
    ...(opts.namespace ? { namespace: opts.namespace } : {}),
    ...(externalId !== undefined ? { annotations: { [EXTERNAL_ID_ANNOTATION]: externalId } } : {}),
  });
  const policies = (spec: Record<string, unknown>): AnySpec => {
    const kindChoice = spec.driftPolicy === 'Report' || spec.driftPolicy === 'Correct' ? spec.driftPolicy : undefined;
    // Report everywhere when asked; else the kind's own choice, then Correct (the default, left out).
    const driftPolicy = opts.driftPolicy === 'Report' ? 'Report' : kindChoice;
    return { ...spec, deletionPolicy: opts.deletionPolicy, ...(driftPolicy ? { driftPolicy } : {}) };
  };
  const add = (kind: ImportKind, name: string, externalId: string | undefined, spec: Record<string, unknown>, file: string, notes: string[] = []) =>
    objects.push({ object: { apiVersion: API_VERSION_STRING, kind, metadata: metadata(name, externalId), spec: policies(spec) }, file, notes });

  if (kinds.has('VoiceConnector')) {
    for (const c of account.connectors) {
      const name = vcNames.get(c.voiceConnectorId)!;
      const secretNames = assignNames((c.credentialUsernames ?? []).map((u) => ({ id: u, awsName: `${name}-sip-${u}` })), `${name}-sip`);
      const spec = voiceConnectorToSpec(c, { names, credentialSecret: (u) => ({ name: secretNames.get(u)!, key: PASSWORD_KEY }) });
      const notes: string[] = [];
      for (const u of [...(c.credentialUsernames ?? [])].sort()) {
        const secretName = secretNames.get(u)!;
        secrets.push({
          file: `credentials/${name}.yaml`,
          secret: {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: secretName, ...(opts.namespace ? { namespace: opts.namespace } : {}) },
            type: 'Opaque',
            stringData: { username: u },
          },
        });
      }
      if ((c.credentialUsernames ?? []).length > 0) {
        notes.push(`${c.credentialUsernames!.length} SIP credential(s): AWS keeps the passwords; add key "${PASSWORD_KEY}" to the Secrets in credentials/${name}.yaml to manage them`);
      }
      if (c.streaming?.callAnalyticsConfigurationArn && spec.streaming?.callAnalyticsConfigurationArn) {
        notes.push('its call analytics configuration is linked by ARN: that configuration is not imported');
      }
      add('VoiceConnector', name, c.voiceConnectorId, spec, `${FOLDERS.VoiceConnector}/${name}.yaml`, notes);
    }
  }
  if (kinds.has('VoiceConnectorGroup')) {
    for (const g of account.groups) {
      const name = groupNames.get(g.voiceConnectorGroupId)!;
      const spec = voiceConnectorGroupToSpec(g, { names });
      const byId = (spec.voiceConnectors ?? []).filter((i) => i.voiceConnectorId !== undefined).length;
      add('VoiceConnectorGroup', name, g.voiceConnectorGroupId, spec, `${FOLDERS.VoiceConnectorGroup}/${name}.yaml`, byId > 0 ? [`${byId} connector(s) by id: not imported`] : []);
    }
  }
  if (kinds.has('SipMediaApplication')) {
    for (const a of account.apps) {
      const name = appNames.get(a.sipMediaApplicationId)!;
      add('SipMediaApplication', name, a.sipMediaApplicationId, sipMediaApplicationToSpec(a), `${FOLDERS.SipMediaApplication}/${name}.yaml`);
    }
  }
  if (kinds.has('SipRule')) {
    for (const r of account.rules) {
      const name = ruleNames.get(r.sipRuleId)!;
      add('SipRule', name, r.sipRuleId, sipRuleToSpec(r, { names }), `${FOLDERS.SipRule}/${name}.yaml`);
    }
  }
  const consent = opts.consentBy !== undefined ? { acknowledgedBy: opts.consentBy } : {};
  let consentMissing = 0;
  if (kinds.has('VoiceProfileDomain')) {
    for (const d of account.domains) {
      const name = domainNames.get(d.voiceProfileDomainId)!;
      if (opts.consentBy === undefined) consentMissing++;
      add('VoiceProfileDomain', name, d.voiceProfileDomainId, voiceProfileDomainToSpec(d, consent), `${FOLDERS.VoiceProfileDomain}/${name}.yaml`);
    }
  }
  if (kinds.has('CallAnalyticsConfiguration')) {
    for (const c of account.configurations) {
      const name = configNames.get(c.arn)!;
      const spec = callAnalyticsConfigurationToSpec(c, consent);
      if (spec.consent && !spec.consent.acknowledged) consentMissing++;
      add('CallAnalyticsConfiguration', name, c.arn, spec, `${FOLDERS.CallAnalyticsConfiguration}/${name}.yaml`);
    }
  }
  if (consentMissing > 0) {
    remarks.push(
      `${consentMissing} object(s) process biometric data (A3) and were written with consent.acknowledged: false; they stay ConsentRequired until ` +
        'someone accountable sets it to true (or imports again with --acknowledge-biometric-consent <who>)',
    );
  }
  if (kinds.has('VoiceGlobalSettings') && account.settings) {
    const spec = voiceGlobalSettingsToSpec(account.settings);
    if (spec.voiceConnector) add('VoiceGlobalSettings', 'voice-global-settings', undefined, spec, `${FOLDERS.VoiceGlobalSettings}.yaml`);
    else remarks.push('VoiceGlobalSettings: the account has no call detail record bucket, so there is nothing to import');
  }
  if (kinds.has('PhoneNumber')) {
    const ruleOf = new Map(account.rules.filter((r) => r.triggerType === 'ToPhoneNumber').map((r) => [r.triggerValue, r.sipRuleId]));
    for (const n of [...numbers].sort((a, b) => (a.e164 < b.e164 ? -1 : 1))) {
      const { spec, notes } = phoneNumberToSpec(n, { names });
      add('PhoneNumber', phoneNumberName(n.e164), n.e164, spec, `${FOLDERS.PhoneNumber}/${numberFile(n, { vcNames, groupNames, ruleNames, ruleOf })}.yaml`, notes);
    }
  }
  if (kinds.has('SipMediaApplication')) remarks.push('SipMediaApplication: Alexa skill configurations are not read (AWS withdrew that API) and stay unmanaged');
  return { objects, secrets, skipped, remarks };
}

/**
 * Numbers are grouped by what they ring: one file per connector, group or SIP rule, and files for
 * the unassigned, those in the deletion queue and those being ported in. A reviewer reads a
 * trunk's numbers in one place; an account's thousands of numbers are not thousands of files.
 */
function numberFile(
  n: PnNumber,
  names: { vcNames: Map<string, string>; groupNames: Map<string, string>; ruleNames: Map<string, string>; ruleOf: Map<string, string> },
): string {
  if (n.status === 'DeleteInProgress') return 'deletion-queue';
  if (n.status.startsWith('Portin')) return 'porting';
  if (n.status === 'AcquireInProgress') return 'acquiring';
  const a = n.associations.find((x) => x.name === 'VoiceConnectorId' || x.name === 'VoiceConnectorGroupId');
  if (a?.name === 'VoiceConnectorId') return `voice-connector-${names.vcNames.get(a.value) ?? dnsLabel(a.value)}`;
  if (a?.name === 'VoiceConnectorGroupId') return `voice-connector-group-${names.groupNames.get(a.value) ?? dnsLabel(a.value)}`;
  const rule = names.ruleOf.get(n.e164);
  if (rule !== undefined) return `sip-rule-${names.ruleNames.get(rule) ?? dnsLabel(rule)}`;
  return 'unassigned';
}
