import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@zhezi/core';
import {
  JOB_HANDLERS,
  JOB_OPTIONS,
  JobName,
  QUEUE_CONCURRENCY,
  QUEUE_OF,
  QueueName,
  type JobHandler,
  type JobPayloads,
} from '@zhezi/jobs';
import { QueueRegistry } from './queue.registry';
import { REDIS } from './worker.tokens';

/** Cron-like jobs: the scheduler only enqueues; handlers do the work. */
const SCHEDULES: { id: string; job: JobName; everyMs: number }[] = [
  { id: 'health-check-every-minute', job: JobName.HEALTH_CHECK, everyMs: 60_000 },
  { id: 'outbox-relay-every-second', job: JobName.OUTBOX_RELAY, everyMs: 1_000 },
];

@Injectable()
export class WorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private readonly handlers: Map<JobName, JobHandler>;
  private readonly workers: Worker[] = [];

  constructor(
    @Inject(JOB_HANDLERS) handlers: JobHandler[],
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: QueueRegistry,
  ) {
    this.handlers = indexHandlers(handlers);
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const name of Object.values(QueueName)) {
      const worker = new Worker(name, (job: Job) => this.dispatch(job), {
        connection: this.redis,
        prefix: this.config.redisPrefix,
        concurrency: QUEUE_CONCURRENCY[name],
      });
      worker.on('failed', (job, error) =>
        this.logger.error(`${job?.name} ${job?.id} failed: ${error.message}`),
      );
      this.workers.push(worker);
    }
    for (const schedule of SCHEDULES) {
      await this.queues
        .get(QUEUE_OF[schedule.job])
        .upsertJobScheduler(
          schedule.id,
          { every: schedule.everyMs },
          { name: schedule.job, data: {}, opts: JOB_OPTIONS[schedule.job] },
        );
    }
    this.logger.log(`listening on ${this.workers.length} queue(s) under prefix "${this.config.redisPrefix}"`);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await this.queues.closeAll();
    await this.redis.quit();
  }

  private dispatch(job: Job): Promise<unknown> {
    const handler = this.handlers.get(job.name as JobName);
    if (!handler) throw new Error(`no handler for job "${job.name}"`);
    return handler.handle(job as Job<JobPayloads[JobName]>);
  }
}

/** Exactly one handler per job name, checked at start-up rather than at the first job. */
export function indexHandlers(handlers: JobHandler[]): Map<JobName, JobHandler> {
  const map = new Map<JobName, JobHandler>();
  for (const handler of handlers) {
    if (map.has(handler.jobName)) throw new Error(`two handlers for job "${handler.jobName}"`);
    map.set(handler.jobName, handler);
  }
  const missing = Object.values(JobName).filter((name) => !map.has(name));
  if (missing.length) throw new Error(`no handler for job(s): ${missing.join(', ')}`);
  return map;
}
