/** Every service module the emulator serves by default; each holds one family of the domain rules. */
import type { ServiceModule } from '../core/types.js';

export const defaultServices: ServiceModule[] = [];
export { voiceConnectors } from './voice-connectors.js';
export { sip } from './sip.js';
export { analytics } from './analytics.js';
export { account } from './account.js';
