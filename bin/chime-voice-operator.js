#!/usr/bin/env node
// Runs the compiled CLI (dist/, `npm run build`); the published package ships dist/ built.
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  // Only in a clone that was never built: say what to run rather than print a module-not-found trace.
  process.stderr.write(`chime-voice-operator: ${main.pathname} is missing; run \`npm run build\` in ${new URL('..', import.meta.url).pathname}\n`);
  process.exit(1);
}
await import(main.href);
