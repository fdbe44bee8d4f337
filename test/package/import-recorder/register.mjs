// `node --import <this file>`: records every module the process resolves (ESM imports, including
// the CommonJS packages they import) into the file named by RECORD_IMPORTS_TO, one URL a line.
// module.register exists on every Node.js the project supports (20.6 and later, 22, 24).
import { register } from 'node:module';
import process from 'node:process';
import { URL } from 'node:url';

register(new URL('./hooks.mjs', import.meta.url), { data: { file: process.env.RECORD_IMPORTS_TO } });
