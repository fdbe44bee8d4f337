/**
 * The limits Amazon Chime SDK Voice enforces beyond what its API model's shapes say, in one table:
 * the schema (src/api, and so `validate` and the CRDs) and the emulator's services
 * (src/emulator/services) both read them from here, so `validate` refuses exactly what AWS would,
 * before any call. test/domain/limits.test.ts checks every entry on both sides, at the limit and
 * past it. The model's own `min`/`max` (ranges, lengths, list sizes) are not repeated here: the
 * emulator's core applies them from the model file, and the schema copies them.
 */

export interface Limit {
  /** Smallest value allowed, when there is one. */
  readonly min?: number;
  /** Largest value allowed (a count, a length or a value), when there is one. */
  readonly max?: number;
  /** What is counted or bounded, in words. */
  readonly what: string;
  /** Where the number comes from: a rule id of docs/domain-rules, or the AWS documentation. */
  readonly source: string;
}

/** The model's integers are Java ints: every integer field of the API is within these. */
export const INT32_MIN = -(2 ** 31);
export const INT32_MAX = 2 ** 31 - 1;

export const LIMITS = {
  tagsPerResource: { max: 50, what: 'tags on one resource', source: 'AWS tagging quota: 50 user tags per resource (connectors, SIP media applications, domains, configurations)' },
  voiceConnectorGroupsPerAccount: { max: 3, what: 'Voice Connector groups in one account', source: 'G1: default quota' },
  voiceConnectorsPerGroup: { max: 3, what: 'Voice Connectors in one group', source: 'VoiceConnectorItem documentation in the voice model' },
  originationRoutes: { max: 20, what: 'origination routes of one Voice Connector', source: 'Origination.Routes documentation in the voice model' },
  streamingDataRetentionHours: { min: 0, max: 87_600, what: 'hours Kinesis Video Streams keeps streamed media', source: 'Kinesis Video Streams keeps data at most 10 years (87,600 hours)' },
  voiceProfileDomainsPerRegion: { max: 3, what: 'voice profile domains in one region', source: 'A4: default quota' },
  sipUsernameLength: { min: 1, max: 64, what: 'characters of a termination credential user name', source: 'RFC 2617 token, as PutVoiceConnectorTerminationCredentials accepts it' },
  proxySessionExpiryMinutes: { min: 1, max: INT32_MAX, what: 'minutes of a proxy session', source: 'PutVoiceConnectorProxy: a whole number of minutes, at least 1' },
} as const satisfies Record<string, Limit>;

export type LimitName = keyof typeof LIMITS;

/** RFC 2617 user names are US-ASCII tokens (no separators), 1 to sipUsernameLength.max characters. */
export const SIP_USERNAME_PATTERN = `^[!#$%&'*+\\-.^_\`|~0-9A-Za-z]{${LIMITS.sipUsernameLength.min},${LIMITS.sipUsernameLength.max}}$`;
