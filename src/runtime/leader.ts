/**
 * Leader election with a coordination.k8s.io Lease, so that two replicas never reconcile at once:
 * acquire when the lease is free or expired, renew while leading, and step down (stop reconciling)
 * as soon as a renewal cannot be confirmed within the renew deadline. Writes carry the lease's
 * resourceVersion, so two candidates racing for it cannot both win.
 */
import { V1MicroTime, type V1Lease } from '@kubernetes/client-node';
import type { Logger } from '../telemetry/logger.js';
import { statusCodeOf, type KubeClient } from './kube.js';

export interface LeaderElectionOptions {
  kube: KubeClient;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  log: Logger;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
}

export class LeaderElector {
  private leading = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private lastRenew = 0;
  /** The holder last seen while standing by, so that the standby logs each new leader once. */
  private observedHolder: string | undefined;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;

  constructor(private readonly options: LeaderElectionOptions) {
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    // As client-go: a leader must give up before a standby may take over, and retry within the deadline.
    if (!(this.leaseDurationMs > this.renewDeadlineMs && this.renewDeadlineMs > this.retryPeriodMs)) {
      throw new Error('leader election needs lease duration > renew deadline > retry period');
    }
  }

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    this.stopped = false;
    void this.tick();
  }

  /** Stops campaigning; a leader releases the lease so that a standby takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (!this.leading) return;
    this.setLeading(false);
    try {
      const lease = await this.options.kube.readLease(this.options.namespace, this.options.name);
      if (lease?.spec?.holderIdentity === this.options.identity) {
        lease.spec.holderIdentity = undefined;
        lease.spec.renewTime = new V1MicroTime(0);
        await this.options.kube.coordination.replaceNamespacedLease({ namespace: this.options.namespace, name: this.options.name, body: lease });
      }
    } catch (err) {
      this.options.log.warn({ err: (err as Error).message }, 'could not release the leader lease');
    }
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      const ok = await this.tryAcquireOrRenew();
      if (ok) {
        this.lastRenew = Date.now();
        if (!this.leading) this.setLeading(true);
      } else if (this.leading) {
        this.setLeading(false);
      }
    } catch (err) {
      this.options.log.warn({ err: (err as Error).message }, 'leader lease update failed');
    }
    if (this.leading && Date.now() - this.lastRenew > this.renewDeadlineMs) {
      this.options.log.error('could not renew the leader lease within the renew deadline; stepping down');
      this.setLeading(false);
    }
    if (!this.stopped) {
      this.timer = setTimeout(() => void this.tick(), this.retryPeriodMs);
      this.timer.unref();
    }
  }

  private setLeading(value: boolean) {
    this.leading = value;
    this.options.log.info({ identity: this.options.identity, lease: `${this.options.namespace}/${this.options.name}` }, value ? 'became leader' : 'stopped leading');
    if (value) this.options.onStartedLeading();
    else this.options.onStoppedLeading();
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { kube, namespace, name, identity } = this.options;
    // Lease times are MicroTime: the API server refuses a plain Date's millisecond ISO string (400).
    const now = new V1MicroTime();
    const existing = await kube.readLease(namespace, name);
    const durationSeconds = Math.ceil(this.leaseDurationMs / 1000);
    if (!existing) {
      try {
        await kube.coordination.createNamespacedLease({
          namespace,
          body: {
            metadata: { name, namespace },
            spec: { holderIdentity: identity, leaseDurationSeconds: durationSeconds, acquireTime: now, renewTime: now, leaseTransitions: 0 },
          },
        });
        return true;
      } catch (err) {
        if (statusCodeOf(err) === 409) return false;
        throw err;
      }
    }
    const spec = existing.spec ?? {};
    const holder = spec.holderIdentity;
    const renewed = spec.renewTime ? new Date(spec.renewTime).getTime() : 0;
    const expired = !holder || renewed + (spec.leaseDurationSeconds ?? durationSeconds) * 1000 < now.getTime();
    if (holder !== identity && !expired) {
      if (holder !== this.observedHolder) {
        this.observedHolder = holder;
        this.options.log.info({ identity, holder, lease: `${namespace}/${name}` }, 'standby: another replica holds the leader lease');
      }
      return false;
    }
    this.observedHolder = undefined;
    const body: V1Lease = {
      ...existing,
      spec: {
        ...spec,
        holderIdentity: identity,
        leaseDurationSeconds: durationSeconds,
        renewTime: now,
        ...(holder !== identity ? { acquireTime: now, leaseTransitions: (spec.leaseTransitions ?? 0) + 1 } : {}),
      },
    };
    try {
      await kube.coordination.replaceNamespacedLease({ namespace, name, body });
      return true;
    } catch (err) {
      if (statusCodeOf(err) === 409) return false;
      throw err;
    }
  }
}
