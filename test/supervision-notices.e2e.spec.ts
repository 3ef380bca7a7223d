import { FixedClock } from '@zhezi/core';
import { EscalationEngine, SupervisionNoticeService } from '@zhezi/deadline';
import { graphql } from './gql';
import type {
  OpenSupervisionNoticeInput,
  SupervisionNoticesListQuery,
  SupervisionNoticesListQueryVariables,
  SupervisionNoticesNoticeFragment,
} from './gql/graphql';
import { dataOf, outcomeOf, taskOps } from './support/ops';
import { startTestApi, type GqlResult, type TestApi } from './support/test-api';

graphql(`
  fragment SupervisionNoticesNotice on SupervisionNotice {
    id
    code
    status
    version
    assignmentId
    escalationId
    openedById
    openedAt
    responseDueAt
    response
    newPlan
    answeredAt
    answeredById
    returnCount
    returnReason
    closedAt
  }
`);

const OPEN = graphql(`
  mutation SupervisionNoticesOpen($input: OpenSupervisionNoticeInput!) {
    openSupervisionNotice(input: $input) {
      ...SupervisionNoticesNotice
    }
  }
`);
const ANSWER = graphql(`
  mutation SupervisionNoticesAnswer($input: AnswerSupervisionNoticeInput!) {
    answerSupervisionNotice(input: $input) {
      ...SupervisionNoticesNotice
    }
  }
`);
const RETURN = graphql(`
  mutation SupervisionNoticesReturn($input: ReviewSupervisionNoticeInput!) {
    returnSupervisionAnswer(input: $input) {
      ...SupervisionNoticesNotice
    }
  }
`);
const ACCEPT_ANSWER = graphql(`
  mutation SupervisionNoticesAcceptAnswer($input: ReviewSupervisionNoticeInput!) {
    acceptSupervisionAnswer(input: $input) {
      ...SupervisionNoticesNotice
    }
  }
`);
const NOTICE = graphql(`
  query SupervisionNoticesNoticeById($id: ID!) {
    supervisionNotice(id: $id) {
      ...SupervisionNoticesNotice
      assignment {
        id
        orgUnitId
      }
    }
  }
`);
const NOTICES = graphql(`
  query SupervisionNoticesList($status: SupervisionNoticeStatus, $overdueOnly: Boolean, $first: Int) {
    supervisionNotices(status: $status, overdueOnly: $overdueOnly, first: $first) {
      totalCount
      edges {
        node {
          id
          status
          responseDueAt
          assignment {
            orgUnitId
          }
        }
      }
    }
  }
`);
const SHARE = graphql(`
  query SupervisionNoticesShare($id: ID!) {
    assignment(id: $id) {
      version
      status
      nextEscalation {
        action
        level
        occurrence
        at
      }
      escalations {
        id
        action
        level
        occurrence
        outcome
        plannedAt
        acknowledgedAt
      }
      supervisionNotices {
        ...SupervisionNoticesNotice
      }
    }
  }
`);
const ACCEPT_SHARE = graphql(`
  mutation SupervisionNoticesAcceptShare($input: AssignmentTransitionInput!) {
    acceptAssignment(input: $input) {
      version
    }
  }
`);
const CLOSE_OUT = graphql(`
  mutation SupervisionNoticesRequestCloseOut($input: RequestCloseOutInput!) {
    requestCloseOut(input: $input) {
      id
    }
  }
`);
const DECIDE = graphql(`
  mutation SupervisionNoticesDecide($input: DecideApprovalInput!) {
    decideApproval(input: $input) {
      status
    }
  }
`);
const ESCALATE_NOW = graphql(`
  mutation SupervisionNoticesEscalateNow($id: ID!, $reason: String!) {
    escalateNow(assignmentId: $id, reason: $reason) {
      action
    }
  }
`);

type Notice = SupervisionNoticesNoticeFragment;
type NoticeList = SupervisionNoticesListQuery['supervisionNotices'];

/** 09:00 Beijing on a day, when working-day levels fire. */
const nine = (day: string) => new Date(`${day}T01:00:00.000Z`).toISOString();
/** The last instant of a Beijing day: answers are due by then. */
const endOf = (day: string) => new Date(`${day}T15:59:59.999Z`).toISOString();

const START = new Date('2026-03-02T02:00:00Z'); // Monday 10:00 in Beijing; no holiday in March 2026
const DUE = endOf('2026-03-06'); // the Friday of that week

/**
 * 督办单 over HTTP. The default ladder over a share due Friday 2026-03-06: remind on Thursday 03-05, urge on
 * the due day, supervise from Monday 03-09 (repeated each workday until answered), report on 03-13.
 */
describe('supervision notices (e2e over HTTP)', () => {
  const clock = new FixedClock(START);
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

  /** A fresh share of a new task for a unit (中关村街道 unless told), due on Friday, made on Monday. */
  async function freshShare(unit: 'zgc' | 'xyl' = 'zgc'): Promise<string> {
    clock.set(START);
    const ops = taskOps(api);
    const leader = await api.token('leader');
    const task = await ops.createTask(leader, {
      planId: api.fixture.plan.id,
      title: `督办单测试任务（${unit}）`,
      responsibleLeaderId: api.fixture.users.leader.id,
      dueAt: DUE,
    });
    const [share] = await ops.assignTask(leader, task.id, [
      { orgUnitId: api.fixture.units[unit].id, dueAt: DUE },
    ]);
    return share.id;
  }

  const shareOf = async (id: string, user = 'inspector') =>
    dataOf(await api.gql(SHARE, { id }, await api.token(user))).assignment;

  const noticeOf = async (id: string, user = 'inspector') =>
    dataOf(await api.gql(NOTICE, { id }, await api.token(user))).supervisionNotice;

  async function open(
    assignmentId: string,
    user = 'inspector',
    extra: Partial<OpenSupervisionNoticeInput> = {},
  ) {
    const input = { assignmentId, reason: '推进缓慢，群众反映强烈', ...extra };
    return api.gql(OPEN, { input }, await api.token(user));
  }

  async function answer(notice: Pick<Notice, 'id' | 'version'>, user = 'zgcOfficer') {
    const input = {
      noticeId: notice.id,
      version: notice.version,
      response: '已制定整改方案',
      newPlan: '3月底前完工',
    };
    return api.gql(ANSWER, { input }, await api.token(user));
  }

  async function sendBack(notice: Pick<Notice, 'id' | 'version'>, reason?: string, user = 'inspector') {
    const input = { noticeId: notice.id, version: notice.version, ...(reason !== undefined && { reason }) };
    return api.gql(RETURN, { input }, await api.token(user));
  }

  async function acceptAnswer(notice: Pick<Notice, 'id' | 'version'>, user = 'inspector') {
    const input = { noticeId: notice.id, version: notice.version };
    return api.gql(ACCEPT_ANSWER, { input }, await api.token(user));
  }

  const errorOf = (result: GqlResult<unknown>) => result.errors?.[0]?.extensions;

  /** Titles of what a fixture user was told about a subject, oldest first. */
  async function told(username: keyof TestApi['fixture']['users'], subjectId: string): Promise<string[]> {
    const rows = await api.dataSource.query<{ title: string }[]>(
      `SELECT title FROM notification WHERE user_id = $1 AND subject_id = $2 ORDER BY created_at, id`,
      [api.fixture.users[username].id, subjectId],
    );
    return rows.map((r) => r.title);
  }

  const auditOf = async (entityId: string) =>
    (
      await api.dataSource.query<{ action: string }[]>(
        `SELECT action FROM audit_event WHERE entity_id = $1 ORDER BY id`,
        [entityId],
      )
    ).map((row) => row.action);

  it('opens one notice on the first SUPERVISE escalation; the repeats join it', async () => {
    const id = await freshShare();
    await runUntil('2026-03-10T02:00:00Z');
    const share = await shareOf(id);
    expect(share.escalations.map((e) => [e.action, e.occurrence, e.plannedAt])).toEqual([
      ['REMIND', 0, nine('2026-03-05')],
      ['URGE', 0, nine('2026-03-06')],
      ['SUPERVISE', 0, nine('2026-03-09')],
      ['SUPERVISE', 1, nine('2026-03-10')],
    ]);
    expect(share.supervisionNotices).toHaveLength(1);
    const [notice] = share.supervisionNotices;
    expect(notice.code).toMatch(/^督〔2026〕\d+号$/);
    expect(notice).toMatchObject({
      status: 'OPEN',
      escalationId: share.escalations[2].id, // opened by the first SUPERVISE, not the repeat
      openedById: null,
      openedAt: nine('2026-03-09'),
      responseDueAt: endOf('2026-03-12'), // 3 workdays after Monday 03-09, to that day's end
      returnCount: 0,
    });
    expect(share.nextEscalation).toMatchObject({
      action: 'SUPERVISE',
      occurrence: 2,
      at: nine('2026-03-11'),
    });
    const rows = await api.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM supervision_notice WHERE assignment_id = $1`,
      [id],
    );
    expect(rows[0].n).toBe(1);

    // Both SUPERVISE messages point at the same notice; the repeat says which time it is.
    const titles = await told('zgcOfficer', id);
    expect(titles.filter((t) => t.startsWith('【督办'))).toEqual([
      '【督办】督办单测试任务（zgc）',
      '【督办（第2次）】督办单测试任务（zgc）',
    ]);
    const bodies = await api.dataSource.query<{ body: string }[]>(
      `SELECT body FROM notification WHERE user_id = $1 AND subject_id = $2 AND title LIKE '【督办%' ORDER BY created_at`,
      [api.fixture.users.zgcOfficer.id, id],
    );
    expect(bodies.map((b) => b.body.includes(notice.code))).toEqual([true, true]);
    expect(bodies[0].body).toContain('请于2026年3月12日前提交整改说明和推进计划');
  });

  it('lets the inspectorate open one by hand, once while one is in force, never on a closed share', async () => {
    const id = await freshShare();
    expect(outcomeOf(await open(id, 'zgcHead'))).toBe('FORBIDDEN');
    const notice = dataOf(await open(id, 'inspector', { responseWorkdays: 2 })).openSupervisionNotice;
    expect(notice.code).toMatch(/^督〔2026〕\d+号$/);
    expect(notice).toMatchObject({
      status: 'OPEN',
      version: 1,
      assignmentId: id,
      escalationId: null,
      openedById: api.fixture.users.inspector.id,
      openedAt: START.toISOString(),
      responseDueAt: endOf('2026-03-04'), // Monday + 2 workdays
    });

    const second = await open(id);
    expect(errorOf(second)).toMatchObject({ code: 'CONFLICT', noticeId: notice.id });
    const third = await open(id, 'admin');
    expect(outcomeOf(third)).toBe('CONFLICT');

    // The unit is told (officer and head), and the opening is audited.
    expect(await told('zgcOfficer', notice.id)).toEqual([`【督办单】${notice.code}`]);
    expect(await told('zgcHead', notice.id)).toEqual([`【督办单】${notice.code}`]);
    expect(await told('xylOfficer', notice.id)).toEqual([]);
    expect(await auditOf(notice.id)).toEqual(['supervisionNotice.open']);

    // A SUPERVISE escalation while the hand-made notice is in force joins it.
    const inspector = await api.token('inspector');
    for (let i = 0; i < 3; i++) dataOf(await api.gql(ESCALATE_NOW, { id, reason: '领导批示' }, inspector));
    const share = await shareOf(id);
    expect(share.escalations.map((e) => e.action)).toEqual(['REMIND', 'URGE', 'SUPERVISE']);
    expect(share.supervisionNotices.map((n) => n.id)).toEqual([notice.id]);
  });

  it('takes the unit’s answer: other units are refused, a stale version is a conflict; the repeats stop', async () => {
    const id = await freshShare();
    await runUntil('2026-03-09T02:00:00Z');
    const [notice] = (await shareOf(id)).supervisionNotices;
    expect(notice.status).toBe('OPEN');

    expect(outcomeOf(await answer(notice, 'xylOfficer'))).toBe('FORBIDDEN');
    expect(outcomeOf(await answer(notice, 'inspector'))).toBe('FORBIDDEN');
    expect(outcomeOf(await answer(notice, 'fgwOfficer'))).toBe('FORBIDDEN');
    const stale = await answer({ id: notice.id, version: notice.version + 1 });
    expect(errorOf(stale)).toMatchObject({ code: 'CONFLICT', currentVersion: notice.version });
    expect((await noticeOf(notice.id)).status).toBe('OPEN');

    const answered = dataOf(await answer(notice)).answerSupervisionNotice;
    expect(answered).toMatchObject({
      status: 'ANSWERED',
      version: notice.version + 1,
      response: '已制定整改方案',
      newPlan: '3月底前完工',
      answeredAt: clock.now().toISOString(),
      answeredById: api.fixture.users.zgcOfficer.id,
    });
    expect(outcomeOf(await answer(answered))).toBe('CONFLICT'); // answered already

    // The answer acknowledges the SUPERVISE step: no repeat is planned, the ladder's next step is REPORT.
    const share = await shareOf(id);
    expect(share.nextEscalation).toMatchObject({ action: 'REPORT', occurrence: 0, at: nine('2026-03-13') });
    expect(share.escalations.find((e) => e.action === 'SUPERVISE')!.acknowledgedAt).toBe(
      clock.now().toISOString(),
    );
    await runUntil('2026-03-16T00:00:00Z');
    expect((await shareOf(id)).escalations.map((e) => `${e.action}${e.occurrence}`)).toEqual([
      'REMIND0',
      'URGE0',
      'SUPERVISE0',
      'REPORT0',
    ]);

    // The inspectorate hears of the answer, once; the answer is audited.
    expect(await told('inspector', notice.id)).toEqual([`【督办单已答复】${notice.code}`]);
    expect(await auditOf(notice.id)).toEqual(['supervisionNotice.answer']);
  });

  it('returns an answer with a reason and a new due date, then accepts the next answer', async () => {
    const id = await freshShare();
    const opened = dataOf(await open(id)).openSupervisionNotice;
    expect(opened.responseDueAt).toBe(endOf('2026-03-05'));
    expect(errorOf(await acceptAnswer(opened))).toMatchObject({ code: 'CONFLICT', currentStatus: 'OPEN' });
    expect(errorOf(await sendBack(opened, '材料不全'))).toMatchObject({
      code: 'CONFLICT',
      currentStatus: 'OPEN',
    });

    clock.set(new Date('2026-03-04T03:00:00Z'));
    const answered = dataOf(await answer(opened)).answerSupervisionNotice;
    expect(errorOf(await sendBack(answered))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect(errorOf(await sendBack(answered, ''))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect(outcomeOf(await sendBack(answered, '措施不具体', 'zgcHead'))).toBe('FORBIDDEN');
    expect(outcomeOf(await acceptAnswer(answered, 'zgcHead'))).toBe('FORBIDDEN');
    expect(errorOf(await sendBack({ ...answered, version: 1 }, '措施不具体'))).toMatchObject({
      code: 'CONFLICT',
      currentVersion: answered.version,
    });

    const returned = dataOf(await sendBack(answered, '措施不具体')).returnSupervisionAnswer;
    expect(returned).toMatchObject({
      status: 'OPEN',
      returnCount: 1,
      returnReason: '措施不具体',
      responseDueAt: endOf('2026-03-09'), // the same 3 workdays, from Wednesday 03-04
      closedAt: null,
    });
    expect(await told('zgcOfficer', opened.id)).toContain(`【督办单被退回】${opened.code}`);

    clock.set(new Date('2026-03-05T03:00:00Z'));
    const again = dataOf(await answer(returned)).answerSupervisionNotice;
    expect(again.status).toBe('ANSWERED');
    const closed = dataOf(await acceptAnswer(again)).acceptSupervisionAnswer;
    expect(closed).toMatchObject({ status: 'CLOSED', returnCount: 1, closedAt: clock.now().toISOString() });
    expect(errorOf(await acceptAnswer(closed))).toMatchObject({ code: 'CONFLICT', currentStatus: 'CLOSED' });
    expect(errorOf(await answer(closed))).toMatchObject({ code: 'CONFLICT', currentStatus: 'CLOSED' });
    expect(await told('zgcHead', opened.id)).toEqual([
      `【督办单】${opened.code}`,
      `【督办单被退回】${opened.code}`,
      `【督办单已办结】${opened.code}`,
    ]);
    expect(await auditOf(opened.id)).toEqual([
      'supervisionNotice.open',
      'supervisionNotice.answer',
      'supervisionNotice.return',
      'supervisionNotice.answer',
      'supervisionNotice.accept',
    ]);

    // With nothing in force any more, a new notice may be opened.
    expect(dataOf(await open(id)).openSupervisionNotice.id).not.toBe(opened.id);
  });

  // The window is the notice's own (3 workdays), counted again from each return.
  it('gives a second return the same response window as the first', async () => {
    const id = await freshShare();
    const opened = dataOf(await open(id)).openSupervisionNotice; // Monday 03-02, due Thursday 03-05
    clock.set(new Date('2026-03-04T03:00:00Z'));
    const first = dataOf(
      await sendBack(dataOf(await answer(opened)).answerSupervisionNotice, '措施不具体'),
    ).returnSupervisionAnswer;
    expect(first.responseDueAt).toBe(endOf('2026-03-09')); // 3 workdays from Wednesday
    clock.set(new Date('2026-03-10T03:00:00Z'));
    const second = dataOf(
      await sendBack(dataOf(await answer(first)).answerSupervisionNotice, '仍不具体'),
    ).returnSupervisionAnswer;
    expect(second.returnCount).toBe(2);
    expect(second.responseDueAt).toBe(endOf('2026-03-13')); // 3 workdays from Tuesday 03-10
  });

  it('escalates an overdue answer once per due date, to the unit head and the inspectorate', async () => {
    const id = await freshShare();
    const notice = dataOf(await open(id)).openSupervisionNotice; // due by the end of Thursday 03-05
    const notices = api.app.get(SupervisionNoticeService);
    const overdueTitle = `【督办单逾期未答复】${notice.code}`;
    const overdueOf = async (user: 'zgcHead' | 'zgcOfficer' | 'inspector') =>
      (await told(user, notice.id)).filter((t) => t === overdueTitle);

    clock.set(new Date(notice.responseDueAt)); // the last instant: not overdue yet
    await notices.escalateOverdue();
    expect(await overdueOf('inspector')).toEqual([]);

    clock.set(new Date('2026-03-06T01:00:00Z'));
    await notices.escalateOverdue();
    await notices.escalateOverdue();
    expect(await overdueOf('zgcHead')).toEqual([overdueTitle]);
    expect(await overdueOf('inspector')).toEqual([overdueTitle]);
    expect(await overdueOf('zgcOfficer')).toEqual([]);

    const overdue = async (user: string) =>
      dataOf(
        await api.gql(NOTICES, { overdueOnly: true, first: 100 }, await api.token(user)),
      ).supervisionNotices.edges.map((e) => e.node.id);
    expect(await overdue('inspector')).toContain(notice.id);
    expect(await overdue('zgcOfficer')).toContain(notice.id);

    // Answered, it is no longer overdue; returned, it has a new due date and may escalate once more.
    const answered = dataOf(await answer(await noticeOf(notice.id))).answerSupervisionNotice;
    expect(await overdue('inspector')).not.toContain(notice.id);
    const returned = dataOf(await sendBack(answered, '未说明原因')).returnSupervisionAnswer;
    expect(returned.responseDueAt).toBe(endOf('2026-03-11'));
    clock.set(new Date('2026-03-12T01:00:00Z'));
    await notices.escalateOverdue();
    await notices.escalateOverdue();
    expect(await overdueOf('zgcHead')).toEqual([overdueTitle, overdueTitle]);
    expect(await overdueOf('inspector')).toEqual([overdueTitle, overdueTitle]);
  });

  // The sweep's bookkeeping is not a change the unit has to re-read.
  it('keeps the version the unit holds valid across the overdue sweep', async () => {
    const id = await freshShare();
    const notice = dataOf(await open(id)).openSupervisionNotice;
    clock.set(new Date('2026-03-06T01:00:00Z'));
    await api.app.get(SupervisionNoticeService).escalateOverdue();
    expect(outcomeOf(await answer(notice))).toBe('ok');
  });

  /** The unit signs for the share and has it closed out (销号) through the approval chain. */
  async function closeOut(id: string): Promise<void> {
    const officer = await api.token('zgcOfficer');
    const version = (await shareOf(id)).version;
    dataOf(await api.gql(ACCEPT_SHARE, { input: { assignmentId: id, version } }, officer));
    const request = dataOf(
      await api.gql(
        CLOSE_OUT,
        { input: { assignmentId: id, version: (await shareOf(id)).version, comment: '已完成' } },
        officer,
      ),
    ).requestCloseOut;
    clock.set(new Date('2026-03-03T02:00:00Z'));
    for (const user of ['zgcHead', 'inspector', 'leader']) {
      const input = { requestId: request.id, decision: 'APPROVE' as const, comment: '' };
      dataOf(await api.gql(DECIDE, { input }, await api.token(user)));
    }
  }

  it('closes the notice in force when the share is closed out, and refuses new ones on it', async () => {
    const id = await freshShare();
    const notice = dataOf(await open(id)).openSupervisionNotice;
    await closeOut(id);
    expect((await shareOf(id)).status).toBe('CLOSED');
    expect(await noticeOf(notice.id)).toMatchObject({
      status: 'CLOSED',
      closedAt: clock.now().toISOString(),
    });

    const refused = await open(id);
    expect(errorOf(refused)).toMatchObject({ code: 'CONFLICT', currentStatus: 'CLOSED' });
    expect(outcomeOf(await answer(await noticeOf(notice.id)))).toBe('CONFLICT');
  });

  it('records the closing with the share in the notice’s trail', async () => {
    const id = await freshShare();
    const notice = dataOf(await open(id)).openSupervisionNotice;
    await closeOut(id);
    expect(await auditOf(notice.id)).toEqual([
      'supervisionNotice.open',
      expect.stringMatching(/^supervisionNotice\./),
    ]);
  });

  it('lists notices by status and overdue, each unit seeing only its own', async () => {
    const zgcShare = await freshShare('zgc');
    const xylShare = await freshShare('xyl');
    const zgcNotice = dataOf(await open(zgcShare)).openSupervisionNotice;
    const xylNotice = dataOf(await open(xylShare)).openSupervisionNotice;
    dataOf(await answer(xylNotice, 'xylOfficer'));
    clock.set(new Date('2026-03-06T01:00:00Z')); // past both response dates

    const list = async (user: string, variables: SupervisionNoticesListQueryVariables) =>
      dataOf(await api.gql(NOTICES, { first: 100, ...variables }, await api.token(user))).supervisionNotices;
    const ids = (l: NoticeList) => l.edges.map((e) => e.node.id);

    const inForce = await list('inspector', { status: 'OPEN' });
    expect(inForce.edges.every((e) => e.node.status === 'OPEN')).toBe(true);
    expect(ids(inForce)).toContain(zgcNotice.id);
    expect(ids(inForce)).not.toContain(xylNotice.id);
    expect(inForce.totalCount).toBe(inForce.edges.length);
    const answered = await list('inspector', { status: 'ANSWERED' });
    expect(ids(answered)).toContain(xylNotice.id);
    expect(answered.edges.every((e) => e.node.status === 'ANSWERED')).toBe(true);

    const overdue = await list('inspector', { overdueOnly: true });
    expect(ids(overdue)).toContain(zgcNotice.id);
    expect(ids(overdue)).not.toContain(xylNotice.id); // answered in time
    expect(overdue.edges.every((e) => e.node.status === 'OPEN')).toBe(true);
    expect(overdue.edges.every((e) => new Date(e.node.responseDueAt) < clock.now())).toBe(true);

    // A subdistrict sees its own notices only; the inspectorate sees them all.
    const zgcAll = await list('zgcOfficer', {});
    expect(zgcAll.edges.length).toBeGreaterThan(0);
    expect(zgcAll.edges.every((e) => e.node.assignment.orgUnitId === api.fixture.units.zgc.id)).toBe(true);
    expect(ids(zgcAll)).toContain(zgcNotice.id);
    expect(ids(zgcAll)).not.toContain(xylNotice.id);
    const xylAll = await list('xylOfficer', {});
    expect(ids(xylAll)).toEqual([xylNotice.id]);
    expect(ids(await list('xylOfficer', { status: 'OPEN' }))).toEqual([]);
    expect(ids(await list('hdOfficer', {}))).toEqual([]);
    const all = await list('inspector', {});
    expect(ids(all)).toEqual(expect.arrayContaining([zgcNotice.id, xylNotice.id]));
    expect(all.totalCount).toBe(zgcAll.totalCount + xylAll.totalCount);

    expect(outcomeOf(await api.gql(NOTICE, { id: zgcNotice.id }, await api.token('xylOfficer')))).toBe(
      'FORBIDDEN',
    );
  });
});
