// The documentation targets of scripts/generate.ts: the kind reference and the conditions page.
import type { GeneratorTarget } from '../generate.js';
import { renderCliReference } from './cli.js';
import { renderConditions } from './conditions.js';
import { reasonInventory } from './reason-scan.js';
import { referenceFiles } from './reference.js';

export const DOC_TARGETS: GeneratorTarget[] = [
  {
    // One page per kind from the schema, plus an index (docs/reference/README.md).
    name: 'reference',
    dir: 'docs/reference',
    owns: (f) => f.endsWith('.md') && f !== 'cli.md',
    render: () => referenceFiles(reasonInventory()),
  },
  {
    // The command line, from the program's own definition: no flag can go missing from the docs.
    name: 'cli-reference',
    dir: 'docs/reference',
    owns: (f) => f === 'cli.md',
    render: () => [{ file: 'cli.md', content: renderCliReference() }],
  },
  {
    // Every condition type and reason, from src/reconcile/reasons.ts and a scan of what src/ sets.
    name: 'conditions',
    dir: 'docs',
    owns: (f) => f === 'conditions.md',
    render: () => [{ file: 'conditions.md', content: renderConditions(reasonInventory()) }],
  },
];
