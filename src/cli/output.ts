// Shared CLI output: colour only when the stream is a terminal (and NO_COLOR is unset, per
// no-color.org), and a plain-text table that reads well in a terminal and in CI logs alike.

export type Colour = 'red' | 'yellow' | 'green' | 'cyan' | 'dim' | 'bold';

const CODES: Record<Colour, [number, number]> = {
  red: [31, 39],
  yellow: [33, 39],
  green: [32, 39],
  cyan: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
};

/** The part of a writable stream the helpers need (process.stdout, or a fake in tests). */
export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export function colourEnabled(stream: OutputStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

/** Paints text for one stream: a no-op when colour is off. */
export function painter(stream: OutputStream = process.stdout, env: NodeJS.ProcessEnv = process.env): (colour: Colour, text: string) => string {
  const on = colourEnabled(stream, env);
  return (colour, text) => (on ? `\u001b[${CODES[colour][0]}m${text}\u001b[${CODES[colour][1]}m` : text);
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Width on screen, ignoring colour codes. */
export function visibleWidth(s: string): number {
  return [...s.replace(ANSI, '')].length;
}

export interface TableOptions {
  /** Columns aligned right (numbers). */
  alignRight?: number[];
  /** Spaces between columns. */
  gap?: number;
}

/**
 * A table as text lines: a header, then rows, columns padded to their widest cell (kubectl style,
 * no borders, so it survives copy and paste and log viewers). Cells may contain colour codes.
 */
export function formatTable(headers: string[], rows: string[][], options: TableOptions = {}): string {
  const gap = ' '.repeat(options.gap ?? 3);
  const right = new Set(options.alignRight ?? []);
  const all = [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(...all.map((r) => visibleWidth(r[i] ?? ''))));
  return all
    .map((r) =>
      headers
        .map((_, i) => {
          const cell = r[i] ?? '';
          const pad = ' '.repeat(widths[i] - visibleWidth(cell));
          return right.has(i) ? pad + cell : i === headers.length - 1 ? cell : cell + pad;
        })
        .join(gap)
        .trimEnd(),
    )
    .join('\n');
}

export function printTable(headers: string[], rows: string[][], stream: OutputStream = process.stdout, options: TableOptions = {}): void {
  stream.write(`${formatTable(headers, rows, options)}\n`);
}

/** `1 error`, `2 errors`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A duration as people write it: `10m`, `1m30s`, `15s`, `250ms` (what `--timeout` and the other duration flags accept). */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  const units: Array<[string, number]> = [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ];
  let rest = Math.round(ms / 1_000) * 1_000;
  let out = '';
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}
