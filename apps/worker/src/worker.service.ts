import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Worker, type Job, type RepeatOptions } from 'bullmq';
import { APP_CONFIG, type AppConfig, type RedisClient } from '@zhezi/core';
import {
  JOB_HANDLERS,
  JOB_OPTIONS,
  JobName,
  QUEUE_CONCURRENCY,
  QUEUE_OF,
  QueueName,
  queuePrefix,
  type JobHandler,
  type JobPayloads,
} from '@zhezi/jobs';
import { QueueRegistry } from './queue.registry';
import { WorkerMetrics } from './worker.metrics';
import { REDIS } from './worker.tokens';

/** Housekeeping that runs every second or minute: logged at debug level, so job lines stay readable. */
const ROUTINE = new Set<string>([JobName.OUTBOX_RELAY, JobName.HEALTH_CHECK, JobName.ESCALATION_DISPATCH]);

/** Cron-like jobs (BullMQ job schedulers): the scheduler only enqueues; handlers do the work. */
export function schedules(config: AppConfig): { id: string; job: JobName; repeat: RepeatOptions }[] {
  const beijing = (pattern: string) => ({ pattern, tz: 'Asia/Shanghai' });
  return [
    { id: 'health-check-every-minute', job: JobName.HEALTH_CHECK, repeat: { every: 60_000 } },
    { id: 'outbox-relay-every-second', job: JobName.OUTBOX_RELAY, repeat: { every: 1_000 } },
    {
      id: 'escalation-dispatch',
      job: JobName.ESCALATION_DISPATCH,
      repeat: { every: config.deadlines.dispatchEveryMs },
    },
    { id: 'escalation-reconcile', job: JobName.ESCALATION_RECONCILE, repeat: { every: 3_600_000 } },
    {
      id: 'report-chase',
      job: JobName.REPORT_CHASE,
      repeat: beijing(
        `0 ${config.deadlines.fireTime.slice(3)} ${config.deadlines.fireTime.slice(0, 2)} * * *`,
      ),
    },
    { id: 'daily-digest', job: JobName.DAILY_DIGEST, repeat: beijing('0 30 8 * * *') },
    // Just after midnight, when days overdue move on every row with open work.
    { id: 'board-refresh', job: JobName.BOARD_REFRESH, repeat: beijing('5 0 0 * * *') },
  ];
}

@Injectable()
export class WorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private readonly handlers: Map<JobName, JobHandler>;
  private readonly workers: Worker[] = [];
  private watchdog: NodeJS.Timeout | null = null;

  constructor(
    @Inject(JOB_HANDLERS) handlers: JobHandler[],
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: QueueRegistry,
    private readonly metrics: WorkerMetrics,
  ) {
    this.handlers = indexHandlers(handlers);
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const name of Object.values(QueueName)) {
      const worker = new Worker(name, (job: Job) => this.dispatch(job), {
        connection: this.redis,
        prefix: queuePrefix(this.config, name),
        concurrency: QUEUE_CONCURRENCY[name],
        // A killed worker's jobs come back after this long, not the default 30 s.
        lockDuration: 10_000,
        stalledInterval: 5_000,
      });
      this.workers.push(worker);
    }
    await this.installSchedules('at-start');
    // Schedulers live only in Redis: if it is flushed or loses its data, put them back (and re-derive
    // everything) within one dispatch interval instead of never.
    this.watchdog = setInterval(() => void this.checkSchedules(), this.config.deadlines.dispatchEveryMs);
    this.logger.log(`listening on ${this.workers.length} queue(s) under prefix "${this.config.redisPrefix}"`);
  }

  private async checkSchedules(): Promise<void> {
    try {
      const dispatch = await this.queues.get(QueueName.SYSTEM).getJobScheduler('escalation-dispatch');
      if (!dispatch) {
        this.logger.warn('job schedulers are gone from Redis (flushed?); re-installing them');
        await this.installSchedules('after-reset');
      }
    } catch (error) {
      this.logger.warn(`cannot check the job schedulers: ${(error as Error).message}`);
    }
  }

  /** Upserts every scheduler (idempotent) and queues one full reconciliation. */
  private async installSchedules(reason: string): Promise<void> {
    for (const schedule of schedules(this.config)) {
      await this.queues.get(QUEUE_OF[schedule.job]).upsertJobScheduler(schedule.id, schedule.repeat, {
        name: schedule.job,
        data: {},
        opts: JOB_OPTIONS[schedule.job],
      });
    }
    // A restart may follow a crash, and a reset a flushed Redis: re-derive everything once rather than wait an hour.
    await this.queues
      .get(QUEUE_OF[JobName.ESCALATION_RECONCILE])
      .add(
        JobName.ESCALATION_RECONCILE,
        {},
        { ...JOB_OPTIONS[JobName.ESCALATION_RECONCILE], jobId: `reconcile-${reason}-${Date.now()}` },
      );
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.watchdog) clearInterval(this.watchdog);
    await Promise.all(this.workers.map((w) => w.close()));
    await this.queues.closeAll();
    await this.redis.quit();
  }

  /** Runs a job's handler, timed, with one log line naming queue, job and attempt (never its payload). */
  private async dispatch(job: Job): Promise<unknown> {
    const handler = this.handlers.get(job.name as JobName);
    if (!handler) throw new Error(`no handler for job "${job.name}"`);
    const facts = { queue: job.queueName, job: job.name, jobId: job.id, attempt: job.attemptsMade + 1 };
    const end = this.metrics.jobDuration.startTimer({ queue: job.queueName, job: job.name });
    try {
      const result = await handler.handle(job as Job<JobPayloads[JobName]>);
      const seconds = end({ outcome: 'completed' });
      const line = { ...facts, ms: Math.round(seconds * 1000) };
      if (ROUTINE.has(job.name)) this.logger.debug(line, 'job completed');
      else this.logger.log(line, 'job completed');
      return result;
    } catch (error) {
      const seconds = end({ outcome: 'failed' });
      this.metrics.jobFailures.inc({ queue: job.queueName, job: job.name });
      const line = { ...facts, ms: Math.round(seconds * 1000), err: (error as Error).message };
      this.logger.error(line, 'job failed');
      throw error;
    }
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
