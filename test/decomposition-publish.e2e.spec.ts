import { ApprovalService, ApprovalStatus, Decision } from '@zhezi/approval';
import { verifyAuditChain } from '@zhezi/audit';
import { BoardService } from '@zhezi/board';
import { endOfDayInBeijing, FixedClock, transactional, type Actor } from '@zhezi/core';
import { DecompositionService, DraftTask } from '@zhezi/decomposition';
import { type User } from '@zhezi/org';
import { DueKind, Plan, PlanKind, Recurrence, Target, TargetLevel } from '@zhezi/plan';
import { publishRowByRow } from '../libs/testing/src/row-by-row-publish';
import { startTestApi, type TestApi } from './support/test-api';

/**
 * Publishing a decomposition writes in sets (a batch of tasks per statement). The same drafts published that
 * way and row by row, as tasks made by hand are created, must leave the same rows: tasks, milestones, shares,
 * their audit events in order, notifications and deliveries, ladders, drafts and board figures.
 */

const DRAFTS = 240;
const clock = new FixedClock(new Date('2026-03-02T01:00:00.000Z'));
const DAY = 86_400_000;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

let api: TestApi;

const actorOf = (user: User): Actor => ({
  userId: user.id,
  displayName: user.displayName,
  role: user.role,
  orgUnitId: user.orgUnitId,
});

beforeAll(async () => {
  api = await startTestApi({ clock });
  const { units, users } = api.fixture;
  // The leader oversees 发改委: tasks it leads without a named leader get him; 水务局 and 教委 have nobody.
  await api.dataSource.query(`INSERT INTO leader_portfolio (org_unit_id, leader_id) VALUES ($1, $2)`, [
    units.fgw.id,
    users.leader.id,
  ]);
  // 水务局's robot hears of its new shares: a delivery per share.
  await api.dataSource.query(
    `INSERT INTO notification_channel (org_unit_id, kind, name, url) VALUES ($1, 'WEBHOOK', '水务群', $2)`,
    [units.swj.id, 'https://hooks.example.com/swj'],
  );
}, 60_000);

afterAll(() => api?.close());

/** A plan with one target and DRAFTS drafts of every kind: joint leads, many supports, milestones, deadlines. */
async function planWithDrafts(title: string): Promise<Plan> {
  const { units, users } = api.fixture;
  return api.dataSource.transaction(async (m) => {
    const plan = await m.save(
      m.create(Plan, {
        title,
        kind: PlanKind.OUTLINE,
        periodStart: new Date('2025-12-31T16:00:00Z'),
        periodEnd: new Date('2030-12-31T15:59:59Z'),
      }),
    );
    const target = await m.save(
      m.create(Target, {
        planId: plan.id,
        level: TargetLevel.CHAPTER,
        number: '第一章',
        title: '重点任务',
        position: 1,
        path: '0001',
      }),
    );
    const leads = [[units.fgw], [units.swj], [units.jw], [units.swj, units.fgw], [units.zgc]];
    const supports = [[], [units.zgc], [units.xyl, units.hd, units.qh, units.sz], [units.jw]];
    const drafts = Array.from({ length: DRAFTS }, (_, n) => {
      const i = n + 1;
      // Due from three days ahead (inside the first ladder step) to two years ahead.
      const day = new Date(Date.UTC(2026, 2, 5 + ((i * 37) % 700)));
      const dueKind = i % 7 === 0 ? DueKind.ONGOING : i % 11 === 0 ? DueKind.RECURRING : DueKind.DATE;
      const lead = leads[i % leads.length];
      return m.create(DraftTask, {
        planId: plan.id,
        position: i,
        code: String(i),
        title: `第${i}项重点任务`,
        description: `推进第${i}项工作，按期完成。`,
        targetIds: i % 5 === 0 ? [] : [target.id],
        leadUnitIds: lead.map((u) => u.id),
        supportUnitIds: supports[i % supports.length].filter((u) => !lead.includes(u)).map((u) => u.id),
        responsibleLeaderId: i % 3 === 0 ? users.leader.id : null,
        dueAt: endOfDayInBeijing(day.toISOString().slice(0, 10)),
        dueKind,
        recurrence: dueKind === DueKind.RECURRING ? Recurrence.QUARTERLY : null,
        milestones:
          i % 4 === 0
            ? [
                { title: '完成方案', dueAt: new Date(day.getTime() - 10 * DAY) },
                { title: '启动实施', dueAt: new Date(day.getTime() - DAY) },
              ]
            : [],
        taskId: null,
      });
    });
    await m.insert(DraftTask, drafts);
    return plan;
  });
}

/** Everything the publication wrote for a plan, its ids and the transaction's time replaced by names. */
async function writtenFor(planId: string) {
  const ds = api.dataSource;
  const q = <T>(sql: string, params: unknown[]) => ds.query<T[]>(sql, params);
  const tasks = await q<{ id: string; code: string; created_at: Date }>(
    `SELECT id, code, created_at FROM task WHERE plan_id = $1`,
    [planId],
  );
  const taskIds = tasks.map((t) => t.id);
  const names = new Map<string, string>([[planId, 'plan']]);
  for (const t of tasks) names.set(t.id, `task ${t.code}`);
  for (const r of await q<{ id: string; name: string }>(
    `SELECT a.id, t.code || ' ' || u.name AS name FROM assignment a JOIN task t ON t.id = a.task_id
     JOIN org_unit u ON u.id = a.org_unit_id WHERE a.task_id = ANY($1)`,
    [taskIds],
  ))
    names.set(r.id, `share ${r.name}`);
  for (const r of await q<{ id: string; name: string }>(
    `SELECT m.id, t.code || '.' || m.position AS name FROM milestone m JOIN task t ON t.id = m.task_id
     WHERE m.task_id = ANY($1)`,
    [taskIds],
  ))
    names.set(r.id, `milestone ${r.name}`);
  for (const r of await q<{ id: string }>(`SELECT id FROM target WHERE plan_id = $1`, [planId]))
    names.set(r.id, 'target');
  for (const r of await q<{ id: string; code: string }>(
    `SELECT id, code FROM draft_task WHERE plan_id = $1`,
    [planId],
  ))
    names.set(r.id, `draft ${r.code}`);
  const tx = tasks[0].created_at.toISOString();
  const named = (value: unknown): unknown =>
    JSON.parse(
      JSON.stringify(value)
        .replace(UUID, (id) => names.get(id) ?? id)
        .replaceAll(tx, '<transaction time>'),
    );
  const shareIds = [...names.entries()].filter(([, n]) => n.startsWith('share ')).map(([id]) => id);
  const rows = async (sql: string, params: unknown[] = [taskIds]) =>
    named(await q<unknown>(sql, params)) as unknown[];
  // Rows whose order only their ids decide, in the order of their content once named.
  const sorted = async (sql: string, params?: unknown[]) =>
    (await rows(sql, params)).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
  return {
    tasks: await rows(
      `SELECT code, target_id, title, description, responsible_leader_id, due_at, due_kind, recurrence, priority,
         status, progress_percent, created_by_id, version, escalation_policy_id, search_terms, created_at, updated_at
       FROM task WHERE id = ANY($1) ORDER BY code`,
    ),
    milestones: await sorted(`SELECT * FROM milestone WHERE task_id = ANY($1)`),
    shares: await sorted(`SELECT * FROM assignment WHERE task_id = ANY($1)`),
    ladders: await sorted(`SELECT * FROM escalation_state WHERE assignment_id = ANY($1)`, [shareIds]),
    notifications: await sorted(
      `SELECT user_id, kind, title, body, subject_type, subject_id, link, dedupe_key, created_at, read_at
       FROM notification WHERE subject_id = ANY($1)`,
      [shareIds],
    ),
    deliveries: await sorted(
      `SELECT n.subject_id, d.dedupe_key, d.channel_kind, d.channel_id, d.target, d.status
       FROM notification_delivery d JOIN notification n ON n.id = d.notification_id
       WHERE n.subject_id = ANY($1)`,
      [shareIds],
    ),
    // In the order written: per task, its creation, its shares, its default leader and its status.
    audit: await rows(
      `SELECT occurred_at, actor_id, actor_name, action, entity_type, entity_id, task_id, unit_ids, before, after
       FROM audit_event WHERE task_id = ANY($1) ORDER BY id`,
    ),
    drafts: await rows(`SELECT code, task_id, version FROM draft_task WHERE plan_id = $1 ORDER BY position`, [
      planId,
    ]),
    weeks: await rows(`SELECT week, due, closed FROM board_week WHERE plan_id = $1 ORDER BY week`, [planId]),
    boardUnits: await rows(
      `SELECT org_unit_id FROM board_unit_summary WHERE plan_id = $1 ORDER BY org_unit_id`,
      [planId],
    ),
  };
}

/** The leader's board for a plan: totals, every unit's figures and the weekly trend. */
async function boardOf(planId: string) {
  const boards = api.app.get(BoardService);
  const leader = actorOf(api.fixture.users.leader);
  const { totals, units, version } = await boards.leaderBoard(leader, planId);
  return { totals, units, trend: await boards.trend(leader, planId, 12, version) };
}

describe('publishing a decomposition in sets', () => {
  it('writes what publishing row by row writes, in a fixed number of statements', async () => {
    const { users } = api.fixture;
    const [inSets, rowByRow] = [await planWithDrafts('分批发布'), await planWithDrafts('逐条发布')];

    // The real path: submitted, reviewed by the inspectorate, published by the leader's final approval.
    const approvals = api.app.get(ApprovalService);
    const request = await api.app
      .get(DecompositionService)
      .submit(actorOf(users.admin), { planId: inSets.id, comment: '' });
    await approvals.decide(actorOf(users.inspector), {
      requestId: request.id,
      decision: Decision.APPROVE,
      comment: '',
    });
    const before = api.queryCount();
    const decided = await approvals.decide(actorOf(users.leader), {
      requestId: request.id,
      decision: Decision.APPROVE,
      comment: '',
    });
    const setStatements = api.queryCount() - before;
    expect(decided.status).toBe(ApprovalStatus.APPROVED);

    // The yardstick: the same drafts, each through the services that create one task by hand.
    const drafts = await api.dataSource.getRepository(DraftTask).find({
      where: { planId: rowByRow.id },
      order: { position: 'ASC' },
    });
    const started = api.queryCount();
    await transactional(api.dataSource, (m) => publishRowByRow(api.app, m, actorOf(users.leader), drafts));
    const rowStatements = api.queryCount() - started;

    const [a, b] = [await writtenFor(inSets.id), await writtenFor(rowByRow.id)];
    expect(a.tasks).toHaveLength(DRAFTS);
    expect(a.shares.length).toBeGreaterThan(DRAFTS * 2);
    expect(a.deliveries.length).toBeGreaterThan(0);
    expect(new Set((a.audit as { action: string }[]).map((e) => e.action))).toEqual(
      new Set(['task.create', 'assignment.assign', 'task.responsibleLeader', 'task.status']),
    );
    for (const key of Object.keys(a) as (keyof typeof a)[])
      expect({ [key]: a[key] }).toEqual({ [key]: b[key] });
    expect(await boardOf(inSets.id)).toEqual(await boardOf(rowByRow.id));

    // Both publications keep the audit chain whole.
    expect(await verifyAuditChain(api.dataSource)).toMatchObject({ ok: true, firstBrokenId: null });
    // The whole approval (its own bookkeeping included) against about 25 statements per task row by row.
    expect(setStatements).toBeLessThan(100);
    expect(rowStatements).toBeGreaterThan(DRAFTS * 10);
  }, 120_000);
});
