/**
 * Every condition type, condition reason and Event reason the controller can set, with what it
 * means and what a person does about it. docs/conditions.md is generated from this table
 * (scripts/generate.ts), and test/docs/reasons.test.ts scans src/ for reasons the code sets and
 * fails when one is missing here (or listed here but set nowhere), so the docs follow the code.
 * Kinds may import the names from here; the explanations are what this file is for.
 */

/** Where a reason shows: the condition it is the reason of (and so the state of the object). */
export type ReasonShows =
  /** Ready=True. */
  | 'Ready'
  /** Ready=False and Reconciling=True: the controller is working on it or waiting; no action needed unless it lasts. */
  | 'Reconciling'
  /** Ready=False and Stalled=True: the controller will not get further without a person. */
  | 'Stalled'
  /** The Drifted condition. */
  | 'Drifted'
  /** A kind-specific warning condition (status True while the warning holds). */
  | 'Warning'
  /** Ready=False in the output of `plan` (never written to a cluster). */
  | 'Plan'
  /** Ready=False of an object being deleted, or of the last status directory mode prints for it. */
  | 'Deletion';

export interface ReasonDoc {
  shows: ReasonShows[];
  /** What happened, in a telephony engineer's words. */
  meaning: string;
  /** What to do about it ("nothing" is an answer). */
  action: string;
}

/** Condition types every kind carries, and the warnings some kinds add (KindDescriptor.extraConditionTypes). */
const conditionTypes = {
  Ready: {
    kinds: 'every',
    meaning:
      'Always present. True when the AWS resource exists and matches the spec (or, under driftPolicy Report, exists); False with the reason why not. `kubectl wait --for=condition=Ready` waits on it.',
  },
  Reconciling: {
    kinds: 'every',
    meaning: 'Present only while True (kstatus): the controller is making progress or waiting for something that resolves by itself (an order, a reference, a retry).',
  },
  Stalled: {
    kinds: 'every',
    meaning: 'Present only while True (kstatus): progress needs a person: a spec AWS refuses, a conflict, a blocker outside this project. The message says what to change.',
  },
  Drifted: {
    kinds: 'every',
    meaning:
      'Present once AWS has been observed. True when AWS differs from the spec; status.drift lists each field as {path, desired, actual}. Under driftPolicy Correct drift is changed back on the same pass, so True lasts only while the correction is in flight.',
  },
  Suspended: {
    kinds: 'every',
    meaning:
      'Present only while True: the annotation chimevoice.io/reconcile: disabled suspends the object; nothing is read from or written to AWS for it, and the other conditions are those of the last reconcile. status.suspended is true meanwhile (the SUSPENDED printer column).',
  },
  Conflict: { kinds: 'some', meaning: 'VoiceGlobalSettings: another object manages the same account\'s settings; this one changes nothing.' },
  DuplicateRecording: { kinds: 'some', meaning: 'CallAnalyticsConfiguration: recording and post-call analytics are both on, so calls are recorded twice (A1).' },
  ConsentRequired: {
    kinds: 'some',
    meaning: 'Declared by VoiceProfileDomain and CallAnalyticsConfiguration for the biometric consent acknowledgement (A3); today the missing consent shows as Stalled with reason ConsentRequired.',
  },
  CallingNamePending: { kinds: 'some', meaning: 'PhoneNumber: carriers are still applying the calling name (up to 72 hours, PN6), or AWS reports that the update failed.' },
} satisfies Record<string, { kinds: 'every' | 'some'; meaning: string }>;

const conditionReasons = {
  // ---- Ready --------------------------------------------------------------------------------------
  Available: {
    shows: ['Ready'],
    meaning: 'The AWS resource exists and matches the spec; under driftPolicy Report it exists, and any drift is listed in status.drift.',
    action: 'Nothing.',
  },
  InSync: {
    shows: ['Drifted', 'Plan'],
    meaning: 'Drifted=False: AWS matches the spec. In `plan`, the object needs no AWS call.',
    action: 'Nothing.',
  },

  // ---- Drift --------------------------------------------------------------------------------------
  DriftDetected: {
    shows: ['Drifted'],
    meaning: 'AWS differs from the spec at the paths in status.drift, and driftPolicy Correct changes AWS back (the DriftCorrected Event says what was sent).',
    action: 'Find who changed AWS behind the controller (CloudTrail names the caller: the console, a script, another tool); if it keeps coming back, stop that writer, or set driftPolicy: Report to leave AWS as it is.',
  },
  DriftReported: {
    shows: ['Drifted'],
    meaning: 'AWS differs from the spec at the paths in status.drift, and driftPolicy Report leaves AWS as it is.',
    action: 'Either update the spec to what AWS holds, or set driftPolicy: Correct (or remove it) to have AWS changed back.',
  },

  // ---- Progress (Reconciling) ---------------------------------------------------------------------
  AwaitingConsistency: {
    shows: ['Reconciling', 'Deletion'],
    meaning:
      'AWS accepted the calls but does not show the result yet (eventual consistency, API5), or a create recorded in status.createPending does not show in its listing yet; the controller looks again in about 5 seconds (reading the resource by id where its id is known) instead of writing twice. A recorded create is waited for until its grace period (10 minutes) ends.',
    action: 'Nothing. If it lasts minutes, check the AWS service health and the chimevoice_aws_calls_total metric for errors.',
  },
  CreateIntentNotRecorded: {
    shows: ['Reconciling'],
    meaning:
      'A create was due, but its intent could not be written to status (the API server, or the status file in directory mode), and a create is never sent unrecorded: a restart could not know it was made.',
    action: 'Nothing if it passes; else check that the controller can patch status (RBAC, API server health) or that the status file is writable.',
  },
  ReferenceNotFound: {
    shows: ['Reconciling'],
    meaning: 'An object this one references (by `...Ref`) does not exist in the same namespace; in a cluster this includes a Secret named by `passwordSecretRef`, which is read again on each pass until it exists.',
    action: 'Create the referenced object (or Secret), or fix the name in the reference. `validate` finds dangling references in a folder before anything runs.',
  },
  ReferenceNotReady: {
    shows: ['Reconciling'],
    meaning: 'A referenced object exists but is not Ready yet (or has no AWS id yet); this object waits for it and is looked at again when it changes.',
    action: 'Look at the referenced object\'s own conditions: it is the one to fix.',
  },
  NumberChosen: {
    shows: ['Reconciling'],
    meaning: 'PhoneNumber: a number matching spec.order was chosen from the search and recorded in status.atProvider.e164 before ordering (PN1), so a crash never orders a second one.',
    action: 'Nothing: the order is placed on the next pass.',
  },
  OrderProcessing: {
    shows: ['Reconciling'],
    meaning: 'PhoneNumber: the order is placed and AWS is still acquiring the number (PN1); checked again every 10 seconds.',
    action: 'Nothing. Orders usually finish within minutes; a Failed or Partial order shows as NotInInventory with the per-number reason.',
  },
  PortingInProgress: {
    shows: ['Reconciling'],
    meaning: 'PhoneNumber: the claimed number is being ported in (Submitted, PendingDocuments, FOC, ...; PN1); checked every 15 minutes. The message carries the porting order\'s status.',
    action: 'Follow the porting case with AWS Support (PendingDocuments means they wait for you).',
  },
  AssignmentWaiting: {
    shows: ['Reconciling'],
    meaning: 'PhoneNumber: the number exists, and its assignment waits for the voice connector or group it is assigned to.',
    action: 'Look at the connector or group named in the message.',
  },
  CallingNameCooldown: {
    shows: ['Reconciling'],
    meaning: 'PhoneNumber: the calling name changes at most once in 7 days (PN6); the message gives the time the change becomes possible, and the controller makes it then.',
    action: 'Nothing, or put the old calling name back in the spec.',
  },
  NoNumberAvailable: {
    shows: ['Reconciling'],
    meaning: 'PhoneNumber: the search for spec.order found no number that is not already taken; the controller searches again in 15 minutes. Nothing was ordered.',
    action: 'Widen the criteria (another area code or city, or only the state), or wait.',
  },
  DeletionWaiting: {
    shows: ['Deletion'],
    meaning: 'Deletion waits for other objects of this project that must go first (numbers off a connector, VC8; rules disabled before their application, S3; a group emptied, G3). Reconciling is True meanwhile.',
    action: 'Nothing: they are removed in order. If one of them is Stalled, fix that one.',
  },
  DeletionPending: {
    shows: ['Plan'],
    meaning:
      'In a preview of a deletion (`destroy --dry-run`, `plan --prune`): the object would be deleted with the calls listed; calls marked `(after ...)` wait for the deletion of the objects of this project named there.',
    action: 'Nothing.',
  },
  ChangesPending: {
    shows: ['Plan'],
    meaning:
      '`plan` found AWS calls to make for this object (listed in the plan output, those that wait for AWS, such as a number\'s assignment after its order completes, marked `(after ...)`); `plan` exits with 3.',
    action: 'Run `apply` to make them, or change the spec.',
  },

  // ---- Recoverable AWS errors (Reconciling, retried with backoff) ---------------------------------
  AwsThrottled: {
    shows: ['Reconciling'],
    meaning: 'AWS throttled the calls (ThrottledClientException) beyond what the SDK\'s adaptive retries absorb; the object is retried with exponential backoff and jitter.',
    action: 'Nothing, unless it persists: lower `--aws-concurrency`, raise `--resync`, or ask AWS for a higher rate quota.',
  },
  AwsConflict: {
    shows: ['Reconciling'],
    meaning: 'AWS answered ConflictException: another change to the same resource was in flight. Retried with backoff.',
    action: 'Nothing, unless another tool keeps changing the same resource.',
  },
  AwsNotFound: {
    shows: ['Reconciling'],
    meaning: 'AWS answered NotFoundException during a change: usually a resource just created and not yet visible (API5), or removed behind the controller\'s back. Retried with backoff.',
    action: 'Nothing; if it persists, check whether someone deleted the resource in AWS.',
  },
  AwsUnavailable: {
    shows: ['Reconciling'],
    meaning: 'AWS answered with a server error (ServiceFailure 500, ServiceUnavailable 503). Retried with backoff.',
    action: 'Nothing; check the AWS Health Dashboard if it lasts.',
  },
  AwsUnreachable: {
    shows: ['Reconciling'],
    meaning: 'Nothing answered at the AWS endpoint: the connection was refused or dropped (ECONNREFUSED, ECONNRESET, EHOSTUNREACH) after the SDK\'s own retries. The controller retries with backoff; `plan` and `apply` stop the pass, report the endpoint and the cause once, and list the objects not planned or applied (`apply --watch` tries again with backoff).',
    action: 'Check --endpoint (an emulator must be running there), the network path and any proxy.',
  },
  AwsEndpointNotFound: {
    shows: ['Reconciling'],
    meaning: 'The AWS endpoint\'s host name does not resolve (DNS: ENOTFOUND, EAI_AGAIN). Handled as AwsUnreachable.',
    action: 'Check the spelling of --endpoint or --region, and the DNS resolver of the machine or pod.',
  },
  AwsTimeout: {
    shows: ['Reconciling'],
    meaning: 'The AWS endpoint did not answer in time (ETIMEDOUT, TimeoutError). Handled as AwsUnreachable.',
    action: 'Check the network path to the endpoint (firewalls, security groups, NAT, proxies).',
  },
  AwsTlsError: {
    shows: ['Reconciling'],
    meaning: 'The TLS handshake with the endpoint failed: a self-signed, expired or mismatched certificate, or a protocol error. Handled as AwsUnreachable; the certificate is never ignored.',
    action: 'Point --endpoint at a server with a certificate the machine trusts (NODE_EXTRA_CA_CERTS adds a private CA), or use http:// for a local emulator.',
  },
  ReconcileError: {
    shows: ['Reconciling'],
    meaning: 'An error that is neither an AWS answer, nor a network failure, nor a known condition: most likely a bug. Retried with backoff; the message has the error.',
    action: 'Read the message and the controller log (the `reconcile failed` lines); check that the endpoint is reachable. Anything that persists is worth an issue.',
  },

  // ---- Stalled: the spec or the account needs a person ---------------------------------------------
  InvalidSpec: {
    shows: ['Stalled'],
    meaning: 'The spec asks for something AWS would refuse, found before any call (a Secret without the key named, a Secret missing from a folder, a duplicate entry, an ownership tag set by hand, a number in the wrong product type, ...). Nothing was sent to AWS. (In a cluster a missing Secret is waited for: ReferenceNotFound.)',
    action: 'Fix the spec (or the Secret) as the message says; the object is reconciled again when it changes (a Secret edit is seen at the next resync, or at once with `reconcile KIND/NAME`).',
  },
  AwsRejectedSpec: {
    shows: ['Stalled'],
    meaning: 'AWS refused the request as a bad request (BadRequestException); the message is AWS\'s. Not retried until the spec changes.',
    action: 'Fix the spec as AWS\'s message says. If the spec looks right, `validate` it and compare with docs/reference/.',
  },
  AwsValidation: {
    shows: ['Stalled'],
    meaning: 'The request failed the SDK\'s or AWS\'s input validation (ValidationException).',
    action: 'Fix the spec as the message says.',
  },
  AwsUnprocessableEntity: {
    shows: ['Stalled'],
    meaning: 'AWS understood the request but cannot do it in the current state (UnprocessableEntityException), such as a setting a region does not offer.',
    action: 'Read AWS\'s message; change the spec or the state it names.',
  },
  AwsLimitExceeded: {
    shows: ['Stalled'],
    meaning: 'An account quota is reached (ResourceLimitExceededException): at most 3 voice connector groups (G1), 3 voice profile domains (A4), and the connector and number quotas of the account.',
    action: 'Delete something of that type, or request a quota increase from AWS; then touch the object (or wait for the resync).',
  },
  AwsAccessDenied: {
    shows: ['Stalled'],
    meaning: 'The controller\'s AWS identity may not make this call (AccessDeniedException).',
    action: 'Grant the action named in the message to the controller\'s role (see docs/operations.md, IAM).',
  },
  AwsForbidden: {
    shows: ['Stalled'],
    meaning: 'AWS refused the call (ForbiddenException): the account or identity may not use the Chime SDK in this region, or the action is not allowed.',
    action: 'Check the role\'s permissions and that the Chime SDK is available to the account in --region.',
  },
  AwsUnauthorizedClient: {
    shows: ['Stalled'],
    meaning: 'AWS does not accept the client\'s credentials (UnauthorizedClientException).',
    action: 'Check the credentials the controller runs with (IRSA or Pod Identity role, profile, environment).',
  },
  AwsGone: {
    shows: ['Stalled'],
    meaning: 'The resource is gone for good (GoneException), such as a phone number released after the 7-day deletion queue (PN7).',
    action: 'Change the spec to something that exists (another number, or spec.order), or delete the object.',
  },
  AwsCredentialsMissing: {
    shows: ['Stalled'],
    meaning: 'The AWS SDK found no credentials in the default chain (CredentialsProviderError); retrying would not find any.',
    action: 'Give the controller credentials: IRSA or EKS Pod Identity in a cluster, a profile, SSO or environment variables elsewhere (see docs/operations.md, IAM). Against an emulator, pass --endpoint without AWS_PROFILE or AWS_ACCESS_KEY_ID set.',
  },
  AwsCredentialsRefused: {
    shows: ['Stalled'],
    meaning: 'AWS refused the credentials as a whole: expired (ExpiredTokenException, an SSO session or assumed role that ran out), unknown (InvalidClientTokenId, UnrecognizedClientException) or signed wrongly. No call can succeed with them.',
    action: 'Renew the credentials (`aws sso login`, a fresh role session) or fix the key pair; in a cluster, check the IRSA or Pod Identity role.',
  },
  OwnershipConflict: {
    shows: ['Stalled'],
    meaning: 'A resource with this object\'s AWS name exists but carries no ownership marker of this object (another tool, or another object, made it), or the id in the chimevoice.io/external-id annotation does not exist. Nothing is taken over silently.',
    action: 'To manage the existing resource, set the annotation chimevoice.io/external-id: <its id>; otherwise choose another spec.name. Fix or remove a wrong annotation.',
  },
  ClaimConflict: {
    shows: ['Stalled', 'Deletion'],
    meaning:
      'Another object of the same kind, created earlier (then by namespace/name), claims the same AWS resource: the same E.164 number, the same chimevoice.io/external-id, or the same name where the name identifies the resource (groups, SIP rules). Two objects would undo each other\'s writes, so this one writes nothing to AWS, and deleting it leaves the resource to the other. The message names the other object.',
    action: 'Remove the claim from one of the two objects (another number, another spec.name, or delete the duplicate). `validate` reports the same pair in a folder.',
  },
  AccountNotFound: {
    shows: ['Stalled', 'Deletion'],
    meaning: 'The object uses an AwsAccount (spec.accountRef, or its namespace\'s annotation chimevoice.io/account) that does not exist, or the controller runs without --accounts and so reads none. Nothing is written to AWS.',
    action: 'Create the AwsAccount (a cluster administrator), correct the name, or start the controller with --accounts (Helm: accounts.enabled).',
  },
  AccountNotGranted: {
    shows: ['Stalled', 'Deletion'],
    meaning: 'The object\'s namespace may not use the AwsAccount it selects: the account\'s spec.tenancy neither lists the namespace in allowedNamespaces nor matches it by namespaceSelector. Nothing is written to AWS. While being deleted, an object that holds nothing in AWS goes; one that does stays until the grant is back.',
    action: 'Ask the cluster administrator to grant the namespace on the AwsAccount, or select an account the namespace is granted.',
  },
  ReferenceInOtherAccount: {
    shows: ['Stalled'],
    meaning: 'The object references an object whose AWS resource is in another account (their spec.accountRef or namespace annotations select different AwsAccounts). An AWS resource can only use resources of its own account, so nothing is written.',
    action: 'Select the same account for both objects (the namespace annotation chimevoice.io/account is the simplest way).',
  },
  AccountChanged: {
    shows: ['Stalled', 'Plan'],
    meaning: 'The object\'s AWS resource is in one account (status.account) and its spec or namespace now selects another. A resource cannot move between AWS accounts: moving is a replacement, which the controller never does silently, so nothing is written in either account. `plan` says "moves to account X: replace".',
    action: 'Select the old account again, or delete the object (its deletionPolicy applies in the old account) and create it again in the new one.',
  },
  ReplacementRequired: {
    shows: ['Stalled'],
    meaning: 'The spec changes a field AWS cannot change in place (a region or network type, VC1, S1; a SIP rule\'s trigger, S4). The rest of the object is left as it is.',
    action: 'Put the old value back, or create a new object with the new value and delete this one (the CRD refuses such edits at admission in a cluster).',
  },
  NotFound: {
    shows: ['Stalled'],
    meaning: 'The resource does not exist in AWS and this spec cannot create it (for example, a claim of something the account does not hold).',
    action: 'Create or import the resource in AWS, or change the spec so the controller creates it.',
  },
  ConsentRequired: {
    shows: ['Stalled'],
    meaning: 'Speaker search and voice analytics process biometric data (A3): the consent acknowledgement is missing from the spec, so nothing was created.',
    action: 'Once the notices and consents are in place, set spec.consent.acknowledged: true (see the kind\'s reference).',
  },
  GlobalSettingsConflict: {
    shows: ['Stalled', 'Warning'],
    meaning: 'VoiceGlobalSettings: another object manages the same AWS account\'s settings (the oldest wins); this one changes nothing.',
    action: 'Delete one of the objects, or merge them into the one the message names.',
  },
  DocumentsRequired: {
    shows: ['Stalled'],
    meaning: 'PhoneNumber: the country of spec.order needs identity documents for this number type (PN3), so it cannot be ordered through the API. No order was placed; the message lists the documents.',
    action: 'Request the number through an AWS Support case with those documents, then claim it with spec.e164.',
  },
  CountryNotSupported: {
    shows: ['Stalled'],
    meaning: 'PhoneNumber: AWS offers no numbers of that country and type for this product type; the message lists what is offered.',
    action: 'Change spec.order (country, numberType) or spec.productType.',
  },
  NotInInventory: {
    shows: ['Stalled'],
    meaning: 'PhoneNumber: the claimed number (spec.e164) is not in the account\'s inventory, or an order ended Failed or Partial without it (the message gives AWS\'s per-number reason).',
    action: 'Claim a number the account holds, port it in first, or order one with spec.order.',
  },
  PortingCancelled: {
    shows: ['Stalled'],
    meaning: 'PhoneNumber: the porting order of the claimed number was cancelled.',
    action: 'Start a new port with AWS Support, or claim or order another number.',
  },
  InDeletionQueue: {
    shows: ['Stalled'],
    meaning: 'PhoneNumber: the number is in AWS\'s 7-day deletion queue (PN7) and driftPolicy Report forbids restoring it (under Correct it is restored, not ordered anew).',
    action: 'Set driftPolicy: Correct to restore it, or delete the object to let it go.',
  },
  NumberUnusable: {
    shows: ['Stalled'],
    meaning: 'PhoneNumber: AWS reports the number in a status that is neither Assigned nor Unassigned (such as Failed or ReleaseInProgress).',
    action: 'Look at the number in AWS; claim or order another one.',
  },
  ProductTypeChangeBlocked: {
    shows: ['Stalled'],
    meaning: 'PhoneNumber: the product type can change only while the number is unassigned (PN5), and it is the trigger of a SIP rule, which is never unassigned (PN4).',
    action: 'Delete that SipRule or give it another trigger first, or keep the product type.',
  },
  AssignmentBlocked: {
    shows: ['Stalled'],
    meaning: 'PhoneNumber: the number is the trigger of a SIP rule and cannot be assigned to a voice connector or group (PN4).',
    action: 'Delete the SipRule that uses it, or remove spec.assignment.',
  },
  AssignmentFailed: {
    shows: ['Stalled'],
    meaning: 'PhoneNumber: AWS answered the association call with a per-number error (API4); the message has AWS\'s code and text.',
    action: 'Fix what AWS names (product type, connector state); the controller retries every 5 minutes.',
  },
  DeletionBlocked: {
    shows: ['Deletion', 'Stalled'],
    meaning: 'Deletion is blocked by something this project does not manage (numbers assigned by hand, a rule made in the console, a connector using a configuration); the message names it. Retried every minute; nothing is forced.',
    action: 'Remove the blocker in AWS, or set deletionPolicy: Retain to let the object go and leave the resource.',
  },
  Deleted: {
    shows: ['Deletion'],
    meaning: 'The AWS resource is deleted (or was already gone); the finalizer is removed.',
    action: 'Nothing.',
  },
  Retained: {
    shows: ['Deletion'],
    meaning: 'deletionPolicy Retain: the object went, and its AWS resource was left untouched.',
    action: 'Nothing. To manage the resource again, create an object with the chimevoice.io/external-id annotation.',
  },

  // ---- Warnings -------------------------------------------------------------------------------------
  ReconcileDisabled: {
    shows: ['Warning'],
    meaning:
      'Suspended: the annotation chimevoice.io/reconcile: disabled stops reconciliation of this object (no AWS call, no drift correction, no deletion under deletionPolicy Delete) until it is removed.',
    action: 'Remove the annotation (`chime-voice-operator resume KIND/NAME`, or `kubectl annotate ... chimevoice.io/reconcile-`) to reconcile again.',
  },
  DuplicateRecording: {
    shows: ['Warning'],
    meaning: 'CallAnalyticsConfiguration: recording and post-call analytics are both on, so every call is recorded twice (A1).',
    action: 'Turn one of them off, unless you want both copies.',
  },
  UpdateInProgress: {
    shows: ['Warning'],
    meaning: 'PhoneNumber (CallingNamePending): carriers are applying the new calling name; it takes up to 72 hours (PN6).',
    action: 'Nothing.',
  },
  UpdateFailed: {
    shows: ['Warning'],
    meaning: 'PhoneNumber (CallingNamePending): AWS reports that the calling name update failed.',
    action: 'Check the calling name (2 to 15 letters, digits or spaces) and ask AWS Support; change it again after the 7-day cooldown.',
  },
} satisfies Record<string, ReasonDoc>;

/** Reasons of the Kubernetes Events the controller records (`kubectl get events`, `kubectl describe`). */
const eventReasons = {
  Created: { type: 'Normal', meaning: 'The AWS resource was created; the message lists the calls made.' },
  Updated: {
    type: 'Normal',
    meaning:
      'AWS was changed towards the spec: a spec change, or a step of a first convergence that follows the create (a number\'s calling name once its order completed); the message lists the calls made.',
  },
  Assigned: {
    type: 'Normal',
    meaning: 'PhoneNumber: the number was associated with the voice connector or group of spec.assignment (after its order completed, or after a spec change); the message lists the calls made.',
  },
  DriftDetected: {
    type: 'Warning',
    meaning:
      'AWS differs from a spec it matched before (the object was Ready at this generation, status.convergedGeneration): someone or something changed AWS behind the controller. The message lists the paths. The steps of a first convergence or of a spec change are never reported as drift.',
  },
  DriftCorrected: { type: 'Normal', meaning: 'driftPolicy Correct: AWS was changed back to the spec; the message lists the calls made.' },
  Blocked: { type: 'Warning', meaning: 'A change needs replacement, or a deletion is blocked by something this project does not manage.' },
  Waiting: { type: 'Normal', meaning: 'A deletion waits for other objects of this project to go first.' },
  Failed: { type: 'Warning', meaning: 'A call failed for good (the condition reason says how); nothing more is tried until the spec changes.' },
  Deleted: { type: 'Normal', meaning: 'The AWS resource was deleted; the message lists the calls made.' },
  Retained: { type: 'Normal', meaning: 'deletionPolicy Retain: the AWS resource was left in place.' },
  Suspended: { type: 'Normal', meaning: 'The annotation chimevoice.io/reconcile: disabled suspended reconciliation: nothing is written to AWS for the object until it is removed.' },
  Resumed: { type: 'Normal', meaning: 'The annotation chimevoice.io/reconcile: disabled was removed: the object is reconciled again.' },
  CreateRetried: {
    type: 'Warning',
    meaning:
      'A create recorded in status.createPending left nothing visible in AWS within its grace period (10 minutes): it evidently failed, and the create is sent again.',
  },
} satisfies Record<string, { type: 'Normal' | 'Warning' | 'Normal or Warning'; meaning: string }>;

/**
 * The reasons as types: a condition reason, Event reason or condition type the catalog does not
 * list fails to compile where the engine, the errors and the kinds set one (the scan in
 * test/docs/reasons.test.ts covers what the compiler cannot see, such as classify()'s AWS names).
 */
export type ConditionReason = keyof typeof conditionReasons;
export type EventReason = keyof typeof eventReasons;
export type ConditionType = keyof typeof conditionTypes;

/** Lookups by any string (docs, the scan): the same tables, widened. */
export const CONDITION_TYPES: Readonly<Record<string, { kinds: 'every' | 'some'; meaning: string }>> = conditionTypes;
export const CONDITION_REASONS: Readonly<Record<string, ReasonDoc>> = conditionReasons;
export const EVENT_REASONS: Readonly<Record<string, { type: 'Normal' | 'Warning' | 'Normal or Warning'; meaning: string }>> = eventReasons;

/** Whether a string read from outside the code (a status, an AWS error name) is a catalogued condition reason. */
export function isConditionReason(reason: string): reason is ConditionReason {
  return Object.hasOwn(conditionReasons, reason);
}

/**
 * A Warning Event's message with what to do next, from the catalog's `action` for the condition
 * reason it goes with: the one place that says it, so an Event, its condition and
 * docs/conditions.md give the same advice. `kubectl get events` shows the Event without the
 * condition beside it, which is why the Event carries it.
 */
export function withNextStep(message: string, reason: ConditionReason): string {
  const action = conditionReasons[reason].action;
  return `${message.replace(/[.\s]+$/, '')} [${reason}]. Next: ${action}`;
}
