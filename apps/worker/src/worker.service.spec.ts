import { JobName, type JobHandler } from '@zhezi/jobs';
import { indexHandlers } from './worker.service';

const handler = (jobName: JobName): JobHandler => ({ jobName, handle: () => Promise.resolve(null) });

describe('indexHandlers', () => {
  it('maps each job name to its one handler', () => {
    const health = handler(JobName.HEALTH_CHECK);
    expect(indexHandlers([health]).get(JobName.HEALTH_CHECK)).toBe(health);
  });

  it('refuses two handlers for one job', () => {
    expect(() => indexHandlers([handler(JobName.HEALTH_CHECK), handler(JobName.HEALTH_CHECK)])).toThrow(
      /two handlers/,
    );
  });

  it('refuses a job name without a handler', () => {
    expect(() => indexHandlers([])).toThrow(/no handler for job\(s\): health-check/);
  });
});
