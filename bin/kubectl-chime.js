#!/usr/bin/env node
// `kubectl chime <command>`: kubectl runs an executable named kubectl-chime that it finds on PATH,
// which npm links to this file (package.json "bin"). The same CLI as chime-voice-operator; it reads
// the current kube context as kubectl does (KUBECONFIG, ~/.kube/config) and names itself
// `kubectl chime` in its help (src/cli/program.ts).
import './chime-voice-operator.js';
