/**
 * Limits on what the CLI reads, so that no input can crash it or make it run out of memory, and the
 * one helper every error message uses to echo a value from the input. docs/concepts.md ("Input
 * limits") lists them; input past a limit is refused with its file and line, never truncated or
 * guessed at.
 */
export const INPUT_LIMITS = {
  /** Bytes of one manifest file. The largest Kubernetes object is 1.5 MiB (etcd's request limit). */
  fileBytes: 8 * 1024 * 1024,
  /** YAML documents in one file. */
  documentsPerFile: 10_000,
  /** Characters of one scalar value (a key or a string). The longest field of the API takes 32,768. */
  valueLength: 65_536,
  /** Nesting of mappings and lists in one document. The deepest schema is about 10 levels. */
  nestingDepth: 64,
  /** Alias expansions (`*anchor`) in one document: a "billion laughs" document stops here. */
  aliases: 100,
  /** Characters of an input value echoed in an error message. */
  echoChars: 100,
} as const;

/**
 * A value from the input as an error message shows it: JSON-quoted (so spaces, control characters
 * and non-ASCII are visible), cut to INPUT_LIMITS.echoChars characters with the full length said,
 * so a 20 MB value yields one short line.
 */
export function echo(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  const max = INPUT_LIMITS.echoChars;
  if (text.length <= max) return text;
  const length = typeof value === 'string' ? `${value.length} characters` : `${text.length} characters as JSON`;
  // Cut on a code point boundary so the message stays valid UTF-16.
  let head = text.slice(0, max);
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
  return `${head}… (${length})`;
}
