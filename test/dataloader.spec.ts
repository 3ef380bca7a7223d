import type { UserKey } from '@zhezi/testing';
import { graphql } from './gql';
import { dataOf } from './support/ops';
import { startTestApi, type TestApi } from './support/test-api';

/**
 * N+1 guard: a task page with every nested relation costs the same number of SQL statements whether it
 * holds 50 tasks or 100, because each relation is one batched DataLoader query per level.
 */

const QUERY = graphql(`
  query DataloaderTasks($first: Int!) {
    tasks(first: $first) {
      totalCount
      edges {
        node {
          id
          plan {
            id
          }
          target {
            id
          }
          responsibleLeader {
            id
          }
          milestones {
            id
          }
          assignments {
            id
            orgUnit {
              id
              name
              parent {
                id
              }
            }
            children {
              id
            }
            light
            nextEscalation {
              label
            }
            escalations {
              id
            }
            supervisionNotices {
              id
            }
          }
        }
      }
    }
  }
`);

/** Who asks, and how many shares of each task it sees: leader all four, fgw its own and its split, zgc its own. */
const VIEWERS: { user: UserKey; sharesPerTask: number; childrenPerTask: number }[] = [
  { user: 'leader', sharesPerTask: 4, childrenPerTask: 1 },
  { user: 'fgwOfficer', sharesPerTask: 2, childrenPerTask: 1 },
  { user: 'zgcOfficer', sharesPerTask: 1, childrenPerTask: 0 },
];

const SIZES = [50, 100] as const;
const BOUND = 15;

describe('N+1 guard on the task list', () => {
  let api: TestApi;
  const statements = new Map<string, number>();
  let inserted = 0;

  /**
   * Tasks `from`..`to` in one statement each: every task with a LEAD (fgw) and two SUPPORT (swj, jw)
   * shares, fgw's share split to zgc, and one milestone.
   */
  async function insertTasks(count: number): Promise<void> {
    const { plan, section, users, units } = api.fixture;
    const from = inserted + 1;
    const to = inserted + count;
    inserted = to;
    const rows = await api.dataSource.query<{ id: string }[]>(
      `INSERT INTO task (plan_id, target_id, code, title, responsible_leader_id, due_at, status)
       SELECT $1, $2, g::text, '批量任务 ' || g, $3, timestamptz '2026-01-01 00:00Z' + g * interval '1 hour', 'ASSIGNED'
         FROM generate_series($4::int, $5::int) g
       RETURNING id`,
      [plan.id, section.id, users.leader.id, from, to],
    );
    const taskIds = rows.map((r) => r.id);
    await api.dataSource.query(
      `INSERT INTO assignment (task_id, org_unit_id, role, due_at)
       SELECT t.id, u.unit, u.role, t.due_at
         FROM task t CROSS JOIN (VALUES ($2::uuid, 'LEAD'), ($3::uuid, 'SUPPORT'), ($4::uuid, 'SUPPORT')) u (unit, role)
        WHERE t.id = ANY($1::uuid[])`,
      [taskIds, units.fgw.id, units.swj.id, units.jw.id],
    );
    await api.dataSource.query(
      `INSERT INTO assignment (task_id, org_unit_id, role, parent_id, due_at)
       SELECT a.task_id, $3, a.role, a.id, a.due_at FROM assignment a
        WHERE a.task_id = ANY($1::uuid[]) AND a.org_unit_id = $2`,
      [taskIds, units.fgw.id, units.zgc.id],
    );
    await api.dataSource.query(
      `INSERT INTO milestone (task_id, title, due_at, position)
       SELECT t.id, '节点', t.due_at - interval '1 minute', 0 FROM task t WHERE t.id = ANY($1::uuid[])`,
      [taskIds],
    );
  }

  /** Statements the request costs, measured around it; the page is checked to be complete, so none are skipped. */
  async function measure(user: UserKey, first: number): Promise<number> {
    const viewer = VIEWERS.find((v) => v.user === user)!;
    const token = await api.token(user);
    const before = api.queryCount();
    const page = dataOf(await api.gql(QUERY, { first }, token));
    const count = api.queryCount() - before;

    const { fixture } = api;
    expect(page.tasks.totalCount).toBe(first);
    expect(page.tasks.edges).toHaveLength(first);
    for (const { node } of page.tasks.edges) {
      expect(node.plan.id).toBe(fixture.plan.id);
      expect(node.target?.id).toBe(fixture.section.id);
      expect(node.responsibleLeader?.id).toBe(fixture.users.leader.id);
      expect(node.milestones).toHaveLength(1);
      expect(node.assignments).toHaveLength(viewer.sharesPerTask);
      for (const a of node.assignments) expect(a.orgUnit.parent?.id).toBe(fixture.units.gov.id);
      expect(node.assignments.flatMap((a) => a.children)).toHaveLength(viewer.childrenPerTask);
    }
    return count;
  }

  beforeAll(async () => {
    api = await startTestApi();
    // Each viewer's first request reads the user for authentication, later ones find it held: not a page's cost.
    for (const { user } of VIEWERS) await api.gql(QUERY, { first: 1 }, await api.token(user));
    for (const size of SIZES) {
      await insertTasks(size - inserted);
      // The working-day calendar is read once per process: not part of any page's cost.
      await api.gql(QUERY, { first: 1 }, await api.token('leader'));
      for (const { user } of VIEWERS) statements.set(`${user}@${size}`, await measure(user, size));
    }
  });

  afterAll(() => api.close());

  it.each(VIEWERS.map((v) => v.user))(
    `%s: the same number of statements for 50 and 100 tasks, at most ${BOUND}`,
    (user) => {
      const [at50, at100] = SIZES.map((size) => statements.get(`${user}@${size}`)!);
      expect({ at50, at100 }).toEqual({ at50, at100: at50 });
      expect(at50).toBeLessThanOrEqual(BOUND);
    },
  );
});

/**
 * The same guard on a page of notifications with their deliveries and each delivery's attempts: the statements
 * do not grow with the page.
 */
describe('N+1 guard on notifications, their deliveries and attempts', () => {
  const NOTIFICATIONS = graphql(`
    query DataloaderNotifications($first: Int!) {
      myNotifications(first: $first) {
        edges {
          node {
            id
            deliveries {
              id
              title
              attemptLog {
                ok
                statusCode
              }
            }
          }
        }
      }
    }
  `);
  let api: TestApi;
  let inserted = 0;

  /** `count` more notifications for zgc's officer, each with one e-mail delivery tried twice (failed, then sent). */
  async function insertNotifications(count: number): Promise<void> {
    const from = inserted + 1;
    inserted += count;
    await api.dataSource.query(
      `WITH n AS (
         INSERT INTO notification (user_id, kind, title, body, dedupe_key, created_at)
         SELECT $1, 'ESCALATION', '提醒 ' || g, '正文', 'n+1-' || g, now() FROM generate_series($2::int, $3::int) g
         RETURNING id, dedupe_key),
       d AS (
         INSERT INTO notification_delivery (notification_id, dedupe_key, channel_kind, target, status, attempts, created_at)
         SELECT id, dedupe_key, 'EMAIL', 'zgc@example.gov.cn', 'SENT', 2, now() FROM n RETURNING id)
       INSERT INTO delivery_attempt (delivery_id, attempted_at, ok, status_code, duration_ms)
       SELECT d.id, now(), a.ok, NULL, 5 FROM d CROSS JOIN (VALUES (false), (true)) a (ok)`,
      [api.fixture.users.zgcOfficer.id, from, inserted],
    );
  }

  async function measure(first: number): Promise<number> {
    const token = await api.token('zgcOfficer');
    const before = api.queryCount();
    const page = dataOf(await api.gql(NOTIFICATIONS, { first }, token));
    const count = api.queryCount() - before;
    expect(page.myNotifications.edges).toHaveLength(first);
    for (const { node } of page.myNotifications.edges) {
      expect(node.deliveries).toHaveLength(1);
      expect(node.deliveries[0].title).toMatch(/^提醒 /);
      expect(node.deliveries[0].attemptLog.map((a) => a.ok)).toEqual([false, true]);
    }
    return count;
  }

  beforeAll(async () => {
    api = await startTestApi();
    // The first request reads the user for authentication, later ones find it held: not a page's cost.
    await api.gql(NOTIFICATIONS, { first: 1 }, await api.token('zgcOfficer'));
  });

  afterAll(() => api.close());

  it('costs the same number of statements for 20 and 40 notifications', async () => {
    await insertNotifications(20);
    const at20 = await measure(20);
    await insertNotifications(20);
    const at40 = await measure(40);
    expect({ at20, at40 }).toEqual({ at20, at40: at20 });
    expect(at20).toBeLessThanOrEqual(BOUND);
  });
});
