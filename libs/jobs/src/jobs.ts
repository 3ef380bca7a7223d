import type { JobsOptions } from 'bullmq';

/** Every queue, in one place. */
export enum QueueName {
  SYSTEM = 'system',
}

/** Every job name, in one place; the worker refuses to start unless each has exactly one handler. */
export enum JobName {
  HEALTH_CHECK = 'health-check',
}

export const QUEUE_OF: Record<JobName, QueueName> = {
  [JobName.HEALTH_CHECK]: QueueName.SYSTEM,
};

/** Retention and retries per job, in one table. Kept jobs are few: ids are reused by schedulers. */
export const JOB_OPTIONS: Record<JobName, JobsOptions> = {
  [JobName.HEALTH_CHECK]: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { count: 10 },
    removeOnFail: { count: 100 },
  },
};

/** Payloads carry ids only; handlers re-read state. */
export interface JobPayloads {
  [JobName.HEALTH_CHECK]: Record<string, never>;
}
