/**
 * Pure comparison of a desired and an observed Voice Connector. Only what the spec manages is
 * compared; AWS's defaults (CPS limit 1, port 5060, the protocol an encrypted connector implies,
 * logging off) and the order of lists AWS treats as sets never show as drift.
 */
import { diffTags } from '../shared/tags.js';
import { DiffBuilder } from '../../reconcile/diff.js';
import { compareDigests } from '../../reconcile/secret-digest.js';
import type { Difference } from '../../reconcile/types.js';
import type { DesiredRoute, VoiceConnectorDesired } from './desired.js';
import type { VoiceConnectorObserved } from './observed.js';

/** The protocol AWS gives a route that names none: TLS over TCP on an encrypted connector (VC2). */
export function effectiveEncryption(desired: VoiceConnectorDesired, observed: VoiceConnectorObserved | undefined): boolean {
  return desired.requireEncryption ?? observed?.requireEncryption ?? true;
}

export function normalizeRoutes(routes: DesiredRoute[], encrypted: boolean): Array<Required<DesiredRoute>> {
  return routes.map((r) => ({ host: r.host.toLowerCase(), port: r.port, protocol: r.protocol ?? (encrypted ? 'TCP' : 'UDP'), priority: r.priority, weight: r.weight }));
}

/** Paths of the credential entries, keyed by user name (the list is a map keyed by username). */
export const credentialPath = (username: string) => `termination.credentials[${username}]`;

/** What a redacted value shows as wherever a renderer ignores `redacted`. */
export const SECRET_PLACEHOLDER = '(secret)';

/** The drift entry of a password: said in words, with placeholders for values that must never be shown. */
export function passwordDifference(username: string, comparison: 'changed' | 'unknown'): Difference {
  return {
    path: `${credentialPath(username)}.password`,
    desired: SECRET_PLACEHOLDER,
    actual: comparison === 'changed' ? SECRET_PLACEHOLDER : undefined,
    redacted: comparison === 'changed' ? 'password changed' : 'password not known to be in AWS',
  };
}

export function diffVoiceConnector(desired: VoiceConnectorDesired, observed: VoiceConnectorObserved): Difference[] {
  const b = new DiffBuilder()
    .field('name', desired.name, observed.name)
    // VC1: region and network type are fixed at creation.
    .field('region', desired.region, observed.region, { replace: true })
    .field('networkType', desired.networkType, observed.networkType, { fallback: 'IPV4_ONLY', replace: true })
    .field('requireEncryption', desired.requireEncryption, observed.requireEncryption);
  for (const d of diffTags(desired.tags, observed)) b.add(d);

  const t = desired.termination;
  if (t) {
    const o = observed.termination ?? undefined;
    b.field('termination.disabled', t.disabled, o?.disabled)
      .field('termination.cpsLimit', t.cpsLimit, o?.cpsLimit, { fallback: o ? 1 : undefined })
      .set('termination.callingRegions', t.callingRegions, o?.callingRegions)
      .set('termination.cidrAllowedList', t.cidrAllowedList, o?.cidrAllowedList)
      .field('termination.defaultPhoneNumber', t.defaultPhoneNumber, o?.defaultPhoneNumber);
    if (t.credentials) {
      const have = new Set(observed.credentialUsernames ?? []);
      const want = new Set(t.credentials.map((c) => c.username));
      for (const c of t.credentials) {
        if (!have.has(c.username)) {
          b.add({ path: credentialPath(c.username), desired: { username: c.username }, actual: undefined });
        } else if (c.passwordHash !== undefined) {
          // AWS returns user names only. A digest status does not hold, or holds under another key
          // or an older scheme (a restart without status, a lost key, an adopted connector), cannot
          // be compared: the password is sent once more. Either way no value, nor digest, is shown.
          const comparison = compareDigests(c.passwordHash, observed.credentialHashes[c.username]);
          if (comparison !== 'same') b.add(passwordDifference(c.username, comparison));
        }
      }
      for (const u of [...have].sort()) if (!want.has(u)) b.add({ path: credentialPath(u), desired: undefined, actual: { username: u } });
    }
  }

  const og = desired.origination;
  if (og) {
    const o = observed.origination ?? undefined;
    const encrypted = effectiveEncryption(desired, observed);
    b.field('origination.disabled', og.disabled, o?.disabled);
    // Routes are a set: priority and weight, not list order, decide which host is tried (VC4).
    if (og.routes) b.set('origination.routes', normalizeRoutes(og.routes, encrypted), o ? normalizeRoutes(o.routes, encrypted) : []);
  }

  const s = desired.streaming;
  if (s) {
    const o = observed.streaming ?? undefined;
    b.field('streaming.disabled', s.disabled, o?.disabled)
      .field('streaming.dataRetentionInHours', s.dataRetentionInHours, o?.dataRetentionInHours)
      .set('streaming.notificationTargets', s.notificationTargets, o?.notificationTargets);
    if (s.callAnalyticsPath) b.field(s.callAnalyticsPath, s.callAnalyticsConfigurationArn, o?.callAnalyticsConfigurationArn);
  }

  const l = desired.logging;
  if (l) {
    b.field('logging.enableSIPLogs', l.enableSIPLogs, observed.logging?.enableSIPLogs, { fallback: false }).field(
      'logging.enableMediaMetricLogs',
      l.enableMediaMetricLogs,
      observed.logging?.enableMediaMetricLogs,
      { fallback: false },
    );
  }

  if (desired.emergencyCalling) b.set('emergencyCalling.dnis', desired.emergencyCalling.dnis, observed.emergencyCalling?.dnis ?? []);

  const p = desired.proxy;
  if (p) {
    const o = observed.proxy ?? undefined;
    b.field('proxy.defaultSessionExpiryMinutes', p.defaultSessionExpiryMinutes, o?.defaultSessionExpiryMinutes)
      .set('proxy.phoneNumberCountries', p.phoneNumberCountries, o?.phoneNumberCountries)
      .field('proxy.fallBackPhoneNumber', p.fallBackPhoneNumber, o?.fallBackPhoneNumber)
      .field('proxy.disabled', p.disabled, o?.disabled, { fallback: o ? false : undefined });
  }

  const e = desired.externalSystems;
  if (e) {
    const o = observed.externalSystems ?? undefined;
    b.set('externalSystems.sessionBorderControllerTypes', e.sessionBorderControllerTypes, o?.sessionBorderControllerTypes).set(
      'externalSystems.contactCenterSystemTypes',
      e.contactCenterSystemTypes,
      o?.contactCenterSystemTypes,
    );
  }
  return b.diffs;
}

