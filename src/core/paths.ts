/**
 * Paths into a manifest, as people write them (`spec.termination.cidrAllowedList[0]`) and as ajv
 * reports them (JSON pointers): parsed into segments and formatted back.
 */
export type PathSegment = string | number;

/**
 * Parses `spec.termination.cidrAllowedList[0]`, `metadata.annotations["chimevoice.io/external-id"]`
 * and JSON pointers (`/spec/termination/cidrAllowedList/0`, as ajv reports them) into segments.
 */
export function parsePath(p: string): PathSegment[] {
  if (p === '' || p === '/') return [];
  if (p.startsWith('/')) {
    return p
      .slice(1)
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  }
  const out: PathSegment[] = [];
  let i = 0;
  let current = '';
  const flush = () => {
    if (current !== '') out.push(current);
    current = '';
  };
  while (i < p.length) {
    const c = p[i];
    if (c === '.') {
      flush();
      i++;
    } else if (c === '[') {
      flush();
      const close = findClosingBracket(p, i);
      const inner = p.slice(i + 1, close).trim();
      if (/^\d+$/.test(inner)) out.push(Number(inner));
      else if (inner.startsWith('"')) out.push(JSON.parse(inner) as string);
      else if (inner.startsWith("'")) out.push(inner.slice(1, -1));
      else out.push(inner);
      i = close + 1;
    } else {
      current += c;
      i++;
    }
  }
  flush();
  return out;
}

function findClosingBracket(p: string, open: number): number {
  const quote = p[open + 1] === '"' || p[open + 1] === "'" ? p[open + 1] : undefined;
  let i = open + 1;
  if (quote) {
    i++;
    while (i < p.length && p[i] !== quote) i += p[i] === '\\' ? 2 : 1;
    i++;
  }
  const close = p.indexOf(']', i);
  return close === -1 ? p.length : close;
}

/** Formats segments back into the dotted form (`a.b[0]["x.y"]`). */
export function formatPath(segments: PathSegment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}
