/**
 * Start-up cost of the CLI, TypeScript run through tsx (as bin/ did before `npm run build` existed)
 * against the compiled dist/ (as bin/, `npm start` and the image run now), both from this checkout
 * and in the same run, beside a bare `node -e 0`. CPU time (user + system) of each child process as
 * /usr/bin/time reports it: less sensitive than wall time to the other work sharing the cores. The
 * variants take turns, sample after sample, so that a busy moment hits them alike; the median is
 * printed. Also the file count of `npm pack`. `CHIME_BENCH_RUNS` (samples, default 7) and
 * `CHIME_BENCH_BATCH` (runs per sample, default 5) set the repeats. Run it on
 * another Node with `bash scripts/with-node.sh -- npm run bench -- startup`.
 *
 * `CHIME_BENCH_BASE=<commit>` compares with an earlier commit instead, in the same run: its tree
 * (`git archive`) is built in a scratch folder with this checkout's node_modules, and its tsx and
 * compiled starts take turns with this checkout's compiled one.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const TIME = '/usr/bin/time';

export interface StartupRow {
  name: string;
  command: string;
  /** CPU seconds (user + system) per run, one figure per sample. */
  cpu: number[];
  median: number;
}

export interface StartupResult {
  node: string;
  runs: number;
  /** Runs per /usr/bin/time sample. */
  batch: number;
  rows: StartupRow[];
  packedFiles: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * CPU seconds of one run of `node ...args`, averaged over `batch` runs in a row under one
 * /usr/bin/time: it prints hundredths of a second, coarser than a bare Node start on Node 24.
 */
function cpuOf(args: string[], cwd: string, batch: number): number {
  const loop = `for i in $(seq ${batch}); do "$0" "$@" >/dev/null || exit 1; done`;
  const r = spawnSync(TIME, ['-f', '%U %S', 'sh', '-c', loop, process.execPath, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const last = r.stderr.trim().split('\n').at(-1) ?? '';
  const m = /^(\d+\.\d+) (\d+\.\d+)$/.exec(last);
  if (!m || r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}:\n${r.stdout}${r.stderr}`);
  return (Number(m[1]) + Number(m[2])) / batch;
}

export function benchStartup(runs = Number(process.env.CHIME_BENCH_RUNS ?? 7), batch = Number(process.env.CHIME_BENCH_BATCH ?? 5)): StartupResult {
  if (!existsSync(TIME)) throw new Error(`${TIME} is missing (apt-get install time)`);
  execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  const scratch = mkdtempSync(join(tmpdir(), 'bench-startup-'));
  try {
    const examples = join(scratch, 'examples');
    cpSync(join(ROOT, 'examples'), examples, { recursive: true });
    const tsx = ['--import', 'tsx', join(ROOT, 'src/cli/main.ts')];
    const compiled = [join(ROOT, 'bin/chime-voice-operator.js')];
    const base = process.env.CHIME_BENCH_BASE;
    const variants: { name: string; command: string; args: string[] }[] = base ? baseVariants(base, scratch, compiled, examples) : [
      { name: 'bare Node.js', command: 'node -e 0', args: ['-e', '0'] },
      { name: '`--help`, tsx', command: 'node --import tsx src/cli/main.ts --help', args: [...tsx, '--help'] },
      { name: '`--help`, compiled', command: 'node bin/chime-voice-operator.js --help', args: [...compiled, '--help'] },
      { name: '`validate -f examples`, tsx', command: 'node --import tsx src/cli/main.ts validate -f examples', args: [...tsx, 'validate', '-f', examples] },
      { name: '`validate -f examples`, compiled', command: 'node bin/chime-voice-operator.js validate -f examples', args: [...compiled, 'validate', '-f', examples] },
    ];
    // A first run of each fills tsx's transform cache and the page cache; it is not counted.
    for (const v of variants) cpuOf(v.args, ROOT, 1);
    const cpu = variants.map(() => [] as number[]);
    for (let i = 0; i < runs; i++) variants.forEach((v, j) => cpu[j].push(cpuOf(v.args, ROOT, batch)));
    const rows = variants.map((v, j) => ({ name: v.name, command: v.command, cpu: cpu[j], median: median(cpu[j]) }));

    const pack = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const [packed] = JSON.parse(pack.slice(pack.indexOf('['))) as { entryCount: number }[];
    return { node: process.version, runs, batch, rows, packedFiles: packed.entryCount };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** This checkout's compiled CLI against `base`'s, and `base` run through tsx (see the header). */
function baseVariants(base: string, scratch: string, compiled: string[], examples: string): { name: string; command: string; args: string[] }[] {
  const commit = execFileSync('git', ['rev-parse', '--short', base], { cwd: ROOT, encoding: 'utf8' }).trim();
  const tree = join(scratch, `base-${commit}`);
  mkdirSync(tree);
  execFileSync('sh', ['-c', `git archive ${commit} | tar -x -C ${JSON.stringify(tree)}`], { cwd: ROOT, stdio: 'inherit' });
  symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'));
  execFileSync(process.execPath, [join(tree, 'scripts/build.mjs')], { cwd: tree, stdio: 'inherit' });
  const baseTsx = ['--import', 'tsx', join(tree, 'src/cli/main.ts')];
  const baseCompiled = [join(tree, 'bin/chime-voice-operator.js')];
  return [
    { name: 'bare Node.js', command: 'node -e 0', args: ['-e', '0'] },
    { name: `\`--help\`, tsx, ${commit}`, command: 'node --import tsx src/cli/main.ts --help', args: [...baseTsx, '--help'] },
    { name: `\`--help\`, compiled, ${commit}`, command: 'node bin/chime-voice-operator.js --help', args: [...baseCompiled, '--help'] },
    { name: '`--help`, compiled, now', command: 'node bin/chime-voice-operator.js --help', args: [...compiled, '--help'] },
    { name: `\`validate -f examples\`, tsx, ${commit}`, command: 'node --import tsx src/cli/main.ts validate -f examples', args: [...baseTsx, 'validate', '-f', examples] },
    { name: `\`validate -f examples\`, compiled, ${commit}`, command: 'node bin/chime-voice-operator.js validate -f examples', args: [...baseCompiled, 'validate', '-f', examples] },
    { name: '`validate -f examples`, compiled, now', command: 'node bin/chime-voice-operator.js validate -f examples', args: [...compiled, 'validate', '-f', examples] },
  ];
}

export function printStartup(r: StartupResult): void {
  const bare = r.rows[0].median;
  console.log(`Node ${r.node}: CPU (user + system, /usr/bin/time) per run, median of ${r.runs} samples of ${r.batch} runs each.\n`);
  console.log('| run | command | CPU, median | × bare Node | range |\n| --- | --- | ---: | ---: | ---: |');
  for (const row of r.rows) {
    const range = `${Math.min(...row.cpu).toFixed(3)}–${Math.max(...row.cpu).toFixed(3)} s`;
    console.log(`| ${row.name} | \`${row.command}\` | ${row.median.toFixed(3)} s | ${(row.median / bare).toFixed(1)} | ${range} |`);
  }
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
  console.log(`\n\`npm pack\` of ${version}: ${r.packedFiles} files.\n`);
}
