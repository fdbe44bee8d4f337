/** Every service module the emulator serves by default; each holds one family of the domain rules. */
import type { ServiceModule } from '../core/types.js';
import { voiceConnectors } from './voice-connectors.js';
import { sip } from './sip.js';
import { analytics } from './analytics.js';
import { account } from './account.js';
import { phoneNumbers, phoneNumberControlActions } from './phone-numbers.js';

export const defaultServices: ServiceModule[] = [phoneNumbers, voiceConnectors, sip, analytics, account];

/** Control actions (`POST /_emulator/<name>`) for what AWS does through support cases, such as porting in numbers. */
export const defaultControlActions = phoneNumberControlActions;

export { voiceConnectors, sip, analytics, account, phoneNumbers, phoneNumberControlActions };
export { seedPortingOrder } from './phone-numbers.js';
