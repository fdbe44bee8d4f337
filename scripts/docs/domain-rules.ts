// One-line summaries of the domain rules (the project's spec of Chime SDK Voice behaviour, kept
// beside the repository as domain-rules.md). The generated reference names the rules each kind
// honours; the ids come from the code (the schema's descriptions and messages, the kind's folder),
// the words from here.
export const DOMAIN_RULES: Record<string, string> = {
  PN1: 'Numbers enter the inventory by an order from the pool (Processing, then Successful, Partial or Failed), by porting, or by an international request.',
  PN2: 'Product types are VoiceConnector and SipMediaApplicationDialIn; a number outside the US must be SipMediaApplicationDialIn.',
  PN3: 'Ordering from the pool works only in countries without identity document requirements; elsewhere numbers come through a support case.',
  PN4: 'A VoiceConnector number is assigned to one connector or group and can be moved directly; a SIP media application number is used as a SIP rule trigger.',
  PN5: 'The product type can change only while the number is unassigned.',
  PN6: 'Calling name: 2 to 15 letters, digits or spaces, not on toll-free numbers, changeable once in 7 days, applied within 72 hours.',
  PN7: 'A number must be unassigned before it is deleted; deleted numbers sit in a 7-day deletion queue, from which they can be restored.',
  PN8: 'Voice connector numbers are E.164; a number\'s descriptive name is at most 256 characters and is not the calling name.',
  VC1: 'Name, encryption, region, tags and network type at creation; region and network type never change (DUAL_STACK only at creation).',
  VC2: 'With encryption, SIP is TLS (port 5061) and media SRTP: UDP origination makes no sense on an encrypted connector.',
  VC3: 'Termination: enabled or not, public CIDR allow list, calls per second, calling regions, credentials (user names only come back), default number.',
  VC4: 'Origination: enabled or not, routes of host, port, protocol, priority (1 first) and weight; hosts publicly routable.',
  VC5: 'Emergency calling needs termination and origination enabled, and must be removed before termination is turned off.',
  VC6: 'Streaming to Kinesis Video Streams: retention hours, 1 to 3 notification targets, a call analytics configuration ARN.',
  VC7: 'Logging: SIP message logs and media metric logs, both off by default.',
  VC8: 'A connector must have no phone numbers before it is deleted.',
  VC9: 'Each connector has an outbound host name <id>.voiceconnector.chime.aws.',
  G1: 'At most 3 voice connector groups per account.',
  G2: 'A group holds connectors, possibly from several regions, each with a priority (1 first); inbound calls fail over across them.',
  G3: 'A group must have no connectors and no phone numbers before it is deleted.',
  S1: 'A SIP media application has a name, a region that never changes, exactly one Lambda endpoint in that region, and tags.',
  S2: 'A SIP rule has a trigger (a SipMediaApplicationDialIn number, or a connector host name) and 1 to 25 targets, at most one per region.',
  S3: 'A SIP rule must be disabled before it is deleted, and before the application it targets is deleted.',
  S4: 'The trigger of a SIP rule cannot change; a rule with another trigger is another rule.',
  A1: 'Call analytics configuration: recording, analytics processors, sinks, role, alert rules; recording and post-call analytics should not both be on.',
  A2: 'A configuration in use by a voice connector cannot be deleted; deletion cannot be undone.',
  A3: 'Speaker search and voice analytics process biometric data and need an explicit consent acknowledgement.',
  A4: 'A voice profile domain needs a KMS key; at most 3 domains per account by default; deleting one deletes its profiles.',
  GS1: 'Call detail records of every connector go to one S3 bucket of the account.',
  API1: 'REST-JSON; errors carry x-amzn-ErrorType and a JSON body with Code and Message.',
  API2: 'Error codes: BadRequest, ResourceLimitExceeded, UnauthorizedClient, Forbidden, AccessDenied, NotFound, Conflict, Gone, UnprocessableEntity, ThrottledClient, ServiceFailure, ServiceUnavailable.',
  API3: 'List calls page with max-results and next-token.',
  API4: 'Batch and association calls answer 200 with per-number errors.',
  API5: 'New resources can be briefly invisible to reads; NotFound right after a create is retried.',
};

// "S3" is also Amazon S3 (a bucket, a URL, a sink...): as a rule id it is cited like "(S3)",
// "S3:" or "S1, S3", so it counts only when punctuation follows it.
const S3_AS_RULE = /^[),;:/-]/;

/** Rule ids mentioned in a text, with ranges such as "S2-S4" expanded; only ids of DOMAIN_RULES. */
export function ruleIds(text: string): Set<string> {
  const out = new Set<string>();
  const re = /\b(PN|VC|GS|G|S|A|API)(\d+)(?:-(?:\1)?(\d+))?\b/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0] === 'S3' && !S3_AS_RULE.test(text.slice(re.lastIndex, re.lastIndex + 1))) continue;
    const from = Number(m[2]);
    const to = m[3] ? Number(m[3]) : from;
    for (let n = from; n <= Math.min(to, from + 10); n++) if (DOMAIN_RULES[`${m[1]}${n}`]) out.add(`${m[1]}${n}`);
  }
  return out;
}

/** Sorted the way domain-rules.md lists them. */
export function sortRuleIds(ids: Iterable<string>): string[] {
  const order = Object.keys(DOMAIN_RULES);
  return [...ids].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}
