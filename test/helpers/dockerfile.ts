// How the image runs the controller, read from the Dockerfile (scripts/lib/dockerfile.ts, shared with `npm run cluster`).
export { imageRuntime, parseDockerfile } from '../../scripts/lib/dockerfile.js';
export type { ImageRuntime, Instruction, Stage } from '../../scripts/lib/dockerfile.js';
