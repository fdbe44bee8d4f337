// The documentation targets of scripts/generate.ts: the kind reference and the conditions page.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GeneratorTarget } from '../generate.js';
import { renderCliReference } from './cli.js';
import { renderConditions } from './conditions.js';
import { reasonInventory } from './reason-scan.js';
import { referenceFiles } from './reference.js';
import { routesPictureFiles } from './routes.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

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
  {
    // The picture of docs/routes.md: the routes of examples/ as `routes -o svg` and `-o mermaid` draw them.
    name: 'routes-picture',
    dir: 'docs/images',
    owns: (f) => f.startsWith('routes-examples.'),
    render: () => routesPictureFiles(ROOT),
  },
];
