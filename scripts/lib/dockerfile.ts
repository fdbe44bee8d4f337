/**
 * The Dockerfile read as data: its instructions by stage, and how the runtime stage starts the
 * controller (node's flags and the environment), so that the tests and benchmarks that run the
 * compiled controller, and `npm run cluster`, run it the way the image does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './control-plane.js';

export interface Instruction {
  op: string;
  args: string;
}
export interface Stage {
  from: string;
  name?: string;
  body: Instruction[];
}

/** Instructions of a Dockerfile: comments dropped, backslash continuations joined. */
export function parseDockerfile(text: string): { args: Instruction[]; stages: Stage[] } {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && current === '')) continue;
    if (line.endsWith('\\')) current += `${line.slice(0, -1)} `;
    else {
      logical.push(current + line);
      current = '';
    }
  }
  const args: Instruction[] = [];
  const stages: Stage[] = [];
  for (const l of logical.filter((x) => x !== '')) {
    const m = /^(\S+)\s+(.*)$/.exec(l);
    if (!m) throw new Error(`not an instruction: ${l}`);
    const ins = { op: m[1].toUpperCase(), args: m[2].trim() };
    if (ins.op === 'FROM') {
      const f = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      stages.push({ from: f![1], name: f![2], body: [] });
    } else if (stages.length === 0) args.push(ins);
    else stages[stages.length - 1].body.push(ins);
  }
  return { args, stages };
}

export interface ImageRuntime {
  /** Node.js flags of the ENTRYPOINT, between `node` and the script. */
  nodeFlags: string[];
  /** ENV of the runtime stage. */
  env: Record<string, string>;
}

/** How the image's runtime stage starts the controller. */
export function imageRuntime(): ImageRuntime {
  const { stages } = parseDockerfile(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'));
  const runtime = stages.find((s) => s.name === 'runtime');
  if (!runtime) throw new Error('Dockerfile: no stage named runtime');
  const entry = runtime.body.filter((i) => i.op === 'ENTRYPOINT').pop();
  if (!entry) throw new Error('Dockerfile: the runtime stage has no ENTRYPOINT');
  const argv = JSON.parse(entry.args) as string[];
  const script = argv.indexOf('dist/cli/main.js');
  if (argv[0] !== 'node' || script < 0) throw new Error(`Dockerfile: ENTRYPOINT ${entry.args} does not run node dist/cli/main.js`);
  const env: Record<string, string> = {};
  for (const i of runtime.body.filter((x) => x.op === 'ENV')) {
    for (const m of i.args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[m[1]] = m[2].replace(/^"|"$/g, '');
  }
  return { nodeFlags: argv.slice(1, script), env };
}
