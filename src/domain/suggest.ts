/**
 * "did you mean ...?" for a misspelt field or kind name. The edit distance is written here: the
 * one library for it in node_modules (fast-levenshtein) is only a transitive dependency of eslint,
 * not ours to rely on, and the function is a dozen lines of the textbook algorithm (Damerau's
 * optimal string alignment, so a swap of two letters counts as one edit).
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0].push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i].push(d);
    }
  }
  return rows[a.length][b.length];
}

/**
 * The known name nearest to `given` when it is close enough to be a typo (at most a third of its
 * length, case ignored, and at most 3 edits), else undefined. Long input is not compared (the
 * distance is quadratic in the length): no real field name is that long.
 */
export function nearest(given: string, known: readonly string[]): string | undefined {
  if (given.length > 64) return undefined;
  const g = given.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(g, name.toLowerCase());
    if (distance === 0 && name !== given) return name;
    if (!best || distance < best.distance) best = { name, distance };
  }
  if (!best || best.distance === 0) return undefined;
  return best.distance <= Math.min(3, Math.max(1, Math.floor(given.length / 3))) ? best.name : undefined;
}

/** `; did you mean X?` for a message, or ''. */
export function suggestion(given: string, known: readonly string[]): string {
  const n = nearest(given, known);
  return n === undefined ? '' : `; did you mean ${n}?`;
}
