import { FixedClock } from '@zhezi/core';
import { DigestService, EscalationReconciler, ReportChaseService } from '@zhezi/deadline';
import { graphql } from './gql';
import type {
  CreateEscalationPolicyInput,
  EscalationLevelInput,
  ImportWorkCalendarInput,
} from './gql/graphql';
import { dataOf, outcomeOf, taskOps } from './support/ops';
import { startTestApi, type TestApi } from './support/test-api';

const POLICIES = graphql(`
  query EscalationPoliciesList {
    escalationPolicies {
      id
      name
      isDefault
      currentVersion
      version
      versions {
        number
        levels {
          offsetWorkdays
          offsetDuration
          action
          recipients
          repeatWorkdays
        }
      }
    }
  }
`);
const UPDATE = graphql(`
  mutation EscalationPoliciesUpdate($input: UpdateEscalationPolicyInput!) {
    updateEscalationPolicy(input: $input) {
      currentVersion
      version
    }
  }
`);
const CREATE = graphql(`
  mutation EscalationPoliciesCreate($input: CreateEscalationPolicyInput!) {
    createEscalationPolicy(input: $input) {
      id
      currentVersion
    }
  }
`);
const MIGRATE = graphql(`
  mutation EscalationPoliciesMigrate($id: ID!) {
    migrateEscalationPolicy(policyId: $id)
  }
`);
const SET_POLICY = graphql(`
  mutation EscalationPoliciesSetTaskPolicy($taskId: ID!, $policyId: ID!) {
    setTaskEscalationPolicy(taskId: $taskId, policyId: $policyId) {
      escalationPolicyId
    }
  }
`);
const NEXT = graphql(`
  query EscalationPoliciesNext($id: ID!) {
    assignment(id: $id) {
      nextEscalation {
        action
        at
        label
        provisional
      }
    }
  }
`);
const CALENDAR = graphql(`
  query EscalationPoliciesCalendar($year: Int!) {
    workCalendar(year: $year) {
      year
      provisional
      workdayCount
      specialDays {
        day
        kind
        name
        provisional
        source
      }
    }
  }
`);
const IMPORT = graphql(`
  mutation EscalationPoliciesImportCalendar($input: ImportWorkCalendarInput!) {
    importWorkCalendar(input: $input) {
      provisional
      specialDays {
        day
        kind
      }
    }
  }
`);
const SET_DAY = graphql(`
  mutation EscalationPoliciesSetDay($input: SetWorkCalendarDayInput!) {
    setWorkCalendarDay(input: $input) {
      specialDays {
        day
        kind
        name
      }
    }
  }
`);

const nine = (day: string) => new Date(`${day}T01:00:00.000Z`).toISOString();

describe('escalation policies, the working-day calendar, report chasing and the digest (e2e)', () => {
  const clock = new FixedClock(new Date('2026-11-02T02:00:00Z'));
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ clock });
  });

  afterAll(() => api.close());

  const policies = async () =>
    dataOf(await api.gql(POLICIES, {}, await api.token('inspector'))).escalationPolicies;

  async function share(dueAt: string, unit: 'zgc' | 'hd' = 'zgc', policyId?: string) {
    const ops = taskOps(api);
    const leader = await api.token('leader');
    const task = await ops.createTask(leader, {
      planId: api.fixture.plan.id,
      title: `督办流程测试 ${unit} ${dueAt}`,
      responsibleLeaderId: api.fixture.users.leader.id,
      dueAt,
    });
    if (policyId) dataOf(await api.gql(SET_POLICY, { taskId: task.id, policyId }, leader));
    const [assignment] = await ops.assignTask(leader, task.id, [
      { orgUnitId: api.fixture.units[unit].id, dueAt },
    ]);
    return { taskId: task.id, id: assignment.id };
  }

  const next = async (id: string) =>
    dataOf(await api.gql(NEXT, { id }, await api.token('leader'))).assignment.nextEscalation;

  it('seeds the default ladder (−5, −1 remind; 0 urge; +1 supervise; +5 report; +10 interview)', async () => {
    const [policy] = await policies();
    expect(policy).toMatchObject({ name: '默认督办流程', isDefault: true, currentVersion: 1 });
    expect(policy.versions[0].levels.map((l) => [l.offsetWorkdays, l.action])).toEqual([
      [-5, 'REMIND'],
      [-1, 'REMIND'],
      [0, 'URGE'],
      [1, 'SUPERVISE'],
      [5, 'REPORT'],
      [10, 'INTERVIEW'],
    ]);
  });

  it('versions a policy: live assignments keep theirs until an admin migrates them', async () => {
    clock.set(new Date('2026-11-02T02:00:00Z'));
    const before = await share('2026-12-31T15:59:59.999Z');
    expect(await next(before.id)).toMatchObject({ action: 'REMIND', at: nine('2026-12-24') });

    const [policy] = await policies();
    const levels: EscalationLevelInput[] = [
      { offsetWorkdays: -10, action: 'REMIND', recipients: ['UNIT_OFFICERS'] },
      { offsetWorkdays: 0, action: 'URGE', recipients: ['UNIT_OFFICERS', 'UNIT_HEAD'] },
    ];
    const admin = await api.token('admin');
    const stale = await api.gql(
      UPDATE,
      { input: { id: policy.id, version: policy.version + 1, levels } },
      admin,
    );
    expect(stale.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: policy.version });
    const bad = await api.gql(
      UPDATE,
      { input: { id: policy.id, version: policy.version, levels: [...levels].reverse() } },
      admin,
    );
    expect(bad.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'levels.1.offsetWorkdays',
    });
    expect(
      dataOf(await api.gql(UPDATE, { input: { id: policy.id, version: policy.version, levels } }, admin)),
    ).toEqual({ updateEscalationPolicy: { currentVersion: 2, version: policy.version + 1 } });

    const after = await share('2026-12-31T15:59:59.999Z');
    expect(await next(after.id)).toMatchObject({ action: 'REMIND', at: nine('2026-12-17') });
    expect(await next(before.id)).toMatchObject({ action: 'REMIND', at: nine('2026-12-24') });

    const migrated = dataOf(await api.gql(MIGRATE, { id: policy.id }, admin));
    expect(migrated.migrateEscalationPolicy).toBeGreaterThanOrEqual(1);
    expect(await next(before.id)).toMatchObject({ action: 'REMIND', at: nine('2026-12-17') });
  });

  it('lets a task choose an hour-level policy for an urgent deadline', async () => {
    clock.set(new Date('2026-11-03T02:00:00Z'));
    const input: CreateEscalationPolicyInput = {
      name: '紧急任务（小时级）',
      description: '',
      noticeResponseWorkdays: 1,
      levels: [
        { offsetDuration: '-PT2H', action: 'REMIND', recipients: ['UNIT_OFFICERS'] },
        { offsetDuration: 'PT30M', action: 'URGE', recipients: ['UNIT_HEAD'], repeatDuration: 'PT1H' },
      ],
    };
    const admin = await api.token('admin');
    expect(
      (
        await api.gql(
          CREATE,
          { input: { ...input, levels: [{ ...input.levels[0], offsetDuration: 'P2X' }] } },
          admin,
        )
      ).errors?.[0].extensions,
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'levels.0.offsetDuration' });
    const created = dataOf(await api.gql(CREATE, { input }, admin)).createEscalationPolicy;

    const { taskId } = await share('2026-11-20T15:59:59.999Z');
    expect(
      outcomeOf(await api.gql(SET_POLICY, { taskId, policyId: created.id }, await api.token('zgcHead'))),
    ).toBe('FORBIDDEN');
    dataOf(await api.gql(SET_POLICY, { taskId, policyId: created.id }, await api.token('leader')));
    const [urgent] = await taskOps(api).assignTask(
      await api.token('leader'),
      taskId,
      [],
      [{ orgUnitId: api.fixture.units.hd.id, dueAt: '2026-11-03T10:00:00.000Z' }],
    );
    expect(await next(urgent.id)).toMatchObject({ action: 'REMIND', at: '2026-11-03T08:00:00.000Z' });
  });

  it('computes a year without a State Council notice provisionally, and an import replaces it', async () => {
    const leader = await api.token('leader');
    const year2027 = dataOf(await api.gql(CALENDAR, { year: 2027 }, leader)).workCalendar;
    expect(year2027.provisional).toBe(true);
    expect(year2027.specialDays.filter((d) => d.name === '春节').map((d) => d.day)).toEqual([
      '2027-02-05',
      '2027-02-06',
      '2027-02-07',
      '2027-02-08',
    ]);
    const year2024 = dataOf(await api.gql(CALENDAR, { year: 2024 }, leader));
    expect(year2024.workCalendar.provisional).toBe(false);

    // A share due on Monday 2027-02-15, with a ladder of one reminder the workday before: provisionally
    // Friday 02-12; the notice makes 02-09..13 holidays and Sunday 02-14 a make-up workday.
    const admin = await api.token('admin');
    const dayBefore: CreateEscalationPolicyInput = {
      name: '到期前一日提醒',
      description: '',
      noticeResponseWorkdays: 3,
      levels: [{ offsetWorkdays: -1, action: 'REMIND', recipients: ['UNIT_OFFICERS'] }],
    };
    const policy = dataOf(await api.gql(CREATE, { input: dayBefore }, admin));
    clock.set(new Date('2027-01-20T02:00:00Z'));
    const { id } = await share('2027-02-15T15:59:59.999Z', 'hd', policy.createEscalationPolicy.id);
    expect(await next(id)).toMatchObject({ action: 'REMIND', at: nine('2027-02-12'), provisional: true });

    const notice = {
      holidays: [
        { date: '2027-01-01', name: '元旦' },
        { from: '2027-02-05', to: '2027-02-13', name: '春节' },
        { from: '2027-04-05', to: '2027-04-05', name: '清明' },
        { from: '2027-05-01', to: '2027-05-05', name: '劳动节' },
        { date: '2027-06-09', name: '端午' },
        { date: '2027-09-15', name: '中秋' },
        { from: '2027-10-01', to: '2027-10-07', name: '国庆节' },
      ],
      workdays: [
        { date: '2027-02-14', name: '春节' },
        { date: '2027-02-20', name: '春节' },
      ],
    };
    const input: ImportWorkCalendarInput = {
      year: 2027,
      format: 'JSON',
      content: JSON.stringify(notice),
      source: '国办发明电〔2026〕（测试）',
    };
    expect(outcomeOf(await api.gql(IMPORT, { input }, leader))).toBe('FORBIDDEN');
    const imported = dataOf(await api.gql(IMPORT, { input }, await api.token('admin'))).importWorkCalendar;
    expect(imported.provisional).toBe(false);
    expect(imported.specialDays).toContainEqual({ day: '2027-02-14', kind: 'MAKEUP_WORKDAY' });
    const event = await api.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM outbox_event WHERE type = 'EscalationsReplanned'`,
    );
    expect(event[0].n).toBe(1);

    // What the worker does on that event: every pending escalation is re-derived on the new calendar.
    await api.app.get(EscalationReconciler).reconcile();
    expect(await next(id)).toMatchObject({ action: 'REMIND', at: nine('2027-02-14'), provisional: false });

    const bad = await api.gql(
      IMPORT,
      {
        input: {
          ...input,
          content: JSON.stringify({ ...notice, workdays: [{ date: '2027-02-15', name: '春节' }] }),
        },
      },
      await api.token('admin'),
    );
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('lets an admin correct one day', async () => {
    const result = dataOf(
      await api.gql(
        SET_DAY,
        { input: { day: '2028-12-30', kind: 'MAKEUP_WORKDAY', name: '元旦', source: '测试' } },
        await api.token('admin'),
      ),
    ).setWorkCalendarDay;
    expect(result.specialDays).toContainEqual({ day: '2028-12-30', kind: 'MAKEUP_WORKDAY', name: '元旦' });
    const wrong = await api.gql(
      SET_DAY,
      { input: { day: '2028-12-27', kind: 'MAKEUP_WORKDAY', name: null, source: '测试' } },
      await api.token('admin'),
    );
    expect(wrong.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'kind' });
  });

  describe('report chasing (催报), monthly reports due on the 25th', () => {
    const missed = (id: string) =>
      api.dataSource.query<{ period_key: string }[]>(
        `SELECT period_key FROM missed_report WHERE assignment_id = $1`,
        [id],
      );
    /** Report-chasing titles a user got about this test's share (or without a subject: the summaries). */
    const titles = async (username: string, subjectId: string) =>
      (
        await api.dataSource.query<{ title: string }[]>(
          `SELECT n.title FROM notification n JOIN app_user u ON u.id = n.user_id
           WHERE u.username = $1 AND n.kind = 'REPORT_CHASE' AND (n.subject_id = $2 OR n.subject_id IS NULL)
           ORDER BY n.created_at`,
          [username, subjectId],
        )
      ).map((r) => r.title);

    it('reminds before the report day, records and tells on missing it, then the inspectorate after the grace period', async () => {
      clock.set(new Date('2026-12-01T02:00:00Z'));
      const { id } = await share('2027-06-30T15:59:59.999Z', 'hd');
      const chase = api.app.get(ReportChaseService);

      clock.set(new Date('2026-12-22T02:00:00Z')); // Tuesday: not yet within 2 workdays of Friday the 25th
      expect((await chase.run()).reminded).toBe(0);
      clock.set(new Date('2026-12-23T02:00:00Z'));
      expect((await chase.run()).reminded).toBeGreaterThanOrEqual(1);
      await chase.run();
      expect((await titles('hdOfficer', id)).filter((t) => t.startsWith('【催报】'))).toHaveLength(1);

      clock.set(new Date('2026-12-28T02:00:00Z')); // Monday after the missed Friday
      expect((await chase.run()).missed).toBeGreaterThanOrEqual(1);
      expect(await missed(id)).toEqual([{ period_key: '2026-12' }]);
      expect((await titles('hdOfficer', id)).filter((t) => t.startsWith('【逾期未报】'))).toHaveLength(1);
      expect(await titles('inspector', id)).toEqual([]);

      clock.set(new Date('2026-12-30T02:00:00Z')); // 3 workdays after the 25th
      await chase.run();
      await chase.run();
      expect(await titles('inspector', id)).toEqual(['【逾期未报汇总】2026-12月报']);

      clock.set(new Date('2027-01-02T02:00:00Z')); // Saturday (New Year holiday): no chasing
      expect(await chase.run()).toMatchObject({ reminded: 0, missed: 0 });
    });
  });

  it('sends each user one digest per working day, and none on days off', async () => {
    const digest = api.app.get(DigestService);
    clock.set(new Date('2027-01-02T00:30:00Z'));
    expect((await digest.run()).users).toBe(0);
    clock.set(new Date('2027-01-04T00:30:00Z'));
    const first = await digest.run();
    expect(first.users).toBeGreaterThan(0);
    expect((await digest.run()).users).toBe(first.users);
    const rows = await api.dataSource.query<{ n: number; users: number }[]>(
      `SELECT count(*)::int AS n, count(DISTINCT user_id)::int AS users FROM notification WHERE kind = 'DIGEST'`,
    );
    expect(rows[0].n).toBe(rows[0].users);
    const [hd] = await api.dataSource.query<{ body: string }[]>(
      `SELECT n.body FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username = 'hdOfficer' AND n.kind = 'DIGEST'`,
    );
    expect(hd.body).toMatch(/已逾期 \d+ 项/);
  });
});
