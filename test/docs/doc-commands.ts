// The shell commands of the documentation, read from fenced ```sh blocks.
//
// Marker convention: an HTML comment on the line before a block makes it runnable by
// test/docs/commands.test.ts (GitHub does not render the comment):
//   <!-- run -->              every line runs in order and must exit 0, or the code a trailing
//                             comment gives: `... # exit code 3: changes are pending`
//   <!-- run: background -->  every line is started and kept running (a server such as the
//                             emulator) until the file's last block has run; then it gets SIGINT
//                             and must exit 0
//   <!-- file: PATH -->       before any fenced block (```yaml): its content is written to PATH
//                             before the document's commands run, as the reader would save it
// Blocks without a marker are still checked: every chime-voice-operator command and flag must exist.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export type RunMode = 'run' | 'background' | undefined;

export interface DocCommand {
  file: string;
  /** 1-based line of the command in the file. */
  line: number;
  command: string;
  mode: RunMode;
  expectedExit: number;
}

/** README.md and the hand-written docs (the generated reference has no runnable commands). */
export function docFiles(root = ROOT): string[] {
  return ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
}

const MARKER = /^<!--\s*run(?::\s*(background))?\s*-->$/;
const FILE_MARKER = /^<!--\s*file:\s*(\S+)\s*-->$/;

export interface DocFile {
  file: string;
  line: number;
  /** Path relative to the folder the commands run in. */
  path: string;
  content: string;
}

/** The blocks a document asks the reader to save (`<!-- file: PATH -->`). */
export function extractFiles(file: string, text: string): DocFile[] {
  const lines = text.split('\n');
  const out: DocFile[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = FILE_MARKER.exec(lines[i].trim());
    if (!m) continue;
    let start = i + 1;
    while (start < lines.length && lines[start].trim() === '') start++;
    const fence = /^(\s*)```/.exec(lines[start] ?? '');
    if (!fence) throw new Error(`${file}:${i + 1}: a file marker must precede a fenced block`);
    let end = start + 1;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end])) end++;
    const body = lines.slice(start + 1, end).map((l) => (l.startsWith(fence[1]) ? l.slice(fence[1].length) : l));
    out.push({ file, line: i + 1, path: m[1], content: `${body.join('\n')}\n` });
    i = end;
  }
  return out;
}

export function extractCommands(file: string, text: string): DocCommand[] {
  const lines = text.split('\n');
  const out: DocCommand[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)```(\w+)?\s*$/.exec(lines[i]);
    if (!fence) continue;
    const indent = fence[1];
    const lang = fence[2];
    // Find the closing fence (same indentation or less); blocks of other languages are skipped whole.
    let end = i + 1;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end])) end++;
    if (lang === 'sh' || lang === 'shell' || lang === 'bash') {
      let prev = i - 1;
      while (prev >= 0 && lines[prev].trim() === '') prev--;
      const marker = prev >= 0 ? MARKER.exec(lines[prev].trim()) : null;
      const mode: RunMode = marker ? (marker[1] === 'background' ? 'background' : 'run') : undefined;
      let pending = '';
      let startLine = 0;
      for (let j = i + 1; j < end; j++) {
        const raw = lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j].trimStart();
        if (!pending && (raw.trim() === '' || raw.trim().startsWith('#'))) continue;
        if (!pending) startLine = j + 1;
        // A trailing backslash continues the command on the next line.
        if (raw.endsWith('\\')) {
          pending += raw.slice(0, -1);
          continue;
        }
        const command = pending + raw;
        pending = '';
        const exit = /#.*\bexit code (\d+)/.exec(command);
        out.push({ file, line: startLine, command: command.trim(), mode, expectedExit: exit ? Number(exit[1]) : 0 });
      }
    }
    i = end;
  }
  return out;
}

export function allDocCommands(root = ROOT): DocCommand[] {
  return docFiles(root).flatMap((f) => extractCommands(f, readFileSync(join(root, f), 'utf8')));
}

/** Words of a command line, without its trailing comment, quotes or redirections (enough for flag checks). */
export function words(command: string): string[] {
  const noComment = command.replace(/\s#.*$/, '');
  const out: string[] = [];
  const re = /'([^']*)'|"([^"]*)"|(\S+)/g;
  for (let m = re.exec(noComment); m; m = re.exec(noComment)) out.push(m[1] ?? m[2] ?? m[3]);
  const redirect = out.findIndex((w) => /^[0-9]*[<>|]/.test(w) || w === '|' || w === '&&');
  return redirect >= 0 ? out.slice(0, redirect) : out;
}
