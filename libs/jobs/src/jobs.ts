import type { JobsOptions } from 'bullmq';

/** Every queue, in one place. */
export enum QueueName {
  SYSTEM = 'system',
  DOMAIN_EVENTS = 'domain-events',
}

/** Jobs of one queue run this many at a time; domain events one by one, so each aggregate's stay in order. */
export const QUEUE_CONCURRENCY: Record<QueueName, number> = {
  [QueueName.SYSTEM]: 4,
  [QueueName.DOMAIN_EVENTS]: 1,
};

/** Every job name, in one place; the worker refuses to start unless each has exactly one handler. */
export enum JobName {
  HEALTH_CHECK = 'health-check',
  OUTBOX_RELAY = 'outbox-relay',
  DOMAIN_EVENT = 'domain-event',
}

export const QUEUE_OF: Record<JobName, QueueName> = {
  [JobName.HEALTH_CHECK]: QueueName.SYSTEM,
  [JobName.OUTBOX_RELAY]: QueueName.SYSTEM,
  [JobName.DOMAIN_EVENT]: QueueName.DOMAIN_EVENTS,
};

/** Retention and retries per job, in one table. Kept jobs are few: ids are reused by schedulers. */
export const JOB_OPTIONS: Record<JobName, JobsOptions> = {
  [JobName.HEALTH_CHECK]: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { count: 10 },
    removeOnFail: { count: 100 },
  },
  [JobName.OUTBOX_RELAY]: {
    attempts: 1,
    removeOnComplete: { count: 10 },
    removeOnFail: { count: 100 },
  },
  // Job ids are `outbox-<id>`: a relay that re-sends after a crash adds nothing twice while the job is kept.
  [JobName.DOMAIN_EVENT]: {
    attempts: 10,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
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
}
