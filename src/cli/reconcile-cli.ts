// `reconcile`, `suspend` and `resume` as the command line sees them. What they do is in
// reconcile-command.ts, imported when one runs, so that `--help` loads neither the Kubernetes
// client nor the schemas.
import type { Command } from 'commander';
import { durationOption } from './engine-cli.js';
import type { IO } from './engine-options.js';
import type { ObjectCommand, ObjectCommandOptions } from './reconcile-command.js';

const TARGET = 'KIND/NAME';
const TARGET_HELP = 'the object, as kubectl names it: kind, plural or short name, then its name (voiceconnector/office-pbx-trunk, vc/office-pbx-trunk, phonenumbers.chimevoice.io/main)';

function objectCommand(program: Command, io: IO, name: ObjectCommand, description: string, defaultTimeoutMs: number): Command {
  return program
    .command(`${name} <${TARGET}>`)
    .description(description)
    .option('-n, --namespace <ns>', "the object's namespace (default: the namespace of the current kube context, else default)")
    .option('--kubeconfig <file>', 'kubeconfig file (default: in-cluster config, then KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'the kube context to use (default: the current one)')
    .addOption(durationOption('--timeout <duration>', 'how long to wait for the controller', defaultTimeoutMs))
    .addHelpText('after', `\n  ${TARGET}: ${TARGET_HELP}\n`)
    .action(async (target: string, opts: ObjectCommandOptions) => {
      process.exitCode = await (await import('./reconcile-command.js')).runObjectCommand(name, target, opts, io);
    });
}

export function registerReconcileCommands(program: Command, io: IO): void {
  objectCommand(
    program,
    io,
    'reconcile',
    'Reconcile one object now: sets the annotation chimevoice.io/reconcile-requested-at to the current time, which the controller handles with one reconcile (reading AWS as it is now) and echoes in status.lastHandledReconcileAt. With --wait, waits until that reconcile is done and the object is Ready or Stalled, and prints the outcome (exit 0 Ready, 1 Stalled or suspended, 4 timed out).',
    120_000,
  ).option('--wait', 'wait for the reconcile and print its outcome (Ready, Stalled, or still in progress at --timeout)');
  objectCommand(
    program,
    io,
    'suspend',
    'Suspend the reconciliation of one object: sets the annotation chimevoice.io/reconcile: disabled; the controller then writes nothing to AWS for it (no drift correction, no deletion under deletionPolicy Delete) until `resume`. Waits until the controller confirms it in status.suspended.',
    60_000,
  );
  objectCommand(
    program,
    io,
    'resume',
    'Resume the reconciliation of a suspended object: removes the annotation chimevoice.io/reconcile and waits until the controller has reconciled the object again (status.suspended gone), printing its state.',
    60_000,
  );
}
