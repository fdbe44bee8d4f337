// AwsAccount: how the controller reaches one AWS account, and which namespaces may use it
// (docs/accounts.md). Cluster-scoped: an account is granted to namespaces, not owned by one. It is
// configuration the controller reads, not a resource it reconciles in AWS, so it has no handler
// and no status beyond what `kubectl get` shows from the spec.
import type { Static } from '@sinclair/typebox';
import { PATTERNS, type ObjectMeta } from '../common.js';
import { ageColumn, defineKind } from '../kind.js';
import { List, Obj, Optional, Str, StringEnum, StringMap, cel, has } from '../schema.js';

/** The namespace annotation naming the AwsAccount objects of that namespace use when they set no spec.accountRef. */
export const ACCOUNT_ANNOTATION = 'chimevoice.io/account';

export const AssumeRole = Obj(
  {
    roleArn: Str('The IAM role to assume through STS AssumeRole, such as arn:aws:iam::210987654321:role/chime-voice-operator. Its account is the account reached.', {
      pattern: '^arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}$',
      maxLength: 2048,
    }),
    externalId: Optional(
      Str("The external id the role's trust policy requires (sts:ExternalId), if any. Not a secret by AWS's design, but shown only in this object.", {
        minLength: 2,
        maxLength: 1224,
        pattern: '^[\\w+=,.@:/-]+$',
      }),
    ),
    sessionName: Optional(
      Str('The role session name, which CloudTrail shows for every call made with the role. Defaults to chime-voice-operator.', {
        minLength: 2,
        maxLength: 64,
        pattern: '^[\\w+=,.@-]+$',
      }),
    ),
  },
  "Reach the account by assuming a role with the controller's own credentials (IRSA, EKS Pod Identity, or whatever the default credential chain finds).",
  { required: ['roleArn'] },
);
export type AssumeRole = Static<typeof AssumeRole>;

export const LabelSelectorRequirement = Obj(
  {
    key: Str('The label key.', { minLength: 1, maxLength: 317 }),
    operator: StringEnum(['In', 'NotIn', 'Exists', 'DoesNotExist'] as const, 'How the key relates to the values.'),
    values: Optional(List(Str('A label value.', { maxLength: 63 }), 'Values for In and NotIn; empty for Exists and DoesNotExist.', { maxItems: 64 })),
  },
  'A label selector requirement, as in Kubernetes.',
  {
    required: ['key', 'operator'],
    rules: [
      cel(
        "(self.operator in ['In', 'NotIn']) == (has(self.values) && size(self.values) > 0)",
        'In and NotIn need values; Exists and DoesNotExist take none',
        (self: { operator: string; values?: string[] }) => ['In', 'NotIn'].includes(self.operator) === (has(self, 'values') && (self.values ?? []).length > 0),
      ),
    ],
  },
);

export const NamespaceSelector = Obj(
  {
    matchLabels: Optional(StringMap('Labels a namespace must carry, all of them.', { maxProperties: 64 })),
    matchExpressions: Optional(List(LabelSelectorRequirement, 'Requirements a namespace must meet, all of them.', { maxItems: 64 })),
  },
  'A label selector over namespaces, as in Kubernetes. An empty selector matches every namespace.',
);
export type NamespaceSelector = Static<typeof NamespaceSelector>;

export const Tenancy = Obj(
  {
    allowedNamespaces: Optional(
      List(Str('A namespace name.', { minLength: 1, maxLength: 63, pattern: PATTERNS.dnsLabel }), 'Namespaces whose objects may use this account.', {
        listType: 'set',
        maxItems: 1024,
      }),
    ),
    namespaceSelector: Optional(NamespaceSelector),
  },
  'Which namespaces may use this account: those listed, and those the selector matches. With neither, no namespace may.',
);
export type Tenancy = Static<typeof Tenancy>;

export const AwsAccountSpec = Obj(
  {
    region: Str('The home region: where account-wide things (phone numbers, global settings) are read and written, and the STS endpoint used.', {
      default: 'us-east-1',
      pattern: PATTERNS.region,
      maxLength: 32,
    }),
    assumeRole: Optional(AssumeRole),
    tenancy: Optional(Tenancy),
  },
  "How to reach the account: without assumeRole, the controller's own credentials (the pod's); with it, a role assumed through STS.",
);
export type AwsAccountSpec = Static<typeof AwsAccountSpec>;

export const AwsAccountStatus = Obj({}, 'AwsAccount objects carry no status: the objects using one report, each in its own status, whether the account could be reached.');

export interface AwsAccount {
  apiVersion: 'chimevoice.io/v1alpha1';
  kind: 'AwsAccount';
  metadata: ObjectMeta;
  spec: AwsAccountSpec;
}

export const AwsAccountKind = defineKind({
  kind: 'AwsAccount',
  plural: 'awsaccounts',
  singular: 'awsaccount',
  shortNames: ['awsacct'],
  // Not in the chime category: `kubectl get chime` lists what the controller reconciles.
  categories: [],
  scope: 'Cluster',
  description:
    'An AWS account the controller may reach: with its own credentials or through an assumed role, its home region, and the namespaces allowed to use it. Objects select one with spec.accountRef, or a namespace by the annotation chimevoice.io/account.',
  spec: AwsAccountSpec,
  status: AwsAccountStatus,
  printerColumns: [
    { name: 'Region', type: 'string', jsonPath: '.spec.region' },
    { name: 'Role', type: 'string', jsonPath: '.spec.assumeRole.roleArn' },
    ageColumn,
  ],
  extraConditionTypes: [],
});
