import { graphql } from './gql';
import { startTestApi, type TestApi } from './support/test-api';

const CREATE_TASK = graphql(`
  mutation AssignmentFlowCreateTask($input: CreateTaskInput!) {
    createTask(input: $input) {
      id
      code
      status
    }
  }
`);
const ASSIGN_TASK = graphql(`
  mutation AssignmentFlowAssignTask($input: AssignTaskInput!) {
    assignTask(input: $input) {
      id
      role
      orgUnit {
        name
      }
    }
  }
`);
const CREATE_AND_ASSIGN = graphql(`
  mutation AssignmentFlowCreateAndAssign($input: CreateTaskInput!) {
    createTask(input: $input) {
      id
      status
      escalationPolicyId
      assignments {
        role
        dueAt
        orgUnit {
          name
        }
      }
    }
  }
`);
const POLICIES = graphql(`
  query AssignmentFlowPolicies {
    escalationPolicies {
      id
      isDefault
    }
  }
`);
const SPLIT = graphql(`
  mutation AssignmentFlowSplit($input: SplitAssignmentInput!) {
    splitAssignment(input: $input) {
      id
      role
      orgUnit {
        id
      }
    }
  }
`);
const MY_ASSIGNMENTS = graphql(`
  query AssignmentFlowMyAssignments {
    myAssignments {
      totalCount
      edges {
        node {
          id
          orgUnit {
            id
          }
          task {
            id
            assignments {
              id
            }
          }
        }
      }
    }
  }
`);
const ASSIGNMENT = graphql(`
  query AssignmentFlowAssignment($id: ID!) {
    assignment(id: $id) {
      id
    }
  }
`);
const AUDIT_TRAIL = graphql(`
  query AssignmentFlowAuditTrail($id: ID!) {
    auditTrail(entityId: $id) {
      action
      actorName
      entityId
    }
  }
`);

/**
 * The walk-through, over HTTP: a leader creates a task under a target and assigns it; the lead
 * department splits its share among three subdistricts; each subdistrict sees exactly its own share.
 */
describe('assignment flow (e2e)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });

  afterAll(() => api.close());

  it('walks from a new task to each subdistrict list, leaving a full audit trail', async () => {
    const { units, section, plan, users } = api.fixture;
    const leader = await api.token('leader');

    const created = await api.gql(
      CREATE_TASK,
      {
        input: {
          planId: plan.id,
          targetId: section.id,
          title: '建设中关村科学城创新街区',
          description: '推进创新街区建设，年底前完成核心区改造。',
          responsibleLeaderId: users.leader.id,
          dueAt: '2026-12-31T15:59:59.000Z',
          milestones: [{ title: '完成方案编制', dueAt: '2026-06-30T15:59:59.000Z' }],
        },
      },
      leader,
    );
    expect(created.errors).toBeUndefined();
    const task = created.data!.createTask;
    expect(task).toMatchObject({ code: '1', status: 'UNASSIGNED' });

    const assigned = await api.gql(
      ASSIGN_TASK,
      {
        input: {
          taskId: task.id,
          leadUnits: [{ orgUnitId: units.fgw.id, dueAt: '2026-11-30T15:59:59.000Z' }],
          supportUnits: [{ orgUnitId: units.swj.id }, { orgUnitId: units.jw.id }],
        },
      },
      leader,
    );
    expect(assigned.errors).toBeUndefined();
    const lead = assigned.data!.assignTask.find((a) => a.role === 'LEAD')!;
    expect(lead.orgUnit.name).toBe('区发展改革委');
    expect(assigned.data!.assignTask.filter((a) => a.role === 'SUPPORT')).toHaveLength(2);

    const split = await api.gql(
      SPLIT,
      {
        input: {
          assignmentId: lead.id,
          parts: [
            { orgUnitId: units.zgc.id },
            { orgUnitId: units.xyl.id },
            { orgUnitId: units.hd.id, dueAt: '2026-10-31T15:59:59.000Z' },
          ],
        },
      },
      await api.token('fgwOfficer'),
    );
    expect(split.errors).toBeUndefined();
    const parts = split.data!.splitAssignment;
    expect(parts.map((p) => p.role)).toEqual(['LEAD', 'LEAD', 'LEAD']);

    const lists = { zgcOfficer: units.zgc.id, xylOfficer: units.xyl.id, hdOfficer: units.hd.id };
    for (const [user, unitId] of Object.entries(lists)) {
      const mine = await api.gql(MY_ASSIGNMENTS, {}, await api.token(user));
      expect(mine.errors).toBeUndefined();
      expect(mine.data!.myAssignments.totalCount).toBe(1);
      const [{ node }] = mine.data!.myAssignments.edges;
      expect(node.orgUnit.id).toBe(unitId);
      expect(node.task.id).toBe(task.id);
      // Through the task, the subdistrict still sees only its own share.
      expect(node.task.assignments.map((a) => a.id)).toEqual([node.id]);

      const other = parts.find((p) => p.orgUnit.id !== unitId)!;
      const denied = await api.gql(ASSIGNMENT, { id: other.id }, await api.token(user));
      expect(denied.errors?.[0].extensions.code).toBe('FORBIDDEN');
    }

    const trail = await api.gql(AUDIT_TRAIL, { id: task.id }, leader);
    expect(trail.errors).toBeUndefined();
    expect(trail.data!.auditTrail.map((e) => `${e.action} by ${e.actorName}`)).toEqual([
      'task.create by 王副区长',
      'assignment.assign by 王副区长',
      'assignment.assign by 王副区长',
      'assignment.assign by 王副区长',
      'task.status by 王副区长',
      'assignment.split by 发改经办人',
      'assignment.split by 发改经办人',
      'assignment.split by 发改经办人',
    ]);
  });

  it('creates a task with its policy and units in one call, or nothing when a unit is refused', async () => {
    const { units, plan } = api.fixture;
    const leader = await api.token('leader');
    const policies = await api.gql(POLICIES, {}, leader);
    const policy =
      policies.data!.escalationPolicies.find((p) => !p.isDefault) ?? policies.data!.escalationPolicies[0];
    const input = {
      planId: plan.id,
      title: '新建即交办的任务',
      dueAt: '2026-12-31T15:59:59.000Z',
      escalationPolicyId: policy.id,
      leadUnits: [{ orgUnitId: units.fgw.id, dueAt: '2026-11-30T15:59:59.000Z' }],
      supportUnits: [{ orgUnitId: units.swj.id }],
    };
    const tasks = async () =>
      (await api.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM task`))[0].n;
    const before = await tasks();

    // A unit's date after the task's: refused by field, and the task is not left behind unassigned.
    const refused = await api.gql(
      CREATE_AND_ASSIGN,
      { input: { ...input, supportUnits: [{ orgUnitId: units.swj.id, dueAt: '2027-01-31T15:59:59.000Z' }] } },
      leader,
    );
    expect(refused.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'supportUnits.0.dueAt',
    });
    const unknownPolicy = await api.gql(
      CREATE_AND_ASSIGN,
      { input: { ...input, escalationPolicyId: '00000000-0000-4000-8000-000000000000' } },
      leader,
    );
    expect(unknownPolicy.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'escalationPolicyId',
    });
    expect(await tasks()).toBe(before);

    const created = await api.gql(CREATE_AND_ASSIGN, { input }, leader);
    expect(created.errors).toBeUndefined();
    const task = created.data!.createTask;
    expect(task.escalationPolicyId).toBe(policy.id);
    expect(task.status).not.toBe('UNASSIGNED');
    expect(task.assignments.map((a) => [a.role, a.orgUnit.name, a.dueAt]).sort()).toEqual([
      ['LEAD', '区发展改革委', '2026-11-30T15:59:59.000Z'],
      ['SUPPORT', '区水务局', '2026-12-31T15:59:59.000Z'],
    ]);
    expect(await tasks()).toBe(before + 1);
  });
});
