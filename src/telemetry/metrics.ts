/**
 * Prometheus metrics: reconciles, errors and durations by kind; AWS calls by operation and
 * outcome, and throttled attempts by operation; objects by state, drifted objects and drift found; queue depth. One registry per controller, so tests run several.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** An AWS call as AwsOptions' onCall reports it (src/aws/context.ts), as far as the metrics read it. */
export interface AwsCallSeen {
  service: string;
  operation: string;
  ok: boolean;
  errorName?: string;
}
/** A throttled attempt as AwsOptions' onThrottledAttempt reports it, as far as the metrics read it. */
export interface ThrottledAttemptSeen {
  service: string;
  operation: string;
}
/** AwsOptions' hooks that the AWS metrics are counted from. */
export interface AwsHooks<Call extends AwsCallSeen = AwsCallSeen, Attempt extends ThrottledAttemptSeen = ThrottledAttemptSeen> {
  onCall: (call: Call) => void;
  onThrottledAttempt: (attempt: Attempt) => void;
}

export class Metrics {
  readonly registry = new Registry();
  readonly reconciles = new Counter({ name: 'chimevoice_reconcile_total', help: 'Reconciles by kind and result (ready, progressing, waiting, stalled, error, deleted).', labelNames: ['kind', 'result'] as const, registers: [this.registry] });
  readonly reconcileErrors = new Counter({ name: 'chimevoice_reconcile_errors_total', help: 'Reconciles that ended in an error or a stalled condition, by kind.', labelNames: ['kind'] as const, registers: [this.registry] });
  readonly reconcileDuration = new Histogram({
    name: 'chimevoice_reconcile_duration_seconds',
    help: 'Time to reconcile one object, by kind.',
    labelNames: ['kind'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly awsCalls = new Counter({ name: 'chimevoice_aws_calls_total', help: 'AWS API calls by service, operation and outcome (ok or the error name), each counted once, after the SDK\'s retries.', labelNames: ['service', 'operation', 'outcome'] as const, registers: [this.registry] });
  readonly awsThrottledAttempts = new Counter({
    name: 'chimevoice_aws_throttled_attempts_total',
    help: 'Attempts of AWS API calls that AWS answered with a throttling error (ThrottledClientException, HTTP 429...), by service and operation, including those the SDK\'s retries then absorbed.',
    labelNames: ['service', 'operation'] as const,
    registers: [this.registry],
  });
  readonly drifted = new Gauge({ name: 'chimevoice_drifted_objects', help: 'Objects whose AWS resource differs from the spec, by kind.', labelNames: ['kind'] as const, registers: [this.registry] });
  readonly objects = new Gauge({
    name: 'chimevoice_objects',
    help: 'Objects by kind and state: ready (Ready=True), reconciling (in progress or retried), stalled (needs a person), suspended (annotation chimevoice.io/reconcile: disabled).',
    labelNames: ['kind', 'state'] as const,
    registers: [this.registry],
  });
  readonly driftDetected = new Counter({
    name: 'chimevoice_drift_detected_total',
    help: 'Times AWS was found changed behind the controller (a spec it matched before), by kind; the steps of a first convergence do not count.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({ name: 'chimevoice_workqueue_depth', help: 'Objects waiting in the work queue.', registers: [this.registry] });
  readonly events = new Counter({
    name: 'chimevoice_events_total',
    help: 'CloudTrail events read from the events queue, by outcome: received (every message), matched (touched objects, requeued), own (the controller\'s own writes, ignored), unmatched, duplicate, other (another service, a read, a failed call), malformed.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly eventLag = new Histogram({
    name: 'chimevoice_event_lag_seconds',
    help: 'From a CloudTrail event\'s eventTime to its reading from the events queue.',
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900],
    registers: [this.registry],
  });
  readonly eventsQueueUp = new Gauge({
    name: 'chimevoice_events_queue_up',
    help: '1 while the events queue can be read; 0 while drift is found by polling only (no --events-queue, or the queue is out).',
    registers: [this.registry],
  });
  readonly leader = new Gauge({ name: 'chimevoice_leader', help: '1 while this process holds the leader lease.', registers: [this.registry] });

  constructor(withProcessMetrics = true) {
    if (withProcessMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /**
   * The AwsContext hooks that feed the AWS metrics (calls, throttled attempts), each passing what it
   * saw on to the caller's own hook of the same name, if any: how the controller wires its contexts.
   */
  awsHooks<Call extends AwsCallSeen, Attempt extends ThrottledAttemptSeen>(also: Partial<AwsHooks<Call, Attempt>> = {}): AwsHooks<Call, Attempt> {
    return {
      onCall: (call) => {
        this.countAwsCall(call);
        also.onCall?.(call);
      },
      onThrottledAttempt: (attempt) => {
        this.countThrottledAttempt(attempt);
        also.onThrottledAttempt?.(attempt);
      },
    };
  }

  /**
   * Counts one AWS call (AwsContext's onCall) under its outcome: `ok`, or the SDK's error name, which
   * the chart's alerts select (ChimeVoiceAwsRetriesExhausted: outcome="ThrottledClientException",
   * charts/.../templates/prometheusrule.yaml).
   */
  countAwsCall(call: AwsCallSeen): void {
    this.awsCalls.inc({ service: call.service, operation: call.operation, outcome: call.ok ? 'ok' : (call.errorName ?? 'error') });
  }

  /**
   * Counts one attempt AWS throttled (AwsContext's onThrottledAttempt), whether or not the SDK's
   * retries then got an answer: the chart's ChimeVoiceAwsThrottled alert watches its rate.
   */
  countThrottledAttempt(attempt: ThrottledAttemptSeen): void {
    this.awsThrottledAttempts.inc({ service: attempt.service, operation: attempt.operation });
  }
}
