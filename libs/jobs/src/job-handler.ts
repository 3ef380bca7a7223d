import type { Job } from 'bullmq';
import type { JobName, JobPayloads } from './jobs';

/** One per job name. Implementations are Nest providers tagged with @JobHandlerFor. */
export interface JobHandler<N extends JobName = JobName> {
  readonly jobName: N;
  handle(job: Job<JobPayloads[N]>): Promise<unknown>;
}

export const JOB_HANDLERS = Symbol('JOB_HANDLERS');
