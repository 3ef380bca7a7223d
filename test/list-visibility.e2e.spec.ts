import { Role } from '@zhezi/core';
import { USERS, type UserKey } from '@zhezi/testing';
import { graphql } from './gql';
import { dataOf, taskOps } from './support/ops';
import { startTestApi, type TestApi } from './support/test-api';

/**
 * Every list whose rows belong to someone — approval requests, notifications, a unit's channels, an audit
 * trail — queried as every fixture user, compared with the exact set the access rules (libs/access) allow,
 * worked out here from the rows themselves.
 */

const EVERYONE = Object.keys(USERS) as UserKey[];
const DISTRICT_WIDE: Role[] = [Role.ADMIN, Role.LEADER, Role.INSPECTOR];
const DEPARTMENT: Role[] = [Role.DEPARTMENT_HEAD, Role.DEPARTMENT_OFFICER];
const HEADS: Role[] = [Role.DEPARTMENT_HEAD, Role.SUBDISTRICT_HEAD];
const UNIT_STAFF: Role[] = [...DEPARTMENT, Role.SUBDISTRICT_HEAD, Role.SUBDISTRICT_OFFICER];
const DUE = '2027-06-30T15:59:59.999Z';

const ACCEPT = graphql(`
  mutation ListVisibilityAccept($input: AssignmentTransitionInput!) {
    acceptAssignment(input: $input) {
      version
    }
  }
`);
const CLOSE_OUT = graphql(`
  mutation ListVisibilityRequestCloseOut($input: RequestCloseOutInput!) {
    requestCloseOut(input: $input) {
      id
    }
  }
`);
const EXTEND = graphql(`
  mutation ListVisibilityRequestExtension($input: RequestExtensionInput!) {
    requestExtension(input: $input) {
      id
    }
  }
`);
const ADJUST = graphql(`
  mutation ListVisibilityRequestAdjustment($input: RequestAdjustmentInput!) {
    requestAdjustment(input: $input) {
      id
    }
  }
`);
const CREATE_CHANNEL = graphql(`
  mutation ListVisibilityCreateChannel($input: CreateNotificationChannelInput!) {
    createNotificationChannel(input: $input) {
      id
    }
  }
`);
const APPROVAL_REQUESTS = graphql(`
  query ListVisibilityApprovalRequests {
    approvalRequests(first: 100) {
      edges {
        node {
          id
        }
      }
    }
  }
`);
const NOTIFICATIONS = graphql(`
  query ListVisibilityNotifications {
    myNotifications(first: 100) {
      edges {
        node {
          id
          deliveries {
            id
          }
        }
      }
    }
  }
`);
const CHANNELS = graphql(`
  query ListVisibilityChannels($id: ID!) {
    notificationChannels(orgUnitId: $id) {
      url
    }
  }
`);
const TRAIL = graphql(`
  query ListVisibilityTrail($id: ID!) {
    auditTrail(entityId: $id) {
      id
    }
  }
`);

interface ShareRow {
  id: string;
  task_id: string;
  org_unit_id: string;
  parent_id: string | null;
}

describe('who sees which rows of each list', () => {
  let api: TestApi;
  let shares: ShareRow[];
  let taskId: string;
  const user = (key: UserKey) => api.fixture.users[key];
  const unit = (key: UserKey) => api.fixture.users[key].orgUnitId;

  /** The rule for shares, as the access module states it: own unit, or a part split off the department's own. */
  function seesShare(key: UserKey, share: ShareRow | undefined): boolean {
    if (!share) return false;
    if (DISTRICT_WIDE.includes(USERS[key].role)) return true;
    if (share.org_unit_id === unit(key)) return true;
    const parent = shares.find((s) => s.id === share.parent_id);
    return DEPARTMENT.includes(USERS[key].role) && parent?.org_unit_id === unit(key);
  }
  const seesTask = (key: UserKey, id: string | null) =>
    shares.some((s) => s.task_id === id && seesShare(key, s));

  async function accepted(assignmentId: string, key: UserKey): Promise<number> {
    const token = await api.token(key);
    const { acceptAssignment } = dataOf(
      await api.gql(ACCEPT, { input: { assignmentId, version: 1 } }, token),
    );
    return acceptAssignment.version;
  }

  beforeAll(async () => {
    api = await startTestApi();
    const ops = taskOps(api);
    const leader = await api.token('leader');
    const { units } = api.fixture;
    // 任务一: 区发改委 leads (split to 中关村街道), 区水务局 supports. 任务二: 学院路街道 alone.
    const first = await ops.createTask(leader, {
      planId: api.fixture.plan.id,
      title: '可见性任务一',
      dueAt: DUE,
    });
    const second = await ops.createTask(leader, {
      planId: api.fixture.plan.id,
      title: '可见性任务二',
      dueAt: DUE,
    });
    taskId = first.id;
    const [lead] = await ops.assignTask(
      leader,
      first.id,
      [{ orgUnitId: units.fgw.id }],
      [{ orgUnitId: units.swj.id }],
    );
    const [part] = await ops.split(await api.token('fgwOfficer'), lead.id, [{ orgUnitId: units.zgc.id }]);
    const [xyl] = await ops.assignTask(leader, second.id, [{ orgUnitId: units.xyl.id }]);

    const partVersion = await accepted(part.id, 'zgcOfficer');
    dataOf(
      await api.gql(
        CLOSE_OUT,
        { input: { assignmentId: part.id, version: partVersion, comment: '已完成' } },
        await api.token('zgcOfficer'),
      ),
    );
    const xylVersion = await accepted(xyl.id, 'xylOfficer');
    dataOf(
      await api.gql(
        EXTEND,
        {
          input: {
            assignmentId: xyl.id,
            version: xylVersion,
            newDueAt: '2027-09-30T15:59:59.999Z',
            reason: '施工',
          },
        },
        await api.token('xylOfficer'),
      ),
    );
    dataOf(
      await api.gql(
        ADJUST,
        { input: { taskId: first.id, title: '可见性任务一（调整）', reason: '范围变化' } },
        leader,
      ),
    );

    for (const [key, name] of [
      ['fgw', '发改委工作群'],
      ['zgc', '中关村工作群'],
    ] as const) {
      const input = {
        orgUnitId: units[key].id,
        kind: 'WEBHOOK' as const,
        name,
        url: `https://hooks.example.gov.cn/${key}?token=secret`,
      };
      dataOf(await api.gql(CREATE_CHANNEL, { input }, await api.token('admin')));
    }
    shares = await api.dataSource.query<ShareRow[]>(
      `SELECT id, task_id, org_unit_id, parent_id FROM assignment`,
    );
  });

  afterAll(() => api.close());

  it.each(EVERYONE)(
    'approval requests: %s sees exactly its own unit’s, its steps’ and its shares’',
    async (key) => {
      const requests = await api.dataSource.query<
        { id: string; requester_unit_id: string; assignment_id: string | null }[]
      >(`SELECT id, requester_unit_id, assignment_id FROM approval_request`);
      const steps = await api.dataSource.query<{ request_id: string; approver_ids: string[] }[]>(
        `SELECT request_id, approver_ids FROM approval_step`,
      );
      const expected = requests
        .filter(
          (r) =>
            DISTRICT_WIDE.includes(USERS[key].role) ||
            r.requester_unit_id === unit(key) ||
            steps.some((s) => s.request_id === r.id && s.approver_ids.includes(user(key).id)) ||
            seesShare(
              key,
              shares.find((s) => s.id === r.assignment_id),
            ),
        )
        .map((r) => r.id)
        .sort();
      expect(requests).toHaveLength(3);
      const { approvalRequests } = dataOf(await api.gql(APPROVAL_REQUESTS, {}, await api.token(key)));
      expect(approvalRequests.edges.map((e) => e.node.id).sort()).toEqual(expected);
    },
  );

  it.each(EVERYONE)('notifications: %s sees exactly its own, with their deliveries', async (key) => {
    const rows = await api.dataSource.query<{ id: string }[]>(
      `SELECT id FROM notification WHERE user_id = $1`,
      [user(key).id],
    );
    const { myNotifications } = dataOf(await api.gql(NOTIFICATIONS, {}, await api.token(key)));
    expect(myNotifications.edges.map((e) => e.node.id).sort()).toEqual(rows.map((r) => r.id).sort());
  });

  it.each(EVERYONE)(
    'channels: %s lists a unit’s channels only as a reader or its staff, addresses as manager',
    async (key) => {
      for (const unitKey of ['fgw', 'zgc'] as const) {
        const orgUnitId = api.fixture.units[unitKey].id;
        const result = await api.gql(CHANNELS, { id: orgUnitId }, await api.token(key));
        const role = USERS[key].role;
        const reads = DISTRICT_WIDE.includes(role) || (UNIT_STAFF.includes(role) && unit(key) === orgUnitId);
        if (!reads) {
          expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
          continue;
        }
        const manages = role === Role.ADMIN || (HEADS.includes(role) && unit(key) === orgUnitId);
        expect(dataOf(result).notificationChannels.map((c) => c.url)).toEqual([
          manages
            ? `https://hooks.example.gov.cn/${unitKey}?token=secret`
            : 'https://hooks.example.gov.cn/***',
        ]);
      }
    },
  );

  it.each(EVERYONE)(
    'audit trail of 任务一: %s sees exactly the events of its units on tasks it sees',
    async (key) => {
      const events = await api.dataSource.query<{ id: string; unit_ids: string[]; task_id: string | null }[]>(
        `SELECT id::text, unit_ids, task_id FROM audit_event WHERE entity_id = $1 OR task_id = $1 ORDER BY audit_event.id`,
        [taskId],
      );
      const expected = events
        .filter(
          (e) =>
            DISTRICT_WIDE.includes(USERS[key].role) ||
            ((e.unit_ids.length === 0 || e.unit_ids.includes(unit(key))) &&
              (!e.task_id || seesTask(key, e.task_id))),
        )
        .map((e) => e.id);
      const result = await api.gql(TRAIL, { id: taskId }, await api.token(key));
      if (expected.length === 0) expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      else expect(dataOf(result).auditTrail.map((e) => e.id)).toEqual(expected);
    },
  );
});
