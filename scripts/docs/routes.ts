// The picture of docs/routes.md: the routes of examples/, drawn as `routes -f examples -o svg`
// draws them, so that the doc shows what the command prints and --check notices when they part.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { routeGraph } from '../../src/cli/routes/graph.js';
import { routesMermaid } from '../../src/cli/routes/mermaid.js';
import { routesSvg } from '../../src/cli/routes/page.js';
import { inventoryOfObjects } from '../../src/domain/routes/from-objects.js';
import { buildRoutes, type RouteMap } from '../../src/domain/routes/model.js';
import { parseManifests } from '../../src/sources/directory.js';

function examplesMap(root: string): RouteMap {
  const dir = join(root, 'examples');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  const objects = files.flatMap((f) => parseManifests(readFileSync(join(dir, f), 'utf8'), relative(root, join(dir, f))).objects.map((m) => m.object));
  return buildRoutes(inventoryOfObjects('manifests (examples)', objects));
}

export function routesPictureFiles(root: string): Array<{ file: string; content: string }> {
  const graph = routeGraph(examplesMap(root));
  return [
    { file: 'routes-examples.svg', content: routesSvg(graph) },
    { file: 'routes-examples.mmd', content: routesMermaid(graph) },
  ];
}
