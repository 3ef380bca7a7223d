import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@zhezi/core';
import {
  JOB_HANDLERS,
  JOB_OPTIONS,
  JobName,
  QUEUE_OF,
  QueueName,
  type JobHandler,
  type JobPayloads,
} from '@zhezi/jobs';
import { REDIS } from './worker.tokens';

/** Cron-like jobs: the scheduler only enqueues; handlers do the work. */
const SCHEDULES: { id: string; job: JobName; everyMs: number }[] = [
  { id: 'health-check-every-minute', job: JobName.HEALTH_CHECK, everyMs: 60_000 },
];

@Injectable()
export class WorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private readonly handlers: Map<JobName, JobHandler>;
  private readonly workers: Worker[] = [];
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    @Inject(JOB_HANDLERS) handlers: JobHandler[],
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.handlers = indexHandlers(handlers);
  }

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.redis, prefix: this.config.redisPrefix });
      this.queues.set(name, queue);
    }
    return queue;
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const name of Object.values(QueueName)) {
      const worker = new Worker(name, (job: Job) => this.dispatch(job), {
        connection: this.redis,
        prefix: this.config.redisPrefix,
        concurrency: 4,
      });
      worker.on('failed', (job, error) =>
        this.logger.error(`${job?.name} ${job?.id} failed: ${error.message}`),
      );
      this.workers.push(worker);
    }
    for (const schedule of SCHEDULES) {
      await this.queue(QUEUE_OF[schedule.job]).upsertJobScheduler(
        schedule.id,
        { every: schedule.everyMs },
        { name: schedule.job, data: {}, opts: JOB_OPTIONS[schedule.job] },
      );
    }
    this.logger.log(`listening on ${this.workers.length} queue(s) under prefix "${this.config.redisPrefix}"`);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
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
