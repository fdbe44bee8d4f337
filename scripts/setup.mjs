// Installs the pinned dependencies when they are missing or older than package-lock.json, so that
// `npm start` works on a fresh clone and costs nothing on the next run.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const installed = 'node_modules/.package-lock.json';
const stale = !existsSync(installed) || statSync(installed).mtimeMs < statSync('package-lock.json').mtimeMs;
if (stale) execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
