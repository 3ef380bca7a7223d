import { JobName, type JobHandler } from '@zhezi/jobs';
import { indexHandlers } from './worker.service';

const handler = (jobName: JobName): JobHandler => ({ jobName, handle: () => Promise.resolve(null) });

describe('indexHandlers', () => {
  const all = () => Object.values(JobName).map(handler);

  it('maps each job name to its one handler', () => {
    const handlers = all();
    const index = indexHandlers(handlers);
    for (const h of handlers) expect(index.get(h.jobName)).toBe(h);
  });

  it('refuses two handlers for one job', () => {
    expect(() => indexHandlers([...all(), handler(JobName.HEALTH_CHECK)])).toThrow(/two handlers/);
  });

  it('refuses a job name without a handler', () => {
    const withoutRelay = all().filter((h) => h.jobName !== JobName.OUTBOX_RELAY);
    expect(() => indexHandlers(withoutRelay)).toThrow('no handler for job(s): outbox-relay');
  });
});
