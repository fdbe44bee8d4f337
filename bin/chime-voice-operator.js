#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so that the published package and the repository behave alike.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
