import type { AddressInfo } from 'node:net';
import { serveOps } from '@zhezi/observability';
import { runId, TEST_REDIS_URL } from '@zhezi/testing';
import { graphql } from './gql';
import { taskOps } from './support/ops';
import { startTestApi, type TestApi } from './support/test-api';
import {
  Cleanup,
  deleteRedisKeys,
  fastWorkerConfig,
  insertPolicy,
  OffsetClock,
  startInProcessWorker,
  waitFor,
} from './support/worker-services';

const METRICS_TOKEN = 'metrics-token-for-the-test-0123456789';

const VIEWER = graphql(`
  query ObservabilityMetricsViewer {
    viewer {
      id
    }
  }
`);
const TYPENAME = graphql(`
  query ObservabilityMetricsTypename {
    __typename
  }
`);
/** Unnamed on purpose, to be counted as "(unnamed)"; typed operations are all named, so it stays a string. */
const UNNAMED_VIEWER = '{ viewer { id } }';

/** The value of one sample line (`name{labels} value`) in a Prometheus text exposition, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = match[2] ? match[2].split(/,(?=[a-z_]+=")/) : [];
    if (wanted.every((w) => have.includes(w))) return Number(match[3]);
  }
  return undefined;
}

function baseOf(api: TestApi): string {
  return api.url.replace(/\/graphql$/, '');
}

describe('metrics on the api and the worker', () => {
  const cleanup = new Cleanup();
  const clock = new OffsetClock();

  afterAll(() => cleanup.run());

  it('api: /metrics needs the token, then shows HTTP and GraphQL histograms by operation and outcome', async () => {
    const api = await startTestApi({ clock });
    cleanup.add('close the API', () => api.close());
    // A second API that requires a token.
    const guarded = await startTestApi({
      clock,
      config: { observability: { logLevel: 'silent', metricsToken: METRICS_TOKEN, workerHttpPort: 0 } },
    });
    cleanup.add('close the guarded API', () => guarded.close());
    const metricsUrl = `${baseOf(guarded)}/metrics`;

    const token = await guarded.token('leader');
    for (let i = 0; i < 3; i++) await guarded.gql(VIEWER, {}, token);
    await guarded.gql(VIEWER, {}); // no token: UNAUTHENTICATED
    await guarded.gql(UNNAMED_VIEWER, {}, token);

    expect((await fetch(metricsUrl)).status).toBe(401);
    const wrong = await fetch(metricsUrl, { headers: { authorization: 'Bearer not-the-token' } });
    expect(wrong.status).toBe(401);
    const response = await fetch(metricsUrl, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    const text = await response.text();

    const op = 'zhezi_graphql_operation_duration_seconds_count';
    expect(sample(text, op, { operation: 'ObservabilityMetricsViewer', type: 'query', outcome: 'ok' })).toBe(
      3,
    );
    // Not signed in: one label whatever the name, so no caller can use up the names.
    expect(sample(text, op, { operation: '(anonymous)', outcome: 'UNAUTHENTICATED' })).toBe(1);
    expect(sample(text, op, { operation: '(unnamed)', type: 'query', outcome: 'ok' })).toBe(1);
    expect(
      sample(text, 'zhezi_graphql_operation_duration_seconds_bucket', {
        operation: 'ObservabilityMetricsViewer',
        outcome: 'ok',
        le: '+Inf',
      }),
    ).toBe(3);
    // The login plus five queries, all through the one route pattern.
    expect(
      sample(text, 'zhezi_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/graphql',
        status: '200',
      }),
    ).toBeGreaterThanOrEqual(6);
    expect(sample(text, 'zhezi_db_pool_connections', { state: 'idle' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'zhezi_db_pool_connections', { state: 'waiting' })).toBe(0);

    // Without a token configured, a loopback client may scrape (the test runs on the same machine).
    const open = await fetch(`${baseOf(api)}/metrics`);
    expect(open.status).toBe(200);
    // A POST: a GET that accepts HTML would be answered by the web app's fallback when it is built.
    await fetch(`${baseOf(api)}/no-such-route/123`, { method: 'POST' });
    await fetch(`${baseOf(api)}/evidence/00000000-0000-4000-8000-000000000000`);
    const routes = [...(await (await fetch(`${baseOf(api)}/metrics`)).text()).matchAll(/route="([^"]*)"/g)];
    expect(new Set(routes.map((m) => m[1]))).toEqual(new Set(['unmatched', '/evidence/:id']));
  });

  it('api: operation names are bounded, request ids are kept when sane and made otherwise', async () => {
    const api = await startTestApi();
    cleanup.add('close the API', () => api.close());
    const token = await api.token('leader');
    // Plain strings: the operation names, made up per call, are what is measured here.
    const names = Array.from({ length: 205 }, (_, i) => `Op${i}`);
    for (const name of names) await api.gql(`query ${name} { viewer { id } }`, {}, token);
    for (const name of ['Anon1', 'Anon2']) await api.gql(`query ${name} { __typename }`);
    const text = await (await fetch(`${baseOf(api)}/metrics`)).text();
    const labelled = new Set(
      [...text.matchAll(/zhezi_graphql_operation_duration_seconds_count\{operation="([^"]+)"/g)].map(
        (m) => m[1],
      ),
    );
    // At most 200 names per process; later ones share "(other)"; sign-ins and other anonymous calls share
    // "(anonymous)" and name nothing.
    expect(labelled.has('Anon1')).toBe(false);
    labelled.delete('(anonymous)');
    expect(labelled.has('(other)')).toBe(true);
    labelled.delete('(other)');
    expect(labelled.size).toBe(200);

    const post = (id?: string) =>
      fetch(api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(id && { 'x-request-id': id }) },
        body: JSON.stringify({ query: String(TYPENAME) }),
      });
    expect((await post('abc-123.def')).headers.get('x-request-id')).toBe('abc-123.def');
    const made = (await post('bad id with spaces"}')).headers.get('x-request-id');
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
    expect((await post('x'.repeat(129))).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect((await post()).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('worker: /metrics shows escalations fired and their lateness, jobs per queue, outbox and reconciliation', async () => {
    const api = await startTestApi({ clock });
    cleanup.add('close the API', () => api.close());
    const databaseUrl = (api.dataSource.options as { url: string }).url;
    const prefix = `zhezi-test-${runId()}-observability`;
    cleanup.add('delete the Redis keys', () => deleteRedisKeys(TEST_REDIS_URL, prefix));
    // The worker as main.ts runs it: with its HTTP port, on a port of its own.
    const worker = await startInProcessWorker(
      fastWorkerConfig({ databaseUrl, redisUrl: TEST_REDIS_URL, redisPrefix: prefix }),
      clock,
    );
    cleanup.add('close the worker', () => worker.close());
    const server = await serveOps(worker, 0, '127.0.0.1');
    cleanup.add('close the worker HTTP port', () => new Promise((resolve) => server.close(resolve)));
    const workerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Only the ops endpoints: the evidence routes its modules declare need the api's auth guard.
    expect((await fetch(`${workerUrl}/evidence/00000000-0000-4000-8000-000000000000`)).status).toBe(404);

    expect((await fetch(`${workerUrl}/health/live`)).status).toBe(200);
    const ready = await fetch(`${workerUrl}/health/ready`);
    expect(await ready.json()).toEqual({
      status: 'ok',
      checks: { postgres: 'ok', redis: 'ok', migrations: 'ok' },
    });

    const policyId = await insertPolicy(api.dataSource, '到期后1秒催办', [
      { offsetDuration: 'PT1S', action: 'URGE', recipients: ['UNIT_OFFICERS'] },
    ]);
    const ops = taskOps(api);
    const leader = await api.token('leader');
    const dueAt = clock.now().toISOString();
    const task = await ops.createTask(leader, { planId: api.fixture.plan.id, title: '监控指标任务', dueAt });
    await api.dataSource.query(`UPDATE task SET escalation_policy_id = $2 WHERE id = $1`, [
      task.id,
      policyId,
    ]);
    await ops.assignTask(leader, task.id, [{ orgUnitId: api.fixture.units.zgc.id, dueAt }]);

    const scrape = async () => (await fetch(`${workerUrl}/metrics`)).text();
    const fireJob = { queue: 'escalations', job: 'escalation-fire', outcome: 'completed' };
    // The handler counts the escalation; the job's duration is observed once the handler has returned.
    const text = await waitFor(
      'the worker counts the fired escalation and its finished job',
      scrape,
      (t) =>
        sample(t, 'zhezi_escalations_fired_total') === 1 &&
        (sample(t, 'zhezi_job_duration_seconds_count', fireJob) ?? 0) >= 1,
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    const [fired] = await api.dataSource.query<{ late_s: number }[]>(
      `SELECT extract(epoch FROM fired_at - planned_at)::float8 AS late_s FROM escalation`,
    );
    expect(sample(text, 'zhezi_escalation_lateness_seconds_count')).toBe(1);
    expect(sample(text, 'zhezi_escalation_lateness_seconds_sum')).toBeCloseTo(fired.late_s, 3);
    expect(sample(text, 'zhezi_job_duration_seconds_count', fireJob)).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'zhezi_escalation_reconcile_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    for (const queue of ['system', 'domain-events', 'escalations', 'notify-email', 'notify-webhook']) {
      expect(sample(text, 'zhezi_queue_jobs', { queue, state: 'waiting' })).toBeGreaterThanOrEqual(0);
    }
    expect(sample(text, 'zhezi_outbox_backlog')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'zhezi_outbox_oldest_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'zhezi_db_pool_connections', { state: 'in_use' })).toBeGreaterThanOrEqual(0);
  });
});
