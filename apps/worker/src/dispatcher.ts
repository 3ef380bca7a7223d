import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, Clock, type AppConfig } from '@zhezi/core';
import {
  EscalationEngine,
  SupervisionNoticeService,
  type DueEscalation,
  type DueSlot,
} from '@zhezi/deadline';
import { JOB_OPTIONS, JobName, QUEUE_CONCURRENCY, QUEUE_OF, type JobPayloads } from '@zhezi/jobs';
import { ChannelKind, NotificationService, type PendingDelivery } from '@zhezi/notify';
import { QueueRegistry } from './queue.registry';

/** More than this many deliveries pending is a backlog; the next pass takes the rest. */
const DISPATCH_LIMIT = 50_000;
const BULK = 1000;
/** Escalations due within one slot fire together: lateness under a slot, one transaction per batch. */
export const SLOT_MS = 100;
/** Ladders one firing transaction takes. */
export const FIRE_BATCH = 250;
/** A crowded slot gets up to this many jobs, so several transactions share it (they skip each other's rows). */
const FIRE_PARALLEL = Math.min(4, QUEUE_CONCURRENCY[QUEUE_OF[JobName.ESCALATION_FIRE]]);

export interface DispatchReport {
  escalations: number;
  slots: number;
  deliveries: number;
}

/**
 * Turns what PostgreSQL says is due into BullMQ jobs, one per firing slot (a few for a crowded one), with ids
 * derived from the slot, so adding the same slot twice is a no-op and a flushed Redis is refilled by the next
 * pass. A slot's job fires whatever is due by its end, so Redis holds at most one job per slot of the horizon.
 */
@Injectable()
export class Dispatcher {
  constructor(
    private readonly queues: QueueRegistry,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly escalations: EscalationEngine,
    private readonly notices: SupervisionNoticeService,
    private readonly notifications: NotificationService,
  ) {}

  /** One pass: escalations coming due within the horizon, overdue notice answers, unsent deliveries. */
  async pass(): Promise<DispatchReport> {
    const now = this.clock.now();
    const slots = await this.escalations.dueSlots(
      new Date(now.getTime() + this.config.deadlines.horizonMs),
      SLOT_MS,
    );
    await this.enqueueSlots(slots);
    await this.enqueueDeliveries(await this.notices.escalateOverdue());
    const pending = await this.notifications.pendingDeliveries(now, DISPATCH_LIMIT);
    await this.enqueueDeliveries(pending);
    return {
      escalations: slots.reduce((sum, s) => sum + s.count, 0),
      slots: slots.length,
      deliveries: pending.length,
    };
  }

  /** After a change to one assignment: its next escalation, if it falls within the horizon. */
  async assignmentChanged(assignmentId: string): Promise<boolean> {
    const state = await this.escalations.stateOf(assignmentId);
    return state ? (await this.enqueueNext([state])) > 0 : false;
  }

  /** Queues the slots of planned escalations that fall within the horizon; returns how many did. */
  async enqueueNext(planned: readonly DueEscalation[]): Promise<number> {
    const now = this.clock.now().getTime();
    const horizon = now + this.config.deadlines.horizonMs;
    const current = slotOf(now);
    const slots = new Map<number, number>();
    for (const { nextAt } of planned) {
      if (nextAt.getTime() > horizon) continue;
      const at = Math.max(slotOf(nextAt.getTime()), current);
      slots.set(at, (slots.get(at) ?? 0) + 1);
    }
    await this.enqueueSlots([...slots].map(([at, count]) => ({ at, count })));
    return [...slots.values()].reduce((sum, n) => sum + n, 0);
  }

  async enqueueSlots(slots: readonly DueSlot[]): Promise<void> {
    const now = this.clock.now().getTime();
    const jobs = slots.flatMap(({ at, count }) =>
      Array.from({ length: Math.min(FIRE_PARALLEL, Math.ceil(count / FIRE_BATCH)) }, (_, part) => ({
        name: JobName.ESCALATION_FIRE,
        data: { until: at } satisfies JobPayloads[JobName.ESCALATION_FIRE],
        opts: {
          ...JOB_OPTIONS[JobName.ESCALATION_FIRE],
          jobId: `fire-${at}-${part}`,
          delay: Math.max(0, at - now),
        },
      })),
    );
    const queue = this.queues.get(QUEUE_OF[JobName.ESCALATION_FIRE]);
    for (let i = 0; i < jobs.length; i += BULK) await queue.addBulk(jobs.slice(i, i + BULK));
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

/** The end of the slot an instant falls in. */
const slotOf = (ms: number) => Math.ceil(ms / SLOT_MS) * SLOT_MS;
