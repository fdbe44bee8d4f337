// Every relative link of the documentation (README.md and docs/**/*.md) resolves to a file inside
// the repository, and a link to a heading of a Markdown file finds that heading. A link that leaves
// the repository (../shared/...) works on one machine and nowhere else.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './doc-commands.js';

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? markdownFiles(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : []));
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as dashes. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const m of text.matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const base = slug(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const m of text.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(m[1]);
  return anchors;
}

/**
 * Links of a Markdown text, outside code blocks: [text](target) and [text]: target, and paths in
 * code spans that start with `../` (a path a reader is told to open is a link too, and must exist).
 */
function linksOf(text: string): Array<{ target: string; line: number; mention?: true }> {
  const out: Array<{ target: string; line: number; mention?: true }> = [];
  const lines = text.split('\n');
  let fenced = false;
  for (const [i, raw] of lines.entries()) {
    if (/^\s*```/.test(raw)) fenced = !fenced;
    if (fenced) continue;
    for (const m of raw.matchAll(/`((?:\.\.\/)+[^`\s]*)`/g)) out.push({ target: m[1], line: i + 1, mention: true });
    const line = raw.replace(/`[^`]*`/g, '');
    for (const m of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push({ target: m[1], line: i + 1 });
    const ref = /^\s*\[[^\]]+\]:\s*(\S+)/.exec(line);
    if (ref) out.push({ target: ref[1], line: i + 1 });
  }
  return out;
}

const files = [join(ROOT, 'README.md'), ...markdownFiles(join(ROOT, 'docs'))];

describe('documentation links', () => {
  it('finds the documents and their links', () => {
    expect(files.length).toBeGreaterThan(10);
    expect(files.flatMap((f) => linksOf(readFileSync(f, 'utf8'))).length).toBeGreaterThan(50);
  });

  for (const file of files) {
    const name = relative(ROOT, file);
    it(`${name}: every relative link resolves inside the repository`, () => {
      const broken: string[] = [];
      for (const { target, line } of linksOf(readFileSync(file, 'utf8'))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
        const [pathPart, anchor] = target.split('#', 2);
        const resolved = pathPart === '' ? file : resolve(dirname(file), decodeURIComponent(pathPart));
        const where = `${name}:${line}: ${target}`;
        if (resolved !== ROOT && !resolved.startsWith(ROOT + sep)) {
          broken.push(`${where} leaves the repository`);
          continue;
        }
        if (!existsSync(resolved)) {
          broken.push(`${where} does not exist`);
          continue;
        }
        if (anchor && resolved.endsWith('.md') && statSync(resolved).isFile() && !anchorsOf(resolved).has(anchor)) broken.push(`${where}: no heading #${anchor}`);
      }
      expect(broken).toEqual([]);
    });
  }
});
