/**
 * The AWS Regions where Amazon Chime SDK Voice Connectors and SIP media applications (the PSTN
 * audio service) are offered: the Amazon Chime SDK Developer Guide, "Available AWS Regions for the
 * Amazon Chime SDK" (https://docs.aws.amazon.com/chime-sdk/latest/dg/sdk-available-regions.html),
 * the same ten the API's VoiceConnectorAwsRegion enum and ListAvailableVoiceConnectorRegions name
 * (test/api/model.test.ts checks the enum). `import` and `routes` read regional resources in each
 * of them unless `--regions` narrows the list (docs/concepts.md#regions).
 */
export const VOICE_REGIONS = [
  'us-east-1',
  'us-west-2',
  'ca-central-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'ap-northeast-2',
  'ap-northeast-1',
  'ap-southeast-1',
  'ap-southeast-2',
] as const;
export type VoiceRegion = (typeof VOICE_REGIONS)[number];

const isVoiceRegion = (region: string): region is VoiceRegion => (VOICE_REGIONS as readonly string[]).includes(region);

/**
 * A `--regions` value (`us-east-1,us-west-2`): each a region of the list above, once each, in the
 * order given. Returns the regions, or what is wrong with the value.
 */
export function parseRegionList(text: string): { regions: VoiceRegion[] } | { error: string } {
  const named = text
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  if (named.length === 0) return { error: `no region given; regions: ${VOICE_REGIONS.join(', ')}` };
  const unknown = named.filter((r) => !isVoiceRegion(r));
  if (unknown.length > 0) {
    return { error: `${unknown.join(', ')} ${unknown.length === 1 ? 'is not a region' : 'are not regions'} of Chime SDK Voice Connectors and SIP media applications; regions: ${VOICE_REGIONS.join(', ')}` };
  }
  return { regions: [...new Set(named)] as VoiceRegion[] };
}
