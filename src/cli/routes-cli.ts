// `routes`: the command line only. What it does is in routes/command.ts, imported when it runs, so
// that `--help` loads neither the AWS SDK nor the schemas.
import { Option, type Command } from 'commander';
import type { IO } from './engine-options.js';
import { regionOption, regionsOption } from './engine-cli.js';
import { ROUTES_FORMATS, type RoutesOptions } from './routes/options.js';
import { isKubectlPlugin } from './program-name.js';

export function registerRoutesCommand(program: Command, io: IO): void {
  program
    .command('routes')
    .description(
      'Show who answers a call to each phone number (SIP rule → applications in failover order; connector or group → connectors by priority → SIP hosts), each connector\'s outbound side, and what is broken or risky; from manifests, AWS or the cluster, or two of them side by side.',
    )
    .option('-f, --filename <path>', 'routes of the manifests in this folder (searched recursively) or file')
    .option('--aws', 'routes of what AWS holds (the default credential chain: --region for numbers, groups and SIP rules, each of --regions for connectors and SIP media applications); implied by --endpoint and --emulator')
    .addOption(regionOption())
    .addOption(regionsOption('connectors and SIP media applications'))
    .addOption(new Option('--endpoint <url>', 'Chime SDK Voice endpoint to read, e.g. an emulator started with `chime-voice-operator emulator`').conflicts('emulator'))
    .option('--emulator', 'read an embedded emulator (with --emulator-state, the state an earlier apply left)')
    .option('--emulator-state <file>', 'with --emulator: the emulator state file to read')
    .option('--cluster', `routes of the chimevoice.io objects in the cluster of the current kube context (specs and statuses); implied by --kubeconfig and --context${isKubectlPlugin() ? ', and the default as kubectl chime when no other source is named' : ''}`)
    .option('--kubeconfig <file>', 'kubeconfig file (default: in-cluster config, then KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'with --cluster: the kube context to use (default: the current one)')
    .option('-n, --namespace <ns>', 'with --cluster: only this namespace (default: all)')
    .option('--number <e164>', 'only what happens when this number is called (an E.164 such as +12065550100, or a PhoneNumber name)')
    .addOption(new Option('-o, --output <format>', `output format: ${ROUTES_FORMATS.slice(0, -1).join(', ')}, or json`).choices([...ROUTES_FORMATS]).default('text'))
    .addOption(new Option('--fail-on <severity>', 'exit code 1 when something is broken (broken), or broken or risky (risky)').choices(['broken', 'risky']))
    .action(async (opts: RoutesOptions) => {
      process.exitCode = await (await import('./routes/command.js')).runRoutes(opts, io);
    });
}
