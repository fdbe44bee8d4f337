// `npm run build`: compiles src/ to dist/ (tsconfig.build.json) and copies every other file under
// src/ (the emulator's API models, the generated ajv validators of src/api/generated) beside the
// compiled code, which reads them relative to itself; type declarations (.d.cts) stay behind.
//
//   node scripts/build.mjs           build when the sources changed since the last build (prints why)
//   node scripts/build.mjs --force   build even when dist/ is current
//   node scripts/build.mjs --check   exit 1 when dist/ is missing or older than the sources; no build
//
// Cheap when nothing changed: the build key is a SHA-256 over every file under src/, both
// tsconfigs, this script and the TypeScript version, kept in dist/.build-key, so a run with
// nothing changed reads the sources and exits (tens of milliseconds) instead of starting tsc.
// A build goes to a fresh folder and replaces dist/ only once it succeeded, so a failed or
// interrupted build never leaves a half-written dist/ behind, nor stale files of deleted sources.
// Plain JavaScript, so that it runs before anything is compiled and without tsx.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');
const KEY_FILE = join(DIST, '.build-key');
const LOCK = join(ROOT, '.cache', 'build.lock');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

const log = (msg) => process.stderr.write(`build: ${msg}\n`);

function filesUnder(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}

function buildKey() {
  if (!existsSync(TSC)) {
    log(`TypeScript is not installed (${relative(ROOT, TSC)}): run npm ci first`);
    process.exit(1);
  }
  const hash = createHash('sha256');
  const inputs = [...filesUnder(SRC), join(ROOT, 'tsconfig.json'), join(ROOT, 'tsconfig.build.json'), fileURLToPath(import.meta.url)];
  for (const file of inputs) {
    hash.update(`${relative(ROOT, file)}\0`);
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  hash.update(`typescript ${JSON.parse(readFileSync(join(ROOT, 'node_modules/typescript/package.json'), 'utf8')).version}`);
  return hash.digest('hex');
}

const builtKey = () => (existsSync(KEY_FILE) ? readFileSync(KEY_FILE, 'utf8').trim() : undefined);

/**
 * One build at a time (test files in parallel workers, `npm start` and a test run may all ask for
 * it): a lock file holding the builder's pid; a lock whose process is gone is taken over.
 */
async function withLock(fn) {
  mkdirSync(dirname(LOCK), { recursive: true });
  const started = Date.now();
  for (;;) {
    try {
      writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(LOCK, 'utf8')) || 0;
      let alive = holder > 0;
      try {
        if (alive) process.kill(holder, 0);
      } catch {
        alive = false;
      }
      // A pid not yet written (the holder between open and write) reads as 0: wait briefly for it.
      if (!alive && (holder > 0 || Date.now() - statSync(LOCK).mtimeMs > 5_000)) {
        rmSync(LOCK, { force: true });
        continue;
      }
      if (Date.now() - started > 10 * 60_000) throw new Error(`waited 10 minutes for the build lock ${LOCK} held by pid ${holder}`);
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { force: true });
  }
}

function build(key) {
  const started = Date.now();
  const next = join(ROOT, `.cache/dist.${process.pid}`);
  rmSync(next, { recursive: true, force: true });
  try {
    execFileSync(process.execPath, [TSC, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', next], { cwd: ROOT, stdio: 'inherit' });
  } catch {
    rmSync(next, { recursive: true, force: true });
    log('tsc failed (above); dist/ is unchanged');
    process.exit(1);
  }
  let assets = 0;
  for (const file of filesUnder(SRC)) {
    if (file.endsWith('.ts') || file.endsWith('.d.cts')) continue;
    cpSync(file, join(next, relative(SRC, file)));
    assets++;
  }
  writeFileSync(join(next, '.build-key'), `${key}\n`);
  const old = join(ROOT, `.cache/dist.old.${process.pid}`);
  if (existsSync(DIST)) renameSync(DIST, old);
  renameSync(next, DIST);
  rmSync(old, { recursive: true, force: true });
  log(`dist/ built in ${((Date.now() - started) / 1000).toFixed(1)} s (${assets} non-TypeScript files copied from src/)`);
}

const args = new Set(process.argv.slice(2));
if (args.has('--check')) {
  const current = builtKey() === buildKey();
  if (!current) log(existsSync(DIST) ? 'dist/ is older than the sources: run npm run build' : 'dist/ is missing: run npm run build');
  process.exit(current ? 0 : 1);
}

await withLock(() => {
  const key = buildKey();
  const previous = builtKey();
  if (previous === key && !args.has('--force')) return;
  log(args.has('--force') ? 'forced' : previous ? 'sources changed since the last build' : 'no build yet');
  build(key);
});
