import type { JobsOptions } from 'bullmq';

/** Every queue, in one place. */
export enum QueueName {
  SYSTEM = 'system',
  DOMAIN_EVENTS = 'domain-events',
  ESCALATIONS = 'escalations',
  NOTIFY_EMAIL = 'notify-email',
  NOTIFY_WEBHOOK = 'notify-webhook',
}

/**
 * Jobs of one queue run this many at a time; domain events one by one, so each aggregate's stay in order.
 * Escalations fire in parallel: each locks only its own assignment's ladder row.
 */
export const QUEUE_CONCURRENCY: Record<QueueName, number> = {
  [QueueName.SYSTEM]: 4,
  [QueueName.DOMAIN_EVENTS]: 1,
  [QueueName.ESCALATIONS]: 8,
  [QueueName.NOTIFY_EMAIL]: 4,
  [QueueName.NOTIFY_WEBHOOK]: 8,
};

/** Every job name, in one place; the worker refuses to start unless each has exactly one handler. */
export enum JobName {
  HEALTH_CHECK = 'health-check',
  OUTBOX_RELAY = 'outbox-relay',
  DOMAIN_EVENT = 'domain-event',
  ESCALATION_DISPATCH = 'escalation-dispatch',
  ESCALATION_RECONCILE = 'escalation-reconcile',
  ESCALATION_FIRE = 'escalation-fire',
  DELIVER_EMAIL = 'deliver-email',
  DELIVER_WEBHOOK = 'deliver-webhook',
  REPORT_CHASE = 'report-chase',
  DAILY_DIGEST = 'daily-digest',
  BOARD_REFRESH = 'board-refresh',
}

export const QUEUE_OF: Record<JobName, QueueName> = {
  [JobName.HEALTH_CHECK]: QueueName.SYSTEM,
  [JobName.OUTBOX_RELAY]: QueueName.SYSTEM,
  [JobName.DOMAIN_EVENT]: QueueName.DOMAIN_EVENTS,
  [JobName.ESCALATION_DISPATCH]: QueueName.SYSTEM,
  [JobName.ESCALATION_RECONCILE]: QueueName.SYSTEM,
  [JobName.ESCALATION_FIRE]: QueueName.ESCALATIONS,
  [JobName.DELIVER_EMAIL]: QueueName.NOTIFY_EMAIL,
  [JobName.DELIVER_WEBHOOK]: QueueName.NOTIFY_WEBHOOK,
  [JobName.REPORT_CHASE]: QueueName.SYSTEM,
  [JobName.DAILY_DIGEST]: QueueName.SYSTEM,
  [JobName.BOARD_REFRESH]: QueueName.SYSTEM,
};

const SCHEDULED: JobsOptions = { attempts: 1, removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } };

/**
 * Retention and retries per job, in one table. Jobs whose ids are derived from database state
 * (escalations, deliveries) are removed when done or failed: a kept job would silently block the
 * reconciliation from adding that id again. Their history lives in PostgreSQL (escalation rows, the
 * delivery log with its dead-letter state).
 */
export const JOB_OPTIONS: Record<JobName, JobsOptions> = {
  [JobName.HEALTH_CHECK]: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { count: 10 },
    removeOnFail: { count: 100 },
  },
  [JobName.OUTBOX_RELAY]: SCHEDULED,
  // Job ids are `outbox-<id>`: a relay that re-sends after a crash adds nothing twice while the job is kept.
  [JobName.DOMAIN_EVENT]: {
    attempts: 10,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  [JobName.ESCALATION_DISPATCH]: SCHEDULED,
  [JobName.ESCALATION_RECONCILE]: SCHEDULED,
  [JobName.ESCALATION_FIRE]: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: true,
    removeOnFail: true,
  },
  [JobName.DELIVER_EMAIL]: {
    attempts: 6,
    backoff: { type: 'exponential', delay: 5000 },
    removeOnComplete: true,
    removeOnFail: true,
  },
  [JobName.DELIVER_WEBHOOK]: {
    attempts: 6,
    backoff: { type: 'exponential', delay: 5000 },
    removeOnComplete: true,
    removeOnFail: true,
  },
  [JobName.REPORT_CHASE]: SCHEDULED,
  [JobName.DAILY_DIGEST]: SCHEDULED,
  [JobName.BOARD_REFRESH]: SCHEDULED,
};

/** A domain event as it travels from the outbox to its consumers. */
export interface DomainEventJob {
  outboxId: string;
  type: string;
  aggregateType: string;
  aggregateId: string;
  occurredAt: string;
  payload: Record<string, unknown>;
}

/** Payloads carry ids (and, for domain events, the event itself); handlers re-read state. */
export interface JobPayloads {
  [JobName.HEALTH_CHECK]: Record<string, never>;
  [JobName.OUTBOX_RELAY]: Record<string, never>;
  [JobName.DOMAIN_EVENT]: DomainEventJob;
  [JobName.ESCALATION_DISPATCH]: Record<string, never>;
  [JobName.ESCALATION_RECONCILE]: Record<string, never>;
  /** The plan version makes the id: a job for a replaced plan finds nothing to do. */
  /** Fires what is due by the end of a firing slot (epoch ms). */
  [JobName.ESCALATION_FIRE]: { until: number };
  [JobName.DELIVER_EMAIL]: { deliveryId: string };
  [JobName.DELIVER_WEBHOOK]: { deliveryId: string };
  [JobName.REPORT_CHASE]: Record<string, never>;
  [JobName.DAILY_DIGEST]: Record<string, never>;
  [JobName.BOARD_REFRESH]: Record<string, never>;
}
