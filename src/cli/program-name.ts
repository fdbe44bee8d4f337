// The name the CLI was started by, for help and for the next steps it prints: a module of its own,
// so that every command's line can ask without importing the program that registers them.

/**
 * `kubectl chime` when kubectl ran the CLI as its plugin (the package's second bin name,
 * kubectl-chime), so that help and hints show what the user types; else `chime-voice-operator`.
 */
export function programName(script = process.argv[1] ?? ''): string {
  return /(^|[/\\])kubectl-chime(\.js)?$/.test(script) ? 'kubectl chime' : 'chime-voice-operator';
}

/** Run as `kubectl chime`: commands read the current kube context where a source is left out. */
export const isKubectlPlugin = (script?: string): boolean => programName(script) === 'kubectl chime';
