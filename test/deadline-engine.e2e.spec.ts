import { FixedClock } from '@zhezi/core';
import { EscalationEngine, EscalationReconciler } from '@zhezi/deadline';
import { graphql } from './gql';
import { dataOf, outcomeOf, taskOps } from './support/ops';
import { startTestApi, type TestApi } from './support/test-api';

const SHARE = graphql(`
  query DeadlineEngineShare($id: ID!) {
    assignment(id: $id) {
      version
      status
      light
      escalateNowTo
      nextEscalation {
        action
        level
        occurrence
        at
        workdaysFromNow
        label
        provisional
      }
      escalations {
        action
        level
        occurrence
        outcome
        plannedAt
        firedAt
        acknowledgedAt
        reason
      }
      supervisionNotices {
        id
        code
        status
        version
        responseDueAt
      }
    }
  }
`);
const ACCEPT = graphql(`
  mutation DeadlineEngineAccept($input: AssignmentTransitionInput!) {
    acceptAssignment(input: $input) {
      version
    }
  }
`);
const EXTEND = graphql(`
  mutation DeadlineEngineRequestExtension($input: RequestExtensionInput!) {
    requestExtension(input: $input) {
      id
    }
  }
`);
const DECIDE = graphql(`
  mutation DeadlineEngineDecide($input: DecideApprovalInput!) {
    decideApproval(input: $input) {
      status
    }
  }
`);
const CLOSE_OUT = graphql(`
  mutation DeadlineEngineRequestCloseOut($input: RequestCloseOutInput!) {
    requestCloseOut(input: $input) {
      id
    }
  }
`);
const ESCALATE_NOW = graphql(`
  mutation DeadlineEngineEscalateNow($id: ID!, $reason: String!) {
    escalateNow(assignmentId: $id, reason: $reason) {
      action
      level
      outcome
      reason
    }
  }
`);
const SKIP = graphql(`
  mutation DeadlineEngineSkip($id: ID!, $reason: String!) {
    skipEscalationLevel(assignmentId: $id, reason: $reason) {
      action
      level
      outcome
    }
  }
`);
const NOTIFICATIONS = graphql(`
  query DeadlineEngineNotifications {
    unreadNotificationCount
    myNotifications(first: 50) {
      edges {
        node {
          kind
          title
          body
        }
      }
    }
  }
`);

/** 09:00 Beijing on a day, as the ladder plans working-day levels. */
const nine = (day: string) => new Date(`${day}T01:00:00.000Z`).toISOString();

/**
 * The default ladder over a task due on Thursday 2024-10-10, just after the 2024 National Day holiday
 * (10-01..07 off; Sunday 09-29 and Saturday 10-12 were make-up workdays), with the clock stepped hour by
 * hour and every due escalation fired as the worker would.
 */
describe('deadline engine (e2e, injectable clock)', () => {
  const clock = new FixedClock(new Date('2024-09-20T02:00:00Z'));
  let api: TestApi;
  let engine: EscalationEngine;

  beforeAll(async () => {
    api = await startTestApi({ clock });
    engine = api.app.get(EscalationEngine);
  });

  afterAll(() => api.close());

  /** Fires everything due up to each hour until `until`, as the BullMQ slot jobs do. */
  async function runUntil(until: string): Promise<void> {
    const end = new Date(until).getTime();
    while (clock.now().getTime() < end) {
      clock.advance(Math.min(3600_000, end - clock.now().getTime()));
      await engine.fireDue(clock.now(), 10_000);
    }
  }

  async function freshShare(dueAt = '2024-10-10T15:59:59.999Z') {
    clock.set(new Date('2024-09-20T02:00:00Z'));
    const ops = taskOps(api);
    const leader = await api.token('leader');
    const task = await ops.createTask(leader, {
      planId: api.fixture.plan.id,
      title: '国庆前后督办测试任务',
      responsibleLeaderId: api.fixture.users.leader.id,
      dueAt,
    });
    const [share] = await ops.assignTask(leader, task.id, [{ orgUnitId: api.fixture.units.zgc.id, dueAt }]);
    return share.id;
  }

  const shareOf = async (id: string, user = 'inspector') =>
    dataOf(await api.gql(SHARE, { id }, await api.token(user))).assignment;

  const fired = async (id: string) =>
    (await shareOf(id)).escalations.map((e) => [e.action, e.occurrence, e.outcome, e.plannedAt]);

  it('climbs the default ladder on the working-day calendar, across the holiday and its make-up days', async () => {
    const id = await freshShare();
    expect((await shareOf(id)).nextEscalation).toMatchObject({
      action: 'REMIND',
      at: nine('2024-09-27'),
      label: '下一步：5个工作日后提醒',
    });
    await runUntil('2024-10-25T12:00:00Z');
    expect(await fired(id)).toEqual([
      ['REMIND', 0, 'FIRED', nine('2024-09-27')], // −5 workdays: 09-29 (Sunday) was a make-up workday
      ['REMIND', 0, 'FIRED', nine('2024-10-09')], // −1: the holiday week does not count
      ['URGE', 0, 'FIRED', nine('2024-10-10')],
      ['SUPERVISE', 0, 'FIRED', nine('2024-10-11')],
      ['SUPERVISE', 1, 'FIRED', nine('2024-10-12')], // repeated each workday until answered; Saturday 10-12 worked
      ['SUPERVISE', 2, 'FIRED', nine('2024-10-14')],
      ['SUPERVISE', 3, 'FIRED', nine('2024-10-15')],
      ['REPORT', 0, 'FIRED', nine('2024-10-16')], // +5 supersedes the repeats
      ['INTERVIEW', 0, 'FIRED', nine('2024-10-23')],
    ]);
    const share = await shareOf(id);
    expect(share.nextEscalation).toBeNull();
    expect(share.light).toBe('RED');
    expect(share.supervisionNotices).toHaveLength(1);
    expect(share.supervisionNotices[0]).toMatchObject({
      status: 'OPEN',
      responseDueAt: '2024-10-15T15:59:59.999Z', // 3 workdays after 10-11 (10-12, 10-14, 10-15), to the day's end
    });
  });

  it('fires each planned escalation once, whatever the number of jobs that carry it', async () => {
    const id = await freshShare();
    clock.set(new Date('2024-09-27T01:00:00Z'));
    const results = await Promise.all([1, 2, 3, 4].map(() => engine.fireDue(clock.now(), 10_000)));
    expect(results.flatMap((r) => r.fired).filter((f) => f.assignmentId === id)).toHaveLength(1);
    expect(await fired(id)).toEqual([['REMIND', 0, 'FIRED', nine('2024-09-27')]]);
    const notifications = await api.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM notification WHERE subject_id = $1 AND kind = 'ESCALATION'`,
      [id],
    );
    expect(notifications[0].n).toBe(1); // 中关村街道's one officer
  });

  it('stops repeats when the unit signs for the assignment, and tells the unit in its inbox', async () => {
    const id = await freshShare();
    await runUntil('2024-10-11T02:00:00Z');
    const { version } = await shareOf(id);
    dataOf(await api.gql(ACCEPT, { input: { assignmentId: id, version } }, await api.token('zgcOfficer')));
    await runUntil('2024-10-25T12:00:00Z');
    expect((await fired(id)).map(([action, occurrence]) => `${action}${occurrence}`)).toEqual([
      'REMIND0',
      'REMIND0',
      'URGE0',
      'SUPERVISE0',
      'REPORT0',
      'INTERVIEW0',
    ]);
    const inbox = dataOf(await api.gql(NOTIFICATIONS, {}, await api.token('zgcOfficer')));
    const titles = inbox.myNotifications.edges.map((e) => e.node.title);
    expect(titles.some((t) => t.startsWith('【督办】'))).toBe(true);
    expect(titles.some((t) => t.startsWith('【提醒】'))).toBe(true);
  });

  it('moves the ladder when an extension is approved, in the same transaction', async () => {
    const id = await freshShare();
    await runUntil('2024-10-08T04:00:00Z');
    const { version } = await shareOf(id);
    const input = {
      assignmentId: id,
      version,
      newDueAt: '2024-10-31T15:59:59.999Z',
      reason: '国庆假期影响施工',
      comment: '',
    };
    const request = dataOf(await api.gql(EXTEND, { input }, await api.token('zgcOfficer'))).requestExtension;
    for (const user of ['zgcHead', 'inspector', 'leader']) {
      dataOf(
        await api.gql(
          DECIDE,
          { input: { requestId: request.id, decision: 'APPROVE', comment: '' } },
          await api.token(user),
        ),
      );
    }
    // The new cycle started on 10-08: its −5 level (10-24) is still ahead; nothing of the old cycle fires again.
    expect((await shareOf(id)).nextEscalation).toMatchObject({ action: 'REMIND', at: nine('2024-10-24') });
    await runUntil('2024-10-31T12:00:00Z');
    expect(await fired(id)).toEqual([
      ['REMIND', 0, 'FIRED', nine('2024-09-27')],
      ['REMIND', 0, 'FIRED', nine('2024-10-24')],
      ['REMIND', 0, 'FIRED', nine('2024-10-30')],
      ['URGE', 0, 'FIRED', nine('2024-10-31')],
    ]);
  });

  it('cancels everything pending when the share is closed out', async () => {
    const id = await freshShare();
    await runUntil('2024-10-09T04:00:00Z');
    const officer = await api.token('zgcOfficer');
    let { version } = await shareOf(id);
    dataOf(await api.gql(ACCEPT, { input: { assignmentId: id, version } }, officer));
    ({ version } = await shareOf(id));
    const request = dataOf(
      await api.gql(CLOSE_OUT, { input: { assignmentId: id, version, comment: '已完成' } }, officer),
    ).requestCloseOut;
    for (const user of ['zgcHead', 'inspector', 'leader']) {
      await api.gql(
        DECIDE,
        { input: { requestId: request.id, decision: 'APPROVE', comment: '' } },
        await api.token(user),
      );
    }
    const closed = await shareOf(id);
    expect(closed.status).toBe('CLOSED');
    expect(closed.nextEscalation).toBeNull();
    expect(closed.light).toBeNull();
    await runUntil('2024-10-25T12:00:00Z');
    expect((await fired(id)).map(([action]) => action)).toEqual(['REMIND', 'REMIND']);
  });

  it('lets the inspectorate escalate now or skip a level, with a reason, and audits both', async () => {
    const id = await freshShare();
    const inspector = await api.token('inspector');
    expect(
      outcomeOf(await api.gql(ESCALATE_NOW, { id, reason: '领导批示' }, await api.token('zgcOfficer'))),
    ).toBe('FORBIDDEN');
    expect(dataOf(await api.gql(SKIP, { id, reason: '已电话提醒' }, inspector))).toEqual({
      skipEscalationLevel: { action: 'REMIND', level: 0, outcome: 'SKIPPED' },
    });
    expect(dataOf(await api.gql(ESCALATE_NOW, { id, reason: '领导批示提前催办' }, inspector))).toEqual({
      escalateNow: { action: 'REMIND', level: 1, outcome: 'FIRED', reason: '领导批示提前催办' },
    });
    expect((await shareOf(id)).nextEscalation).toMatchObject({ action: 'URGE', at: nine('2024-10-10') });
    const audit = await api.dataSource.query<{ action: string }[]>(
      `SELECT action FROM audit_event WHERE entity_id = $1 AND action LIKE 'escalation.%' ORDER BY id`,
      [id],
    );
    expect(audit.map((a) => a.action)).toEqual(['escalation.skip', 'escalation.escalate_now']);
    expect(outcomeOf(await api.gql(ESCALATE_NOW, { id, reason: '' }, inspector))).toBe('BAD_USER_INPUT');
  });

  it('lets the inspectorate climb by hand the ladder of a share handed out after its deadline', async () => {
    // Due on 1 August, handed out on 20 September: every level's date passed before the share existed.
    const id = await freshShare('2024-08-01T15:59:59.999Z');
    const inspector = await api.token('inspector');
    expect(await shareOf(id)).toMatchObject({ light: 'RED', nextEscalation: null, escalateNowTo: 'URGE' });
    await runUntil('2024-09-24T12:00:00Z');
    expect(await fired(id)).toEqual([]);
    // By hand, from the urge on (a reminder of the coming deadline would be noise), one level at a time.
    expect(dataOf(await api.gql(ESCALATE_NOW, { id, reason: '逾期后分派，督查室催办' }, inspector))).toEqual({
      escalateNow: { action: 'URGE', level: 2, outcome: 'FIRED', reason: '逾期后分派，督查室催办' },
    });
    expect((await shareOf(id)).escalateNowTo).toBe('SUPERVISE');
    expect(dataOf(await api.gql(ESCALATE_NOW, { id, reason: '仍未报送进展' }, inspector))).toMatchObject({
      escalateNow: { action: 'SUPERVISE', level: 3, outcome: 'FIRED' },
    });
    // The 督办 climbed to does not repeat for the days before the share existed.
    await runUntil('2024-09-27T12:00:00Z');
    expect((await fired(id)).map(([action, occurrence]) => [action, occurrence])).toEqual([
      ['URGE', 0],
      ['SUPERVISE', 0],
    ]);
    expect(dataOf(await api.gql(SKIP, { id, reason: '已当面督促' }, inspector))).toEqual({
      skipEscalationLevel: { action: 'REPORT', level: 4, outcome: 'SKIPPED' },
    });
    expect(dataOf(await api.gql(ESCALATE_NOW, { id, reason: '约谈' }, inspector))).toMatchObject({
      escalateNow: { action: 'INTERVIEW', level: 5, outcome: 'FIRED' },
    });
    expect(await shareOf(id)).toMatchObject({ nextEscalation: null, escalateNowTo: null });
    expect(outcomeOf(await api.gql(ESCALATE_NOW, { id, reason: '再升一级' }, inspector))).toBe('CONFLICT');
  });

  it('re-derives the same plans from the database alone (reconciliation changes nothing that is right)', async () => {
    await freshShare();
    const first = await api.app.get(EscalationReconciler).reconcile();
    expect(first.changed).toBe(0);
    const plans = () =>
      api.dataSource.query<{ next_at: Date | null }[]>(
        `SELECT assignment_id, next_level, next_occurrence, next_at FROM escalation_state ORDER BY assignment_id`,
      );
    const before = await plans();
    await api.dataSource.query(`UPDATE escalation_state SET next_at = NULL, version = version + 1`);
    const second = await api.app.get(EscalationReconciler).reconcile();
    expect(second.changed).toBe(before.filter((p) => p.next_at).length);
    expect(await plans()).toEqual(before);
    expect((await api.app.get(EscalationReconciler).reconcile()).changed).toBe(0);
  });
});
