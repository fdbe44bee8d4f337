/**
 * `npm run bench`: every benchmark of the project, figures printed as a Markdown table that
 * docs/benchmarks.md quotes. Benchmarks measure; they never fail on a time.
 */
import { benchCluster, clusterOptionsFromEnv, printCluster } from './cluster.js';
import { benchEmulator } from './emulator.js';
import { benchEvents, eventsOptionsFromEnv, printEvents } from './events.js';
import { benchFleet, printFleet } from './fleet.js';
import { benchImport, printImport } from './import.js';
import { benchNumbers, benchNumbersCpu, numbersSizesFromEnv, printNumbers, printNumbersCpu } from './numbers.js';
import { benchStartup, printStartup } from './startup.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const only = process.argv[2];

if (!only || only === 'emulator') {
  console.log('## Emulator throughput\n');
  console.log('| calls | requests | seconds | requests/s |\n| --- | ---: | ---: | ---: |');
  for (const r of await benchEmulator()) console.log(`| ${r.name} | ${r.requests} | ${r.seconds.toFixed(2)} | ${Math.round(r.perSecond)} |`);
  console.log('');
}

if (!only || only === 'fleet') {
  console.log('## Directory mode: 50 voice connectors with every setting, 3 groups\n');
  printFleet(await benchFleet());
}

if (!only || only === 'fleet-latency') {
  // One object at a time (as every release before bounded concurrency ran) against the default, same calls.
  console.log('## Directory mode: the same fleet with 50 ms of latency on every AWS call\n');
  console.log('| AWS calls in flight | first convergence | steady-state resync | plan (no changes) | calls (first, resync, plan) |\n| --- | ---: | ---: | ---: | ---: |');
  for (const concurrency of [1, undefined]) {
    const [first, resync, plan] = await benchFleet(50, 3, { latencyMs: 50, plan: true, ...(concurrency ? { concurrency } : {}) });
    console.log(`| ${concurrency ?? 'default (10)'} | ${first.seconds.toFixed(2)} s | ${resync.seconds.toFixed(2)} s | ${plan.seconds.toFixed(2)} s | ${first.total}, ${resync.total}, ${plan.total} |`);
  }
  console.log('');
}

if (!only || only === 'numbers') {
  const sizes = numbersSizesFromEnv();
  if (sizes) {
    console.log(`## Directory mode: steady-state CPU per phone number at ${sizes.map((n) => n.toLocaleString('en-US')).join(', ')} numbers\n`);
    printNumbersCpu(await benchNumbersCpu(sizes));
  } else {
    console.log('## Directory mode: 1,000 phone numbers claimed, named and assigned across 10 voice connectors\n');
    printNumbers(await benchNumbers());
  }
}

if (!only || only === 'import') {
  console.log('## Import: an account of 10,000 phone numbers and 10 voice connectors\n');
  printImport(await benchImport());
}

if (!only || only === 'startup') {
  console.log('## Start-up: the CLI through tsx and compiled\n');
  printStartup(benchStartup());
}

// Starts a real API server and runs for minutes: only when asked for by name.
if (only === 'cluster') {
  const options = clusterOptionsFromEnv();
  console.log(`## The controller in a cluster: ${options.objects.toLocaleString('en-US')} VoiceConnectors\n`);
  printCluster(await benchCluster(options));
}

// Drift from CloudTrail events: a real API server and SQS server, minutes: only when asked for by name.
if (only === 'events') {
  const options = eventsOptionsFromEnv();
  console.log(`## Drift from CloudTrail events in a cluster: ${options.objects.toLocaleString('en-US')} VoiceConnectors\n`);
  printEvents(await benchEvents(options));
}
