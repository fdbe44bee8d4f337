// The options of `routes` as its action receives them: shared by the command line (routes-cli.ts)
// and what the command does (command.ts), so that neither imports the other.

export const ROUTES_FORMATS = ['text', 'mermaid', 'dot', 'svg', 'html', 'json'] as const;
export type RoutesFormat = (typeof ROUTES_FORMATS)[number];

export interface RoutesOptions {
  filename?: string;
  aws?: boolean;
  region: string;
  /** With AWS: the regions whose connectors and SIP media applications are read (--regions). */
  regions?: string[];
  endpoint?: string;
  emulator?: boolean;
  emulatorState?: string;
  cluster?: boolean;
  kubeconfig?: string;
  /** With the cluster: the kube context (default: the current one). */
  context?: string;
  namespace?: string;
  number?: string;
  output: RoutesFormat;
  failOn?: 'broken' | 'risky';
}
