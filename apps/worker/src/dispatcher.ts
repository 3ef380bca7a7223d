import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, Clock, type AppConfig } from '@zhezi/core';
import { EscalationService, SupervisionNoticeService, type DueEscalation } from '@zhezi/deadline';
import { JOB_OPTIONS, JobName, QUEUE_OF, type JobPayloads } from '@zhezi/jobs';
import { ChannelKind, NotificationService, type PendingDelivery } from '@zhezi/notify';
import { QueueRegistry } from './queue.registry';

/** More than this many escalations due within one horizon is a backlog; the next pass takes the rest. */
const DISPATCH_LIMIT = 50_000;
const BULK = 1000;

export interface DispatchReport {
  escalations: number;
  deliveries: number;
}

/**
 * Turns what PostgreSQL says is due into BullMQ jobs with ids derived from that state, so adding the same
 * thing twice is a no-op and a flushed Redis is refilled by the next pass. Redis holds only the horizon.
 */
@Injectable()
export class Dispatcher {
  constructor(
    private readonly queues: QueueRegistry,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly escalations: EscalationService,
    private readonly notices: SupervisionNoticeService,
    private readonly notifications: NotificationService,
  ) {}

  /** One pass: escalations coming due within the horizon, overdue notice answers, unsent deliveries. */
  async pass(): Promise<DispatchReport> {
    const now = this.clock.now();
    const due = await this.escalations.dueBefore(
      new Date(now.getTime() + this.config.deadlines.horizonMs),
      DISPATCH_LIMIT,
    );
    await this.enqueueEscalations(due);
    await this.enqueueDeliveries(await this.notices.escalateOverdue());
    const pending = await this.notifications.pendingDeliveries(now, DISPATCH_LIMIT);
    await this.enqueueDeliveries(pending);
    return { escalations: due.length, deliveries: pending.length };
  }

  /** After a change to one assignment: its next escalation, if it falls within the horizon. */
  async assignmentChanged(assignmentId: string): Promise<boolean> {
    const state = await this.escalations.stateOf(assignmentId);
    const horizon = this.clock.now().getTime() + this.config.deadlines.horizonMs;
    if (!state || state.nextAt.getTime() > horizon) return false;
    await this.enqueueEscalations([state]);
    return true;
  }

  async enqueueEscalations(due: readonly DueEscalation[]): Promise<void> {
    const now = this.clock.now().getTime();
    const queue = this.queues.get(QUEUE_OF[JobName.ESCALATION_FIRE]);
    for (let i = 0; i < due.length; i += BULK) {
      await queue.addBulk(
        due.slice(i, i + BULK).map((d) => ({
          name: JobName.ESCALATION_FIRE,
          data: {
            assignmentId: d.assignmentId,
            version: d.version,
          } satisfies JobPayloads[JobName.ESCALATION_FIRE],
          opts: {
            ...JOB_OPTIONS[JobName.ESCALATION_FIRE],
            jobId: `esc-${d.assignmentId}-${d.version}`,
            delay: Math.max(0, d.nextAt.getTime() - now),
          },
        })),
      );
    }
  }

  async enqueueDeliveries(deliveries: readonly PendingDelivery[]): Promise<void> {
    for (const job of [JobName.DELIVER_EMAIL, JobName.DELIVER_WEBHOOK] as const) {
      const mine = deliveries.filter(
        (d) => (d.channelKind === ChannelKind.EMAIL) === (job === JobName.DELIVER_EMAIL),
      );
      if (!mine.length) continue;
      await this.queues.get(QUEUE_OF[job]).addBulk(
        mine.map((d) => ({
          name: job,
          data: { deliveryId: d.id },
          opts: { ...JOB_OPTIONS[job], jobId: `delivery-${d.id}` },
        })),
      );
    }
  }
}
