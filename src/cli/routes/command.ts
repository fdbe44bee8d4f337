// What `routes` does: read each source asked for (manifests, AWS, the cluster), build its route
// map, and draw one map, or two side by side. AWS and the cluster are only read, never written.
import { validateObject } from '../../api/validate.js';
import { compareRoutes } from '../../domain/routes/compare.js';
import { inventoryOfObjects } from '../../domain/routes/from-objects.js';
import { buildRoutes, findNumber, onlyNumber, type RouteInventory, type RouteMap } from '../../domain/routes/model.js';
import { loadDirectory } from '../../sources/directory.js';
import { formatProblem } from '../../sources/validate.js';
import type { AwsTargetOptions } from '../aws-target.js';
import type { IO } from '../engine-options.js';
import { EXIT } from '../exit-codes.js';
import { isKubectlPlugin } from '../program-name.js';
import { painter, plural } from '../output.js';
import type { RoutesOptions } from './options.js';
import { routesDot } from './dot.js';
import { comparisonGraph, routeGraph } from './graph.js';
import { routesMermaid } from './mermaid.js';
import { routesHtml, routesSvg } from './page.js';
import { comparisonText, routesText } from './text.js';

/** A source that could not be read: what, where, and why. */
class SourceError extends Error {}

/** The manifests of a folder; objects the schema refuses are reported at file:line and stop the command. */
export async function manifestInventory(path: string, io: Pick<IO, 'stderr'>): Promise<RouteInventory> {
  const loaded = await loadDirectory(path);
  const problems = loaded.problems.filter((p) => p.severity === 'error');
  for (const m of loaded.objects) {
    for (const e of validateObject(m.object)) {
      const at = m.locate(e.path);
      problems.push({ file: m.file, line: at.line, column: at.column, path: e.path || undefined, message: e.message, severity: 'error' });
    }
  }
  if (problems.length > 0) {
    for (const p of problems) io.stderr.write(`${formatProblem(p)}\n`);
    // A reference to a missing object is not among these: the picture shows it as broken.
    throw new SourceError(`${path}: ${plural(problems.length, 'error')} in the manifests; no routes drawn from them (see chime-voice-operator validate -f ${path})`);
  }
  return inventoryOfObjects(`manifests (${path})`, loaded.objects.map((m) => m.object));
}

async function awsInventory(opts: AwsTargetOptions & { regions?: readonly string[] }, io: Pick<IO, 'stderr'>): Promise<RouteInventory> {
  const { openAws } = await import('../aws-target.js');
  const { readAwsInventory } = await import('../../domain/routes/read-aws.js');
  const target = await openAws(opts, io);
  try {
    return await readAwsInventory(target.aws, target.where === `AWS ${opts.region}` ? `AWS (${opts.region})` : `AWS (${target.where})`, opts.regions);
  } catch (err) {
    throw new SourceError(`could not read the routes from ${target.where}: ${(err as Error).name}: ${(err as Error).message}`);
  } finally {
    await target.close();
  }
}

async function clusterInventory(opts: RoutesOptions): Promise<RouteInventory> {
  const { KubeClient, loadKubeConfig, useContext } = await import('../../runtime/kube.js');
  let client: InstanceType<typeof KubeClient>;
  try {
    client = new KubeClient(useContext(loadKubeConfig(opts.kubeconfig), opts.context));
  } catch (err) {
    throw new SourceError(`cannot use the kubeconfig: ${(err as Error).message}`);
  }
  const kinds = ['PhoneNumber', 'VoiceConnector', 'VoiceConnectorGroup', 'SipMediaApplication', 'SipRule'];
  const objects = [];
  for (const kind of kinds) {
    try {
      objects.push(...(await client.list(kind, opts.namespace)).items.map((o) => ({ ...o, kind })));
    } catch (err) {
      throw new SourceError(`could not list ${kind} objects${opts.namespace ? ` in namespace ${opts.namespace}` : ''} from the cluster: ${(err as Error).message}`);
    }
  }
  return inventoryOfObjects(`cluster${opts.namespace ? ` (namespace ${opts.namespace})` : ''}`, objects);
}

export async function runRoutes(opts: RoutesOptions, io: IO): Promise<number> {
  const readsAws = opts.aws === true || opts.endpoint !== undefined || opts.emulator === true;
  // As kubectl chime, the current context's cluster is the source when none is named.
  const readsCluster = opts.cluster === true || opts.kubeconfig !== undefined || opts.context !== undefined || (isKubectlPlugin() && opts.filename === undefined && !readsAws);
  const sources = [opts.filename !== undefined, readsCluster, readsAws].filter(Boolean).length;
  if (sources === 0) {
    io.stderr.write('routes: say where the routes come from: -f DIR (manifests), --aws, --endpoint or --emulator (AWS), or --cluster\n');
    return EXIT.usage;
  }
  if (sources > 2) {
    io.stderr.write('routes: at most two sources side by side: choose two of -f, --cluster and AWS\n');
    return EXIT.usage;
  }
  if (opts.namespace !== undefined && !readsCluster) {
    io.stderr.write('routes: --namespace is for --cluster\n');
    return EXIT.usage;
  }
  let maps: RouteMap[];
  try {
    const inventories: RouteInventory[] = [];
    if (opts.filename !== undefined) inventories.push(await manifestInventory(opts.filename, io));
    if (readsCluster) inventories.push(await clusterInventory(opts));
    if (readsAws) inventories.push(await awsInventory(opts, io));
    maps = inventories.map(buildRoutes);
  } catch (err) {
    if (!(err instanceof SourceError)) throw err;
    io.stderr.write(`routes: ${err.message}\n`);
    return EXIT.failure;
  }

  if (opts.number !== undefined) {
    const query = opts.number;
    const found = maps.map((m) => findNumber(m, query));
    if (found.every((f) => f === undefined)) {
      const known = maps[0].numbers.map((n) => n.id);
      io.stderr.write(`routes: no number ${query} in ${maps.map((m) => m.source).join(' or ')}${known.length ? ` (numbers: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', ...' : ''})` : ''}\n`);
      return EXIT.failure;
    }
    maps = maps.map((m, i) => (found[i] ? onlyNumber(m, found[i]) : { ...m, numbers: [], hostnameRules: [], connectors: [], findings: [] }));
  }

  const paint = painter(io.stdout);
  if (maps.length === 1) {
    const map = maps[0];
    const out: Record<RoutesOptions['output'], () => string> = {
      text: () => routesText(map, { paint }),
      mermaid: () => routesMermaid(routeGraph(map)),
      dot: () => routesDot(routeGraph(map)),
      svg: () => routesSvg(routeGraph(map)),
      html: () => routesHtml(map),
      json: () => `${JSON.stringify(map, null, 2)}\n`,
    };
    io.stdout.write(out[opts.output]());
  } else {
    const cmp = compareRoutes(maps[0], maps[1]);
    const out: Record<RoutesOptions['output'], () => string> = {
      text: () => comparisonText(cmp, { paint }),
      mermaid: () => routesMermaid(comparisonGraph(cmp)),
      dot: () => routesDot(comparisonGraph(cmp)),
      svg: () => routesSvg(comparisonGraph(cmp)),
      html: () => routesHtml(cmp),
      json: () => `${JSON.stringify({ left: cmp.left, right: cmp.right, numbers: cmp.numbers.map((p) => ({ id: p.id, same: p.same })), connectors: cmp.connectors.map((c) => ({ key: c.key, same: c.same })) }, null, 2)}\n`,
    };
    io.stdout.write(out[opts.output]());
  }
  const findings = maps.flatMap((m) => m.findings);
  if (opts.failOn === 'broken' && findings.some((f) => f.severity === 'broken')) return EXIT.failure;
  if (opts.failOn === 'risky' && findings.length > 0) return EXIT.failure;
  return EXIT.ok;
}
