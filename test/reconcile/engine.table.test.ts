// The shared engine driven directly with a fake kind (engine-fixture.ts), table-driven in the shape
// of crossplane-runtime's managed reconciler tests: each case names why it exists (`reason`), what
// the handler and AWS do and the object asks (`args`), and what the pass must end with (`want`):
// phase, conditions, requeue, Events, and the AWS calls sent. The kinds' own tests cover what each
// kind plans; these pin the engine's decisions, which every kind shares.
import { BadRequestException, ForbiddenException, ServiceFailureException, ThrottledClientException } from '@aws-sdk/client-chime-sdk-voice';
import { describe, expect, it } from 'vitest';
import { InvalidSpecError } from '../../src/reconcile/errors.js';
import { CONDITION_REASONS } from '../../src/reconcile/reasons.js';
import type { Condition } from '../../src/api/common.js';
import type { ManagedObject, ObjectStatus, Phase, ReconcileMode, ReconcileResult } from '../../src/reconcile/types.js';
import { NOW, opsOf, rig, widget, type Behaviour, type Widget, type WidgetSpec } from './engine-fixture.js';

const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000).toISOString();
const existing = (over: Partial<Widget> = {}): Widget => ({ Id: 'w-seeded', Name: 'w', Size: 2, Region: 'us-east-1', ...over });
const throttled = () => new ThrottledClientException({ message: 'slow down', $metadata: { httpStatusCode: 429 } });
const badRequest = () => new BadRequestException({ message: 'Size is not allowed', $metadata: { httpStatusCode: 400 } });
const serviceFailure = () => new ServiceFailureException({ message: 'internal error', $metadata: { httpStatusCode: 500 } });
const readyParent = (): ManagedObject =>
  widget('parent', {}, { status: { atProvider: { widgetId: 'w-parent' }, conditions: [{ type: 'Ready', status: 'True', reason: 'Available', message: '', lastTransitionTime: minutes(-60) }] } });

/** What a pass that converged at generation 1 left: AWS matched the spec then, so a difference now is drift. */
const convergedAt = (generation: number): ObjectStatus => ({
  observedGeneration: generation,
  conditions: [{ type: 'Ready', status: 'True', reason: 'Available', message: '', observedGeneration: generation, lastTransitionTime: minutes(-60) }],
});
/** What a first convergence left while AWS was still acquiring the resource (an order in flight). */
const progressing: ObjectStatus = {
  observedGeneration: 1,
  conditions: [{ type: 'Ready', status: 'False', reason: 'OrderProcessing', message: '', observedGeneration: 1, lastTransitionTime: minutes(-1) }],
};

/** Conditions as `Type=Status/Reason`, in the order the engine writes them. */
const summary = (conditions: Condition[] | undefined) => (conditions ?? []).map((c) => `${c.type}=${c.status}/${c.reason}`);
const eventsOf = (r: ReconcileResult) => r.events.map((e) => `${e.type}/${e.reason}`);

interface Case {
  reason: string;
  args: {
    spec?: WidgetSpec;
    seed?: Widget[];
    behaviour?: Behaviour;
    mode?: 'apply' | 'plan';
    status?: ObjectStatus;
    specChanged?: boolean;
    /** Other objects in the world (references, rival claims). */
    others?: ManagedObject[];
    annotations?: Record<string, string>;
  };
  want: {
    phase: Phase;
    conditions: string[];
    requeueAfterMs?: number;
    events: string[];
    /** AWS writes sent, in order. */
    sent: string[];
    /** What the result lists as run (apply) or to run (plan). */
    actions?: string[];
    observeModes?: ReconcileMode[];
    createPending?: 'kept' | 'gone';
  };
}

const reconcileCases: Record<string, Case> = {
  CreatePath: {
    reason: 'A spec with nothing in AWS is created, observed again with the captured id, and Ready.',
    args: { spec: { size: 2 } },
    want: {
      phase: 'Ready',
      conditions: ['Ready=True/Available', 'Drifted=False/InSync'],
      events: ['Normal/Created'],
      sent: ['CreateWidget'],
      observeModes: ['apply', 'apply'],
      createPending: 'gone',
    },
  },
  InSync: {
    reason: 'AWS already matches: no call, Ready, Drifted False.',
    args: { spec: { size: 2 }, seed: [existing()] },
    want: { phase: 'Ready', conditions: ['Ready=True/Available', 'Drifted=False/InSync'], events: [], sent: [], observeModes: ['apply'] },
  },
  UnsetIsUnmanaged: {
    reason: 'A spec that leaves size unset does not manage it: whatever AWS has is in sync.',
    args: { spec: {}, seed: [existing({ Size: 9 })] },
    want: { phase: 'Ready', conditions: ['Ready=True/Available', 'Drifted=False/InSync'], events: [], sent: [] },
  },
  DriftCorrected: {
    reason: 'Under driftPolicy Correct, AWS changed behind an unchanged spec it matched before is changed back in the same pass, with DriftDetected and DriftCorrected Events.',
    args: { spec: { size: 2 }, seed: [existing({ Size: 5 })], status: convergedAt(1) },
    want: { phase: 'Ready', conditions: ['Ready=True/Available', 'Drifted=False/InSync'], events: ['Warning/DriftDetected', 'Normal/DriftCorrected'], sent: ['UpdateWidget'] },
  },
  FirstConvergenceIsProgress: {
    reason: 'The steps after a create (the object never Ready at this generation) are progress: a Normal Updated Event, no DriftDetected Warning, though the spec did not change.',
    args: { spec: { size: 2 }, seed: [existing({ Size: 5 })], status: progressing },
    want: { phase: 'Ready', conditions: ['Ready=True/Available', 'Drifted=False/InSync'], events: ['Normal/Updated'], sent: ['UpdateWidget'] },
  },
  NeverReconciledIsProgress: {
    reason: 'An object with no status yet (adopted or claimed) brought in line is progress too, not drift.',
    args: { spec: { size: 2 }, seed: [existing({ Size: 5 })] },
    want: { phase: 'Ready', conditions: ['Ready=True/Available', 'Drifted=False/InSync'], events: ['Normal/Updated'], sent: ['UpdateWidget'] },
  },
  DriftAfterFailedCorrection: {
    reason: 'A correction AWS refused for a while (the object Ready=False since) is still drift once it goes through: the spec was matched at this generation (convergedGeneration).',
    args: { spec: { size: 2 }, seed: [existing({ Size: 5 })], status: { ...progressing, convergedGeneration: 1 } },
    want: { phase: 'Ready', conditions: ['Ready=True/Available', 'Drifted=False/InSync'], events: ['Warning/DriftDetected', 'Normal/DriftCorrected'], sent: ['UpdateWidget'] },
  },
  ReadyAtOlderGenerationIsProgress: {
    reason: 'Ready at an earlier generation says nothing of the current spec: finishing a spec change is progress.',
    args: { spec: { size: 2 }, seed: [existing({ Size: 5 })], status: { ...convergedAt(0), observedGeneration: 1 } },
    want: { phase: 'Ready', conditions: ['Ready=True/Available', 'Drifted=False/InSync'], events: ['Normal/Updated'], sent: ['UpdateWidget'] },
  },
  SpecChanged: {
    reason: 'A changed spec is an update, not drift: one Updated Event.',
    args: { spec: { size: 2 }, seed: [existing({ Size: 5 })], specChanged: true },
    want: { phase: 'Ready', conditions: ['Ready=True/Available', 'Drifted=False/InSync'], events: ['Normal/Updated'], sent: ['UpdateWidget'] },
  },
  DriftReported: {
    reason: 'Under driftPolicy Report, drift is reported in Drifted and an Event, and AWS is left alone; the object stays Ready.',
    args: { spec: { size: 2, driftPolicy: 'Report' }, seed: [existing({ Size: 5 })], status: convergedAt(1) },
    want: { phase: 'Ready', conditions: ['Ready=True/Available', 'Drifted=True/DriftReported'], events: ['Warning/DriftDetected'], sent: [] },
  },
  DriftReportedBeforeConvergence: {
    reason: 'Under driftPolicy Report, a difference before the object was ever Ready is listed in Drifted but raises no Warning Event: nothing moved behind the controller.',
    args: { spec: { size: 2, driftPolicy: 'Report' }, seed: [existing({ Size: 5 })], status: progressing },
    want: { phase: 'Ready', conditions: ['Ready=True/Available', 'Drifted=True/DriftReported'], events: [], sent: [] },
  },
  DriftReportedAfterSpecChange: {
    reason: 'Under driftPolicy Report a new spec AWS does not match is not called drift in an Event (the spec moved, not AWS), and still nothing is sent.',
    args: { spec: { size: 2, driftPolicy: 'Report' }, seed: [existing({ Size: 5 })], specChanged: true },
    want: { phase: 'Ready', conditions: ['Ready=True/Available', 'Drifted=True/DriftReported'], events: [], sent: [] },
  },
  ReplacementRequired: {
    reason: 'A field that cannot change in place stalls with ReplacementRequired and a Blocked Event; nothing is deleted or recreated silently.',
    args: { spec: { size: 2, region: 'eu-west-2' }, seed: [existing()] },
    want: {
      phase: 'Stalled',
      conditions: ['Ready=False/ReplacementRequired', 'Stalled=True/ReplacementRequired', 'Drifted=True/DriftDetected'],
      events: ['Warning/Blocked'],
      sent: [],
    },
  },
  ReplacementWithInPlaceDrift: {
    reason: 'In-place drift next to a replacement is still corrected; the replacement still stalls.',
    args: { spec: { size: 2, region: 'eu-west-2' }, seed: [existing({ Size: 7 })], status: convergedAt(1) },
    want: {
      phase: 'Stalled',
      conditions: ['Ready=False/ReplacementRequired', 'Stalled=True/ReplacementRequired', 'Drifted=True/DriftDetected'],
      events: ['Warning/DriftDetected', 'Normal/DriftCorrected', 'Warning/Blocked'],
      sent: ['UpdateWidget'],
    },
  },
  ReadinessProgressing: {
    reason: 'A resource AWS is still working on is Progressing with the handler\'s reason and requeue.',
    args: { spec: { size: 2 }, seed: [existing()], behaviour: { readiness: { ready: false, reason: 'OrderProcessing', message: 'order in progress', requeueAfterMs: 30_000 } } },
    want: {
      phase: 'Progressing',
      conditions: ['Ready=False/OrderProcessing', 'Reconciling=True/OrderProcessing', 'Drifted=False/InSync'],
      requeueAfterMs: 30_000,
      events: [],
      sent: [],
    },
  },
  ReadinessStalled: {
    reason: 'A resource AWS reports as failed is Stalled (a person must act), not retried hot.',
    args: { spec: { size: 2 }, seed: [existing()], behaviour: { readiness: { ready: false, reason: 'UpdateFailed', message: 'AWS says the update failed', requeueAfterMs: 600_000, stalled: true } } },
    want: {
      phase: 'Stalled',
      conditions: ['Ready=False/UpdateFailed', 'Stalled=True/UpdateFailed', 'Drifted=False/InSync'],
      requeueAfterMs: 600_000,
      events: [],
      sent: [],
    },
  },
  ReferenceNotFound: {
    reason: 'A reference to an object that does not exist waits (Waiting, requeued), observing and sending nothing.',
    args: { spec: { size: 2, parentRef: 'parent' } },
    want: { phase: 'Waiting', conditions: ['Ready=False/ReferenceNotFound', 'Reconciling=True/ReferenceNotFound'], requeueAfterMs: 5_000, events: [], sent: [], observeModes: [] },
  },
  ReferenceNotReady: {
    reason: 'A reference to an object that is not Ready yet waits with ReferenceNotReady.',
    args: { spec: { size: 2, parentRef: 'parent' }, others: [widget('parent')] },
    want: { phase: 'Waiting', conditions: ['Ready=False/ReferenceNotReady', 'Reconciling=True/ReferenceNotReady'], requeueAfterMs: 5_000, events: [], sent: [], observeModes: [] },
  },
  ReferenceReady: {
    reason: 'A Ready reference resolves to its AWS id, which reaches the create call.',
    args: { spec: { size: 2, parentRef: 'parent' }, others: [readyParent()] },
    want: { phase: 'Ready', conditions: ['Ready=True/Available', 'Drifted=False/InSync'], events: ['Normal/Created'], sent: ['CreateWidget'] },
  },
  InvalidSpec: {
    reason: 'A spec the handler refuses is terminal: Stalled with InvalidSpec and a Failed Event, no AWS call.',
    args: { spec: { size: 0 } },
    want: { phase: 'Stalled', conditions: ['Ready=False/InvalidSpec', 'Stalled=True/InvalidSpec'], events: ['Warning/Failed'], sent: [], observeModes: [] },
  },
  ObserveTerminalError: {
    reason: 'An observe AWS refuses for good (4xx) is terminal: Stalled, Failed Event, no requeue (the source does not retry it hot).',
    args: { spec: { size: 2 }, behaviour: { observeError: badRequest() } },
    want: { phase: 'Stalled', conditions: ['Ready=False/AwsRejectedSpec', 'Stalled=True/AwsRejectedSpec'], events: ['Warning/Failed'], sent: [] },
  },
  ObserveRecoverableError: {
    reason: 'A throttled observe is recoverable: Error with Reconciling, no Event; the source backs off.',
    args: { spec: { size: 2 }, behaviour: { observeError: throttled() } },
    want: { phase: 'Error', conditions: ['Ready=False/AwsThrottled', 'Reconciling=True/AwsThrottled'], events: [], sent: [] },
  },
  ExecutorTerminalError: {
    reason: 'An update AWS refuses (400) is terminal: Stalled, Failed Event; the drift stays reported.',
    args: { spec: { size: 2 }, seed: [existing({ Size: 5 })], behaviour: { failures: { UpdateWidget: badRequest() } } },
    want: {
      phase: 'Stalled',
      conditions: ['Ready=False/AwsRejectedSpec', 'Stalled=True/AwsRejectedSpec', 'Drifted=True/DriftDetected'],
      events: ['Warning/Failed'],
      sent: ['UpdateWidget'],
      actions: ['UpdateWidget'],
    },
  },
  ExecutorRecoverableError: {
    reason: 'An update that fails with a 5xx is recoverable: Error, Reconciling, retried by the source.',
    args: { spec: { size: 2 }, seed: [existing({ Size: 5 })], behaviour: { failures: { UpdateWidget: serviceFailure() } } },
    want: {
      phase: 'Error',
      conditions: ['Ready=False/AwsUnavailable', 'Reconciling=True/AwsUnavailable', 'Drifted=True/DriftDetected'],
      events: [],
      sent: ['UpdateWidget'],
    },
  },
  CreateRefused: {
    reason: 'A create AWS refused (4xx) made nothing: the create-pending record goes, so the next pass may create at once.',
    args: { spec: { size: 2 }, behaviour: { failures: { CreateWidget: badRequest() } } },
    want: { phase: 'Stalled', conditions: ['Ready=False/AwsRejectedSpec', 'Stalled=True/AwsRejectedSpec'], events: ['Warning/Failed'], sent: ['CreateWidget'], createPending: 'gone' },
  },
  CreateFailedUnknown: {
    reason: 'A create that failed with a 5xx may have been made: the record stays, so the next pass waits instead of creating twice.',
    args: { spec: { size: 2 }, behaviour: { failures: { CreateWidget: serviceFailure() } } },
    want: { phase: 'Error', conditions: ['Ready=False/AwsUnavailable', 'Reconciling=True/AwsUnavailable'], events: [], sent: ['CreateWidget'], createPending: 'kept' },
  },
  CreatedNotVisible: {
    reason: 'API5: created but not visible yet: Progressing with AwaitingConsistency, the record kept with the new id.',
    args: { spec: { size: 2 }, behaviour: { lagging: true } },
    want: {
      phase: 'Progressing',
      conditions: ['Ready=False/AwaitingConsistency', 'Reconciling=True/AwaitingConsistency'],
      requeueAfterMs: 5_000,
      events: ['Normal/Created'],
      sent: ['CreateWidget'],
      createPending: 'kept',
    },
  },
  CreatePendingWithinGrace: {
    reason: 'A create recorded earlier and still within its grace period is waited for, never sent again.',
    args: { spec: { size: 2 }, status: { createPending: { operation: 'CreateWidget', requestedAt: minutes(-1), graceEndsAt: minutes(9), name: 'w' } } },
    want: {
      phase: 'Progressing',
      conditions: ['Ready=False/AwaitingConsistency', 'Reconciling=True/AwaitingConsistency'],
      requeueAfterMs: 5_000,
      events: [],
      sent: [],
      createPending: 'kept',
    },
  },
  CreatePendingGraceAlmostOver: {
    reason: 'The wait is requeued no later than the grace period ends.',
    args: { spec: { size: 2 }, status: { createPending: { operation: 'CreateWidget', requestedAt: minutes(-10), graceEndsAt: new Date(NOW.getTime() + 2_000).toISOString() } } },
    want: {
      phase: 'Progressing',
      conditions: ['Ready=False/AwaitingConsistency', 'Reconciling=True/AwaitingConsistency'],
      requeueAfterMs: 2_000,
      events: [],
      sent: [],
      createPending: 'kept',
    },
  },
  CreatePendingAfterGrace: {
    reason: 'Past its grace period with nothing visible, the earlier create evidently failed: it is sent again, and an Event says so.',
    args: { spec: { size: 2 }, status: { createPending: { operation: 'CreateWidget', requestedAt: minutes(-20), graceEndsAt: minutes(-10) } } },
    want: { phase: 'Ready', conditions: ['Ready=True/Available', 'Drifted=False/InSync'], events: ['Warning/CreateRetried', 'Normal/Created'], sent: ['CreateWidget'], createPending: 'gone' },
  },
  CreatePendingResourceShows: {
    reason: 'Once the recorded create shows in AWS, the record goes without another call.',
    args: { spec: { size: 2 }, seed: [existing()], status: { createPending: { operation: 'CreateWidget', requestedAt: minutes(-1), graceEndsAt: minutes(9) } } },
    want: { phase: 'Ready', conditions: ['Ready=True/Available', 'Drifted=False/InSync'], events: [], sent: [], createPending: 'gone' },
  },
  IntentNotRecorded: {
    reason: 'When the intent to create cannot be made durable, the create is not sent.',
    args: { spec: { size: 2 }, behaviour: { persistFails: true } },
    want: {
      phase: 'Progressing',
      conditions: ['Ready=False/CreateIntentNotRecorded', 'Reconciling=True/CreateIntentNotRecorded'],
      requeueAfterMs: 5_000,
      events: [],
      sent: [],
      createPending: 'gone',
    },
  },
  ClaimConflict: {
    reason: 'An object claiming the AWS resource an earlier object claims is refused before any observe or write.',
    args: {
      spec: { size: 2 },
      annotations: { 'chimevoice.io/external-id': 'w-seeded' },
      seed: [existing()],
      others: [widget('first', {}, { annotations: { 'chimevoice.io/external-id': 'w-seeded' }, creationTimestamp: '2029-01-01T00:00:00Z' })],
    },
    want: { phase: 'Stalled', conditions: ['Ready=False/ClaimConflict', 'Stalled=True/ClaimConflict'], events: ['Warning/Blocked'], sent: [], observeModes: [] },
  },
  DeferredActionNotSent: {
    reason: 'A write that waits for AWS (`after`) is never sent in the pass that planned it; what came before it is.',
    args: { spec: { size: 2 }, behaviour: { deferredActivate: true, readiness: { ready: false, reason: 'OrderProcessing', message: 'provisioning', requeueAfterMs: 10_000 } } },
    want: {
      phase: 'Progressing',
      conditions: ['Ready=False/OrderProcessing', 'Reconciling=True/OrderProcessing', 'Drifted=False/InSync'],
      requeueAfterMs: 10_000,
      events: ['Normal/Created'],
      sent: ['CreateWidget'],
      actions: ['CreateWidget'],
    },
  },

  // ---- plan mode (dry run): observe and plan, never write ------------------------------------------
  PlanCreate: {
    reason: 'plan shows the create and sends nothing; no Drifted before anything was observed.',
    args: { mode: 'plan', spec: { size: 2 } },
    want: { phase: 'Planned', conditions: ['Ready=False/ChangesPending'], events: [], sent: [], actions: ['CreateWidget'], observeModes: ['plan'] },
  },
  PlanInSync: {
    reason: 'plan of an object AWS matches: Ready with InSync, nothing to run.',
    args: { mode: 'plan', spec: { size: 2 }, seed: [existing()] },
    want: { phase: 'Ready', conditions: ['Ready=True/InSync', 'Drifted=False/InSync'], events: [], sent: [], actions: [], observeModes: ['plan'] },
  },
  PlanDrift: {
    reason: 'plan of drift lists the correction and sends nothing.',
    args: { mode: 'plan', spec: { size: 2 }, seed: [existing({ Size: 5 })] },
    want: { phase: 'Planned', conditions: ['Ready=False/ChangesPending', 'Drifted=True/DriftDetected'], events: [], sent: [], actions: ['UpdateWidget'] },
  },
  PlanDriftReport: {
    reason: 'plan under driftPolicy Report plans nothing for drift.',
    args: { mode: 'plan', spec: { size: 2, driftPolicy: 'Report' }, seed: [existing({ Size: 5 })] },
    want: { phase: 'Ready', conditions: ['Ready=True/InSync', 'Drifted=True/DriftReported'], events: [], sent: [], actions: [] },
  },
  PlanReplacement: {
    reason: 'plan of a replacement says ReplacementRequired.',
    args: { mode: 'plan', spec: { size: 2, region: 'eu-west-2' }, seed: [existing()] },
    want: { phase: 'Stalled', conditions: ['Ready=False/ReplacementRequired', 'Stalled=True/ReplacementRequired', 'Drifted=True/DriftDetected'], events: [], sent: [], actions: [] },
  },
  PlanMissingReference: {
    reason: 'plan of an object whose reference does not exist yet plans with a placeholder instead of waiting.',
    args: { mode: 'plan', spec: { size: 2, parentRef: 'parent' } },
    want: { phase: 'Planned', conditions: ['Ready=False/ChangesPending'], events: [], sent: [], actions: ['CreateWidget'] },
  },
  PlanDeferredListed: {
    reason: 'plan lists the deferred write too, so it shows every write apply will make.',
    args: { mode: 'plan', spec: { size: 2 }, behaviour: { deferredActivate: true } },
    want: { phase: 'Planned', conditions: ['Ready=False/ChangesPending'], events: [], sent: [], actions: ['CreateWidget', 'ActivateWidget'] },
  },
  PlanCreatePendingWithinGrace: {
    reason: 'plan does not promise a second create while a recorded one is within its grace period.',
    args: { mode: 'plan', spec: { size: 2 }, status: { createPending: { operation: 'CreateWidget', requestedAt: minutes(-1), graceEndsAt: minutes(9) } } },
    want: { phase: 'Progressing', conditions: ['Ready=False/AwaitingConsistency', 'Reconciling=True/AwaitingConsistency'], requeueAfterMs: 5_000, events: [], sent: [] },
  },
};

describe('Engine.reconcile, table', () => {
  for (const [name, { reason, args, want }] of Object.entries(reconcileCases)) {
    it(`${name}: ${reason}`, async () => {
      const obj = widget('w', args.spec, { ...(args.status ? { status: args.status } : {}), ...(args.annotations ? { annotations: args.annotations } : {}) });
      const r = rig({ seed: args.seed, behaviour: args.behaviour, dryRun: args.mode === 'plan', objects: [...(args.others ?? []), obj] });
      const result = await r.engine.reconcile(obj, r.world, args.specChanged ?? false);

      expect(result.phase).toBe(want.phase);
      expect(summary(result.status.conditions)).toEqual(want.conditions);
      expect(result.requeueAfterMs).toBe(want.requeueAfterMs);
      expect(eventsOf(result)).toEqual(want.events);
      expect(r.cloud.calls.map((c) => c.operation)).toEqual(want.sent);
      if (want.actions) expect(opsOf(result.actions)).toEqual(want.actions);
      if (want.observeModes) expect(r.modes).toEqual(want.observeModes);
      if (want.createPending === 'kept') expect(result.status.createPending).toMatchObject({ operation: 'CreateWidget' });
      if (want.createPending === 'gone') expect(result.status.createPending).toBeUndefined();
      // Every condition names the generation it speaks for, and the pass stamps its time.
      for (const c of result.status.conditions ?? []) expect(c.observedGeneration).toBe(1);
      expect(result.status.lastSyncedTime).toBe(NOW.toISOString());
    });
  }
});

describe('Engine.reconcile, details the table does not show', () => {
  it('the create intent is durable before the create call, and its answer\'s id right after', async () => {
    const r = rig();
    const result = await r.engine.reconcile(widget('w', { size: 2 }), r.world, true);
    expect(r.persisted.map((p) => ({ ops: p.callsBefore, pending: p.status.createPending?.operation, ids: p.status.createPending?.ids }))).toEqual([
      { ops: [], pending: 'CreateWidget', ids: undefined },
      { ops: ['CreateWidget'], pending: 'CreateWidget', ids: { WidgetId: 'w-1' } },
    ]);
    expect(result.status.atProvider).toEqual({ widgetId: 'w-1' });
  });

  it('a created but invisible resource keeps its captured id in atProvider, so the next pass reads it by id', async () => {
    const r = rig({ behaviour: { lagging: true } });
    const result = await r.engine.reconcile(widget('w', { size: 2 }), r.world, true);
    expect(result.status.atProvider).toEqual({ widgetId: 'w-1' });
    expect(result.status.createPending?.ids).toEqual({ WidgetId: 'w-1' });
  });

  it('the reference\'s AWS id reaches the create call', async () => {
    const parent = readyParent();
    const obj = widget('w', { size: 2, parentRef: 'parent' });
    const r = rig({ objects: [parent, obj] });
    await r.engine.reconcile(obj, r.world, true);
    expect(r.cloud.calls[0].input).toMatchObject({ ParentId: 'w-parent', Name: 'w' });
  });

  it('after the writes, a handler that folds their answers is not observed again when no part is left unread', async () => {
    const r = rig({ seed: [existing({ Size: 5 })], behaviour: { answers: { unread: [] } } });
    const result = await r.engine.reconcile(widget('w', { size: 2 }), r.world, true);
    expect(result.phase).toBe('Ready');
    expect(opsOf(result.actions)).toEqual(['UpdateWidget']);
    // One observation, before the writes; the status is the fold's.
    expect(r.modes).toEqual(['apply']);
    expect(result.status.drift).toEqual([]);
  });

  it('after the writes, the parts a fold leaves unread are observed, with what the answers told', async () => {
    const r = rig({ seed: [existing({ Size: 5 })], behaviour: { answers: { unread: ['size'] } } });
    const result = await r.engine.reconcile(widget('w', { size: 2 }), r.world, true);
    expect(result.phase).toBe('Ready');
    expect(r.modes).toEqual(['apply', 'apply']);
    expect(r.answered).toEqual([{ observed: expect.objectContaining({ Id: 'w-seeded', Size: 2 }), unread: ['size'] }]);
  });

  it('every Warning Event says what to do next: a failure with AWS\'s error and request id, drift with its paths, a blocked change with the way out', async () => {
    const rejected = new BadRequestException({ message: 'Size is not allowed', $metadata: { httpStatusCode: 400, requestId: 'req-7f3a' } });
    const failing = rig({ seed: [existing({ Size: 5 })], behaviour: { failures: { UpdateWidget: rejected } } });
    const failed = await failing.engine.reconcile(widget('w', { size: 2 }), failing.world, true);
    expect(failed.events).toEqual([
      { type: 'Warning', reason: 'Failed', message: `BadRequestException: Size is not allowed (AWS request id req-7f3a) [AwsRejectedSpec]. Next: ${CONDITION_REASONS.AwsRejectedSpec.action}` },
    ]);
    // The request id stays out of status: the new id of every retry must not rewrite it.
    expect(JSON.stringify(failed.status)).not.toContain('req-7f3a');

    const drifting = rig({ seed: [existing({ Size: 5 })] });
    const drifted = await drifting.engine.reconcile(widget('w', { size: 2 }, { status: convergedAt(1) }), drifting.world, false);
    expect(drifted.events[0]).toEqual({ type: 'Warning', reason: 'DriftDetected', message: `AWS differs from the spec at size [DriftDetected]. Next: ${CONDITION_REASONS.DriftDetected.action}` });

    const moving = rig({ seed: [existing()] });
    const blocked = await moving.engine.reconcile(widget('w', { size: 2, region: 'eu-west-2' }), moving.world, true);
    expect(blocked.events[0].message).toMatch(/^region cannot change in place .* \[ReplacementRequired\]\. Next: Put the old value back/);
  });

  it('a pass that ends Ready records the generation AWS matched (convergedGeneration); one that does not keeps the earlier record', async () => {
    const r = rig();
    const created = await r.engine.reconcile(widget('w', { size: 2 }, { generation: 3 }), r.world, true);
    expect(created.status.convergedGeneration).toBe(3);
    const failing = rig({ seed: [existing({ Size: 5 })], behaviour: { failures: { UpdateWidget: serviceFailure() } } });
    const failed = await failing.engine.reconcile(widget('w', { size: 2 }, { status: convergedAt(1) }), failing.world, false);
    expect(failed.phase).toBe('Error');
    expect(failed.status.convergedGeneration).toBeUndefined();
    const kept = await failing.engine.reconcile(widget('w', { size: 2 }, { status: { ...convergedAt(1), convergedGeneration: 1 } }), failing.world, false);
    expect(kept.status.convergedGeneration).toBe(1);
  });

  it('status.drift lists what differs, with desired and actual values', async () => {
    const r = rig({ seed: [existing({ Size: 5 })] });
    const result = await r.engine.reconcile(widget('w', { size: 2, driftPolicy: 'Report' }), r.world, false);
    expect(result.status.drift).toEqual([{ path: 'size', desired: '2', actual: '5' }]);
  });
});

interface DeleteCase {
  reason: string;
  args: { spec?: WidgetSpec; seed?: Widget[]; behaviour?: Behaviour; dryRun?: boolean; status?: ObjectStatus; annotations?: Record<string, string>; others?: ManagedObject[] };
  want: { phase: Phase; conditions: string[]; deleted: boolean; requeueAfterMs?: number; events: string[]; sent: string[]; actions?: string[]; gone?: boolean };
}

const deleteCases: Record<string, DeleteCase> = {
  Retain: {
    reason: 'deletionPolicy Retain leaves the AWS resource in place, says so, and lets the object go.',
    args: { spec: { deletionPolicy: 'Retain' }, seed: [existing()] },
    want: { phase: 'Deleted', conditions: ['Ready=False/Retained'], deleted: true, events: ['Normal/Retained'], sent: [], gone: false },
  },
  Delete: {
    reason: 'deletionPolicy Delete removes the AWS resource, then lets the object go.',
    args: { seed: [existing()] },
    want: { phase: 'Deleted', conditions: ['Ready=False/Deleted'], deleted: true, events: ['Normal/Deleted'], sent: ['DeleteWidget'], gone: true },
  },
  AlreadyGone: {
    reason: 'Nothing in AWS: the deletion finishes without a call.',
    args: {},
    want: { phase: 'Deleted', conditions: ['Ready=False/Deleted'], deleted: true, events: [], sent: [] },
  },
  BlockedByManaged: {
    reason: 'A blocker this project manages is waited for (it goes first), requeued soon.',
    args: { seed: [existing()], behaviour: { blockers: [{ managed: true, message: 'Widget default/child' }] } },
    want: { phase: 'DeleteBlocked', conditions: ['Ready=False/DeletionWaiting', 'Reconciling=True/DeletionWaiting'], deleted: false, requeueAfterMs: 5_000, events: ['Normal/Waiting'], sent: [], gone: false },
  },
  BlockedByUnmanaged: {
    reason: 'A blocker outside this project stalls the deletion (a person must act), requeued slowly.',
    args: { seed: [existing()], behaviour: { blockers: [{ managed: false, message: 'a SIP rule made in the console' }] } },
    want: { phase: 'Stalled', conditions: ['Ready=False/DeletionBlocked', 'Stalled=True/DeletionBlocked'], deleted: false, requeueAfterMs: 60_000, events: ['Warning/Blocked'], sent: [], gone: false },
  },
  BlockedByBoth: {
    reason: 'An unmanaged blocker outweighs managed ones: waiting would never end.',
    args: { seed: [existing()], behaviour: { blockers: [{ managed: true, message: 'Widget default/child' }, { managed: false, message: 'a console rule' }] } },
    want: { phase: 'Stalled', conditions: ['Ready=False/DeletionBlocked', 'Stalled=True/DeletionBlocked'], deleted: false, requeueAfterMs: 60_000, events: ['Warning/Blocked'], sent: [] },
  },
  DryRun: {
    reason: 'A destroy preview lists the delete and sends nothing.',
    args: { dryRun: true, seed: [existing()] },
    want: { phase: 'Planned', conditions: ['Ready=False/DeletionPending'], deleted: false, events: [], sent: [], actions: ['DeleteWidget'], gone: false },
  },
  DryRunBehindManagedBlocker: {
    reason: 'A destroy preview shows the delete after the objects it waits for, instead of a wait.',
    args: { dryRun: true, seed: [existing()], behaviour: { blockers: [{ managed: true, message: 'Widget default/child' }] } },
    want: { phase: 'Planned', conditions: ['Ready=False/DeletionPending'], deleted: false, events: [], sent: [], actions: ['DeleteWidget'] },
  },
  DryRunNothingThere: {
    reason: 'A destroy preview of something absent from AWS needs no call.',
    args: { dryRun: true },
    want: { phase: 'Deleted', conditions: ['Ready=False/Deleted'], deleted: true, events: [], sent: [] },
  },
  DeleteRefused: {
    reason: 'A delete AWS refuses for good stalls with a Failed Event; the object stays.',
    args: { seed: [existing()], behaviour: { failures: { DeleteWidget: new ForbiddenException({ message: 'no', $metadata: { httpStatusCode: 403 } }) } } },
    want: { phase: 'Stalled', conditions: ['Ready=False/AwsForbidden', 'Stalled=True/AwsForbidden'], deleted: false, events: ['Warning/Failed'], sent: ['DeleteWidget'], gone: false },
  },
  DeleteFailsRecoverably: {
    reason: 'A throttled delete is retried: Error, the object stays.',
    args: { seed: [existing()], behaviour: { failures: { DeleteWidget: throttled() } } },
    want: { phase: 'Error', conditions: ['Ready=False/AwsThrottled', 'Reconciling=True/AwsThrottled'], deleted: false, events: ['Warning/Failed'], sent: ['DeleteWidget'], gone: false },
  },
  ObserveFails: {
    reason: 'A deletion that cannot observe does not guess: Error, nothing sent.',
    args: { seed: [existing()], behaviour: { observeError: serviceFailure() } },
    want: { phase: 'Error', conditions: ['Ready=False/AwsUnavailable', 'Reconciling=True/AwsUnavailable'], deleted: false, events: [], sent: [] },
  },
  CreatePendingInvisible: {
    reason: 'A create recorded within its grace period and not visible yet blocks the deletion: deleting now could leave the new resource behind.',
    args: { status: { createPending: { operation: 'CreateWidget', requestedAt: minutes(-1), graceEndsAt: minutes(9) } } },
    want: { phase: 'DeleteBlocked', conditions: ['Ready=False/AwaitingConsistency', 'Reconciling=True/AwaitingConsistency'], deleted: false, requeueAfterMs: 5_000, events: [], sent: [] },
  },
  CreatePendingExpired: {
    reason: 'Past the grace period, an invisible create is taken as failed, and the deletion finishes.',
    args: { status: { createPending: { operation: 'CreateWidget', requestedAt: minutes(-20), graceEndsAt: minutes(-10) } } },
    want: { phase: 'Deleted', conditions: ['Ready=False/Deleted'], deleted: true, events: [], sent: [] },
  },
  ClaimConflict: {
    reason: 'An object refused for claiming another\'s resource never managed it: its deletion leaves AWS alone.',
    args: {
      seed: [existing()],
      annotations: { 'chimevoice.io/external-id': 'w-seeded' },
      others: [widget('first', {}, { annotations: { 'chimevoice.io/external-id': 'w-seeded' }, creationTimestamp: '2029-01-01T00:00:00Z' })],
    },
    want: { phase: 'Deleted', conditions: ['Ready=False/ClaimConflict'], deleted: true, events: [], sent: [], gone: false },
  },
};

describe('Engine.delete, table', () => {
  for (const [name, { reason, args, want }] of Object.entries(deleteCases)) {
    it(`${name}: ${reason}`, async () => {
      const obj = widget('w', args.spec, { ...(args.status ? { status: args.status } : {}), ...(args.annotations ? { annotations: args.annotations } : {}) });
      const r = rig({ seed: args.seed, behaviour: args.behaviour, dryRun: args.dryRun, objects: [...(args.others ?? []), obj] });
      const result = await r.engine.delete(obj, r.world);

      expect(result.phase).toBe(want.phase);
      expect(summary(result.status.conditions)).toEqual(want.conditions);
      expect(result.deleted === true).toBe(want.deleted);
      expect(result.requeueAfterMs).toBe(want.requeueAfterMs);
      expect(eventsOf(result)).toEqual(want.events);
      expect(r.cloud.calls.map((c) => c.operation)).toEqual(want.sent);
      if (want.actions) expect(opsOf(result.actions)).toEqual(want.actions);
      if (want.gone !== undefined) expect(r.cloud.widgets.has('w-seeded')).toBe(!want.gone);
      if (r.modes.length > 0) expect(r.modes).toEqual([args.dryRun ? 'plan' : 'delete']);
    });
  }

  it('a destroy preview behind a managed blocker marks each call with what it waits for', async () => {
    const obj = widget('w');
    const r = rig({ seed: [existing()], dryRun: true, behaviour: { blockers: [{ managed: true, message: 'Widget default/child' }] }, objects: [obj] });
    const result = await r.engine.delete(obj, r.world);
    expect(result.actions.map((a) => a.action.after)).toEqual([{ awaits: 'Widget default/child' }]);
    expect(result.status.conditions?.[0].message).toBe('(after Widget default/child) delete widget w-seeded');
  });
});

describe('Engine, conditions across passes', () => {
  /** Runs passes in one world, each seeing the status the previous left, at the given clock. */
  async function passes(steps: Array<{ at: string; spec?: WidgetSpec; behaviour?: Behaviour; mutate?: (w: Map<string, Widget>) => void }>, seed: Widget[] = [existing()]) {
    let status: ObjectStatus | undefined;
    const results: ReconcileResult[] = [];
    const widgets = new Map<string, Widget>(seed.map((w) => [w.Id, { ...w }]));
    for (const step of steps) {
      const r = rig({ seed: [...widgets.values()], behaviour: step.behaviour, now: () => new Date(step.at) });
      step.mutate?.(r.cloud.widgets);
      const obj = widget('w', step.spec ?? { size: 2 }, status ? { status } : {});
      r.world.put(obj);
      const result = await r.engine.reconcile(obj, r.world, false);
      results.push(result);
      status = result.status;
      widgets.clear();
      for (const [k, v] of r.cloud.widgets) widgets.set(k, { ...v, fresh: false });
    }
    return results;
  }
  const cond = (r: ReconcileResult, type: string) => r.status.conditions?.find((c) => c.type === type);

  it('lastTransitionTime is kept while a condition\'s status does not change, and moves when it does', async () => {
    const [first, second, third, fourth] = await passes([
      { at: minutes(0) },
      { at: minutes(5) },
      // Ready stays False across two different reasons: its transition time is that of the first.
      { at: minutes(10), behaviour: { readiness: { ready: false, reason: 'OrderProcessing', message: 'busy', requeueAfterMs: 1_000 } } },
      { at: minutes(15), behaviour: { observeError: throttled() } },
    ]);
    expect(cond(first, 'Ready')).toMatchObject({ status: 'True', lastTransitionTime: minutes(0) });
    expect(cond(second, 'Ready')).toMatchObject({ status: 'True', lastTransitionTime: minutes(0) });
    expect(cond(third, 'Ready')).toMatchObject({ status: 'False', reason: 'OrderProcessing', lastTransitionTime: minutes(10) });
    expect(cond(fourth, 'Ready')).toMatchObject({ status: 'False', reason: 'AwsThrottled', lastTransitionTime: minutes(10) });
    expect(cond(fourth, 'Reconciling')).toMatchObject({ status: 'True', lastTransitionTime: minutes(10) });
    // Drifted stayed False through all four: its time is the first pass's.
    expect(cond(fourth, 'Drifted')).toMatchObject({ status: 'False', lastTransitionTime: minutes(0) });
  });

  it('Drifted carries over unchanged from the last observation through a pass that could not observe', async () => {
    const [reported, failed] = await passes(
      [
        { at: minutes(0), spec: { size: 2, driftPolicy: 'Report' } },
        { at: minutes(5), spec: { size: 2, driftPolicy: 'Report' }, behaviour: { observeError: serviceFailure() } },
      ],
      [existing({ Size: 5 })],
    );
    expect(cond(reported, 'Drifted')).toMatchObject({ status: 'True', reason: 'DriftReported', lastTransitionTime: minutes(0) });
    expect(cond(failed, 'Drifted')).toEqual(cond(reported, 'Drifted'));
    expect(failed.phase).toBe('Error');
  });

  it('a correction turns Drifted False in the same pass; a drift seen again later turns it True with a new time', async () => {
    const [corrected, again] = await passes(
      [
        { at: minutes(0) },
        { at: minutes(5), spec: { size: 2, driftPolicy: 'Report' }, mutate: (w) => (w.get('w-seeded')!.Size = 8) },
      ],
      [existing({ Size: 5 })],
    );
    expect(cond(corrected, 'Drifted')).toMatchObject({ status: 'False', lastTransitionTime: minutes(0) });
    expect(cond(again, 'Drifted')).toMatchObject({ status: 'True', reason: 'DriftReported', lastTransitionTime: minutes(5) });
  });

  it('Stalled goes away once the cause is fixed (kstatus: present only while True)', async () => {
    const [stalled, fixed] = await passes([{ at: minutes(0), spec: { size: 2, region: 'eu-west-2' } }, { at: minutes(5) }]);
    expect(cond(stalled, 'Stalled')).toMatchObject({ status: 'True', reason: 'ReplacementRequired' });
    expect(cond(fixed, 'Stalled')).toBeUndefined();
    expect(cond(fixed, 'Ready')).toMatchObject({ status: 'True', lastTransitionTime: minutes(5) });
  });
});

it('the fake handler refuses a spec as a kind would (InvalidSpecError carries the path)', () => {
  const r = rig();
  const handler = r.engine.handlerFor('Widget');
  const ctx = { resolve: () => ({}), secret: () => '', digestSecret: () => '', lenient: false };
  expect(() => handler.desired(widget('w', { size: 0 }), ctx)).toThrow(InvalidSpecError);
});
