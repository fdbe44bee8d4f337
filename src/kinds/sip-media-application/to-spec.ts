/**
 * Pure: the spec of a SIP media application as AWS holds it, for `import`. The Alexa skill
 * configuration is not read (AWS withdrew that API; the kind reads it only when a spec asks), so
 * it stays unmanaged.
 */
import type { SipMediaApplicationSpec } from '../../api/kinds/sip-media-application.js';
import { declarableTags } from '../shared/import.js';
import type { SmaObserved } from './observe.js';

export function sipMediaApplicationToSpec(observed: SmaObserved): SipMediaApplicationSpec {
  const tags = declarableTags(observed.tags);
  return {
    name: observed.name,
    ...(observed.region ? { region: observed.region } : {}),
    endpoint: { lambdaArn: observed.lambdaArn ?? '' },
    ...(tags ? { tags } : {}),
    ...(observed.enableSipLogs !== undefined ? { logging: { enableSipLogs: observed.enableSipLogs } } : {}),
  };
}
