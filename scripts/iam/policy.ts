// The IAM policy the controller needs, generated from the operations src/ can call (scan.ts):
// each operation becomes `<signing name>:<operation>`, the signing name read from the service's
// API model (src/emulator/model; both Chime SDK Voice and Chime SDK Media Pipelines sign as
// `chime`, and their IAM actions are named after the operations). Writes iam/policy.json (every
// action), iam/policy-readonly.json (the reads `plan` needs) and the table in docs/iam.md.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replaceMarked } from '../marked.js';
import { ROOT, scanOperations, type OperationUse } from './scan.js';

interface ServiceModel {
  file: string;
  serviceId: string;
  signingName: string;
  operations: Set<string>;
}

/** The code's service keys (AwsService) → the serviceId of their model. */
const SERVICE_IDS: Record<string, string> = { voice: 'Chime SDK Voice', mediaPipelines: 'Chime SDK Media Pipelines' };

/**
 * Permissions AWS checks on behalf of an operation beyond its own action. Passing a role to a
 * service is authorized as iam:PassRole: the call analytics configuration's resource access role
 * goes to the media pipelines service.
 */
const PASS_ROLE: Record<string, string> = {
  CreateMediaInsightsPipelineConfiguration: 'mediapipelines.chime.amazonaws.com',
  UpdateMediaInsightsPipelineConfiguration: 'mediapipelines.chime.amazonaws.com',
};

/** IAM's access level "Read": what `plan` needs (it observes, never writes). */
export const isReadAction = (operation: string) => /^(Get|List|Search|Describe)[A-Z]/.test(operation);

export function loadModels(root = ROOT): ServiceModel[] {
  const dir = join(root, 'src/emulator/model');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const m = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { metadata: { serviceId: string; signingName?: string; endpointPrefix: string }; operations: Record<string, unknown> };
      return { file, serviceId: m.metadata.serviceId, signingName: m.metadata.signingName ?? m.metadata.endpointPrefix, operations: new Set(Object.keys(m.operations)) };
    });
}

export interface RequiredAction {
  /** e.g. chime:CreateVoiceConnector */
  action: string;
  operation: string;
  /** Service ids of the models that define the operation where the code calls it. */
  services: string[];
  /** Repository files that call it. */
  files: string[];
}

/** Every action the code needs, sorted; throws on an operation no model defines or a computed one. */
export function requiredActions(root = ROOT): RequiredAction[] {
  const { uses, unresolved } = scanOperations(root);
  if (unresolved.length > 0) {
    throw new Error(
      `AWS operations the IAM scan cannot read (use a string literal, or pass an operation named so):\n${unresolved.map((u) => `  ${u.file}:${u.line}: ${u.text}`).join('\n')}`,
    );
  }
  const models = loadModels(root);
  const byAction = new Map<string, RequiredAction>();
  const modelsFor = (u: OperationUse) => {
    if (u.service !== undefined) {
      const id = SERVICE_IDS[u.service];
      const m = models.find((x) => x.serviceId === id);
      if (!m) throw new Error(`${u.file}:${u.line}: unknown service ${u.service}`);
      if (!m.operations.has(u.operation)) throw new Error(`${u.file}:${u.line}: ${id} has no operation ${u.operation}`);
      return [m];
    }
    const found = models.filter((m) => m.operations.has(u.operation));
    if (found.length === 0) throw new Error(`${u.file}:${u.line}: no API model defines ${u.operation}`);
    return found;
  };
  for (const u of uses) {
    const ms = modelsFor(u);
    const signing = new Set(ms.map((m) => m.signingName));
    // TagResource is in both models: fine while both sign alike, ambiguous otherwise.
    if (signing.size !== 1) throw new Error(`${u.file}:${u.line}: ${u.operation} signs as ${[...signing].join(' or ')}; name its service`);
    const action = `${[...signing][0]}:${u.operation}`;
    const entry = byAction.get(action) ?? { action, operation: u.operation, services: [], files: [] };
    for (const m of ms) if (!entry.services.includes(m.serviceId)) entry.services.push(m.serviceId);
    if (!entry.files.includes(u.file)) entry.files.push(u.file);
    byAction.set(action, entry);
  }
  return [...byAction.values()]
    .map((a) => ({ ...a, services: a.services.sort(), files: a.files.sort() }))
    .sort((a, b) => (a.action < b.action ? -1 : a.action > b.action ? 1 : 0));
}

interface Statement {
  Sid: string;
  Effect: 'Allow';
  Action: string[] | string;
  Resource: string;
  Condition?: Record<string, Record<string, string | string[]>>;
}

export function buildPolicy(actions: RequiredAction[], readOnly = false): { Version: string; Statement: Statement[] } {
  const chosen = actions.filter((a) => !readOnly || isReadAction(a.operation));
  const statements: Statement[] = [
    {
      // Chime SDK Voice actions take no resource-level conditions worth relying on across every
      // operation (List* and Search* have no resource at all): the policy names actions, not ARNs.
      Sid: readOnly ? 'ChimeSdkVoiceRead' : 'ChimeSdkVoice',
      Effect: 'Allow',
      Action: chosen.map((a) => a.action),
      Resource: '*',
    },
  ];
  const passedTo = [...new Set(chosen.map((a) => PASS_ROLE[a.operation]).filter((s): s is string => s !== undefined))].sort();
  if (passedTo.length > 0) {
    statements.push({
      Sid: 'PassCallAnalyticsResourceAccessRole',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      // Narrow Resource to your resource access roles' ARNs where you can.
      Resource: '*',
      Condition: { StringEquals: { 'iam:PassedToService': passedTo.length === 1 ? passedTo[0] : passedTo } },
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}

export function policyFiles(root = ROOT): { file: string; content: string }[] {
  const actions = requiredActions(root);
  return [
    { file: 'policy.json', content: `${JSON.stringify(buildPolicy(actions), null, 2)}\n` },
    { file: 'policy-readonly.json', content: `${JSON.stringify(buildPolicy(actions, true), null, 2)}\n` },
  ];
}

/** The action table of docs/iam.md. */
export function iamDocFile(root = ROOT): { file: string; content: string } {
  const actions = requiredActions(root);
  const rows = actions.map(
    (a) => `| \`${a.action}\` | ${isReadAction(a.operation) ? 'read' : 'write'} | ${a.services.join(', ')} | ${a.files.map((f) => `\`${f.replace(/^src\//, '')}\``).join(', ')} |`,
  );
  const passRole = actions.filter((a) => PASS_ROLE[a.operation]).map((a) => `\`${a.operation}\``);
  const body = [
    `${actions.length} actions, ${actions.filter((a) => isReadAction(a.operation)).length} of them reads.`,
    '',
    '| action | access | API | called from (under `src/`) |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    passRole.length > 0 ? `Plus \`iam:PassRole\` for ${passRole.join(' and ')} (the resource access role goes to the media pipelines service).` : '',
    '',
  ].join('\n');
  return { file: 'iam.md', content: replaceMarked(join(root, 'docs/iam.md'), 'iam-actions', body) };
}
