/** The kinds import reads and `--kinds` accepts, in the order import reads them; a module of its own, so that help loads nothing more. */
export const IMPORTABLE_KINDS = [
  'VoiceConnector',
  'VoiceConnectorGroup',
  'PhoneNumber',
  'SipMediaApplication',
  'SipRule',
  'VoiceProfileDomain',
  'CallAnalyticsConfiguration',
  'VoiceGlobalSettings',
] as const;
