/** The observed Voice Connector: what observe reads and what the answers of writes fold into (answers.ts). */
import type { DesiredDnis, DesiredLogging, DesiredRoute } from './desired.js';

export interface ObservedTermination {
  disabled: boolean;
  cpsLimit?: number;
  callingRegions: string[];
  cidrAllowedList: string[];
  defaultPhoneNumber?: string;
}

export interface ObservedRoute extends DesiredRoute {
  protocol: 'TCP' | 'UDP';
}

export interface ObservedStreaming {
  disabled: boolean;
  dataRetentionInHours?: number;
  notificationTargets: string[];
  /** The linked configuration, when analytics is on. */
  callAnalyticsConfigurationArn?: string;
  /** AWS's MediaInsightsConfiguration as read, sent back unchanged when the spec does not manage the link. */
  mediaInsights?: { Disabled?: boolean; ConfigurationArn?: string };
}

export interface ObservedProxy {
  defaultSessionExpiryMinutes?: number;
  phoneNumberCountries: string[];
  fallBackPhoneNumber?: string;
  disabled: boolean;
}

export interface ObservedExternalSystems {
  sessionBorderControllerTypes: string[];
  contactCenterSystemTypes: string[];
}

/** For each sub-configuration: undefined = not read (the spec does not manage it), null = not configured in AWS. */
export interface VoiceConnectorObserved {
  voiceConnectorId: string;
  arn?: string;
  name: string;
  region?: string;
  requireEncryption?: boolean;
  networkType?: string;
  outboundHostName?: string;
  tags: Record<string, string>;
  /** The tag keys the spec declared on an earlier pass (status.atProvider). */
  appliedTagKeys?: string[];
  termination?: ObservedTermination | null;
  /** User names AWS holds (ListVoiceConnectorTerminationCredentials); undefined when credentials are not managed. */
  credentialUsernames?: string[];
  /** Password hashes known to be in AWS, by user name: status.atProvider's record, or what was just written. */
  credentialHashes: Record<string, string>;
  terminationHealth?: { timestamp?: string; source?: string; readAt?: string };
  origination?: { disabled: boolean; routes: ObservedRoute[] } | null;
  streaming?: ObservedStreaming | null;
  logging?: DesiredLogging;
  emergencyCalling?: { dnis: DesiredDnis[] } | null;
  proxy?: ObservedProxy | null;
  externalSystems?: ObservedExternalSystems | null;
  /** Numbers associated with the connector; read only for deletions (VC8). */
  phoneNumbers?: Array<{ e164: string; phoneNumberId?: string }>;
  /** Groups holding the connector; read only for deletions. */
  groups?: Array<{ voiceConnectorGroupId: string; name?: string }>;
}
