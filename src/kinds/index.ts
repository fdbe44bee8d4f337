/** Every kind's handler, by kind name: the engine's only way in to kind-specific code. */
import type { KindHandler } from '../reconcile/types.js';

export const handlers: ReadonlyMap<string, KindHandler> = new Map<string, KindHandler>([]);
