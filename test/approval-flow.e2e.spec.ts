import { graphql } from './gql';
import type { ApprovalDecisionKind } from './gql/graphql';
import { countRows, dataOf, outcomeOf, taskOps, uploadEvidence } from './support/ops';
import { startTestApi, type TestApi } from './support/test-api';
import { FixedClock } from '@zhezi/core';

const ACCEPT = graphql(`
  mutation ApprovalFlowAccept($input: AssignmentTransitionInput!) {
    acceptAssignment(input: $input) {
      version
    }
  }
`);
const SUBMIT = graphql(`
  mutation ApprovalFlowSubmitProgress($input: SubmitProgressInput!) {
    submitProgress(input: $input) {
      id
    }
  }
`);
const CLOSE_OUT = graphql(`
  mutation ApprovalFlowRequestCloseOut($input: RequestCloseOutInput!) {
    requestCloseOut(input: $input) {
      id
      status
      currentStep
      steps {
        position
        name
        status
        approvers {
          username
        }
      }
    }
  }
`);
const EXTEND = graphql(`
  mutation ApprovalFlowRequestExtension($input: RequestExtensionInput!) {
    requestExtension(input: $input) {
      id
      status
      currentStep
    }
  }
`);
const DECIDE = graphql(`
  mutation ApprovalFlowDecide($input: DecideApprovalInput!) {
    decideApproval(input: $input) {
      id
      status
      currentStep
    }
  }
`);
const WITHDRAW = graphql(`
  mutation ApprovalFlowWithdraw($id: ID!) {
    withdrawApproval(requestId: $id) {
      status
    }
  }
`);
const INBOX = graphql(`
  query ApprovalFlowInbox {
    myApprovalInbox {
      edges {
        node {
          id
          kind
        }
      }
    }
  }
`);
const REQUEST = graphql(`
  query ApprovalFlowRequest($id: ID!) {
    approvalRequest(id: $id) {
      status
      currentStep
      steps {
        name
        status
        decisions {
          decision
          comment
        }
      }
    }
  }
`);
const SHARE = graphql(`
  query ApprovalFlowShare($id: ID!) {
    assignment(id: $id) {
      status
      version
      dueAt
      originalDueAt
      extensionCount
      task {
        status
        dueAt
      }
      extensions {
        newDueAt
        reason
      }
    }
  }
`);
const VERIFY_AUDIT = graphql(`
  query ApprovalFlowVerifyAudit {
    verifyAuditChain {
      ok
    }
  }
`);
const ADJUST = graphql(`
  mutation ApprovalFlowRequestAdjustment($input: RequestAdjustmentInput!) {
    requestAdjustment(input: $input) {
      id
    }
  }
`);
const TASK = graphql(`
  query ApprovalFlowTask($id: ID!) {
    task(id: $id) {
      title
      milestones {
        title
      }
      assignments {
        role
        orgUnit {
          name
        }
      }
    }
  }
`);

const TRAIL = graphql(`
  query ApprovalFlowTrail($id: ID!) {
    auditTrail(entityId: $id) {
      action
      entityId
    }
  }
`);

describe('approval flows (e2e over HTTP)', () => {
  const clock = new FixedClock(new Date('2026-11-25T04:00:00Z'));
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ clock });
  });

  afterAll(() => api.close());

  /** A task led by 区发展改革委 with 王副区长 responsible, its share split to 中关村街道 only. */
  async function splitTask() {
    const ops = taskOps(api);
    const leader = await api.token('leader');
    const task = await ops.createTask(leader, {
      planId: api.fixture.plan.id,
      title: '审批流程测试任务',
      responsibleLeaderId: api.fixture.users.leader.id,
      dueAt: '2026-12-31T15:59:59.000Z',
    });
    const [share] = await ops.assignTask(leader, task.id, [
      { orgUnitId: api.fixture.units.fgw.id, dueAt: '2026-12-31T15:59:59.000Z' },
    ]);
    const [part] = await ops.split(await api.token('fgwOfficer'), share.id, [
      { orgUnitId: api.fixture.units.zgc.id, dueAt: '2026-12-15T15:59:59.000Z' },
    ]);
    return { task, share, part };
  }

  const shareOf = async (id: string, user = 'leader') =>
    dataOf(await api.gql(SHARE, { id }, await api.token(user))).assignment;

  const decide = async (
    user: string,
    requestId: string,
    decision: ApprovalDecisionKind = 'APPROVE',
    comment = '',
  ) => api.gql(DECIDE, { input: { requestId, decision, comment } }, await api.token(user));

  /** Reports progress with one PDF of evidence, uploaded over HTTP first. */
  async function report(partId: string, percent: number) {
    const bytes = Buffer.from(`%PDF-1.4\n进度${percent}%\n%%EOF\n`);
    const uploaded = await uploadEvidence(api, partId, { bytes, name: `现场照片说明${percent}.pdf` });
    expect(uploaded.status).toBe(201);
    const { version } = await shareOf(partId);
    const evidenceIds = [(uploaded.body as { id: string }).id];
    const input = {
      assignmentId: partId,
      version,
      period: '2026-11',
      text: `进度${percent}%`,
      percent,
      evidenceIds,
    };
    dataOf(await api.gql(SUBMIT, { input }, await api.token('zgcOfficer')));
  }

  async function requestCloseOut(partId: string) {
    const { version } = await shareOf(partId);
    return dataOf(
      await api.gql(
        CLOSE_OUT,
        { input: { assignmentId: partId, version, comment: '已完成' } },
        await api.token('zgcOfficer'),
      ),
    ).requestCloseOut;
  }

  it('walks a close-out through rejection and resubmission to a closed task', async () => {
    const { part, share } = await splitTask();
    const zgc = await api.token('zgcOfficer');
    dataOf(await api.gql(ACCEPT, { input: { assignmentId: part.id, version: 1 } }, zgc));
    await report(part.id, 60);
    await report(part.id, 100);

    const first = await requestCloseOut(part.id);
    expect(first.steps.map((s) => [s.name, s.approvers.map((a) => a.username)])).toEqual([
      ['承办单位负责人审核', ['zgcHead']],
      ['牵头部门负责人审核', ['fgwHead']],
      ['督查室审核', ['inspector']],
      ['责任领导审定', ['leader']],
    ]);
    expect((await shareOf(part.id)).status).toBe('CLOSE_OUT_REQUESTED');

    // What waits for whom: only the current step's approver sees it.
    const inboxOf = async (user: string) =>
      dataOf(await api.gql(INBOX, {}, await api.token(user))).myApprovalInbox.edges.map((e) => e.node.id);
    expect(await inboxOf('zgcHead')).toEqual([first.id]);
    expect(await inboxOf('fgwHead')).toEqual([]);

    expect(outcomeOf(await decide('fgwHead', first.id))).toBe('FORBIDDEN');
    expect(dataOf(await decide('zgcHead', first.id)).decideApproval).toMatchObject({ currentStep: 2 });
    expect(dataOf(await decide('fgwHead', first.id)).decideApproval).toMatchObject({ currentStep: 3 });
    const noComment = await decide('inspector', first.id, 'REJECT');
    expect(noComment.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'comment' });
    expect(
      dataOf(await decide('inspector', first.id, 'REJECT', '缺少验收材料')).decideApproval,
    ).toMatchObject({
      status: 'REJECTED',
      currentStep: null,
    });
    const seen = dataOf(await api.gql(REQUEST, { id: first.id }, zgc)).approvalRequest;
    expect(seen.steps[2].decisions).toEqual([{ decision: 'REJECT', comment: '缺少验收材料' }]);
    expect((await shareOf(part.id)).status).toBe('RETURNED');

    await report(part.id, 100);
    const second = await requestCloseOut(part.id);
    for (const user of ['zgcHead', 'fgwHead', 'inspector']) dataOf(await decide(user, second.id));
    expect(dataOf(await decide('leader', second.id)).decideApproval).toMatchObject({ status: 'APPROVED' });

    expect((await shareOf(part.id)).status).toBe('CLOSED');
    const [{ n }] = await api.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM evidence e JOIN progress_report r ON r.id = e.report_id WHERE r.assignment_id = $1`,
      [part.id],
    );
    expect(n).toBe(3);
    const department = await shareOf(share.id);
    expect(department.status).toBe('CLOSED');
    expect(department.task.status).toBe('CLOSED');
    expect(outcomeOf(await decide('leader', second.id))).toBe('CONFLICT');
  });

  it('approves an extension: the new due date, the original kept, and a DueDateChanged event', async () => {
    const { part } = await splitTask();
    dataOf(
      await api.gql(ACCEPT, { input: { assignmentId: part.id, version: 1 } }, await api.token('zgcOfficer')),
    );
    const { version } = await shareOf(part.id);
    const input = {
      assignmentId: part.id,
      version,
      newDueAt: '2026-12-25T15:59:59.000Z',
      reason: '施工受降雪影响',
      comment: '',
    };
    const tooLate = await api.gql(
      EXTEND,
      { input: { ...input, newDueAt: '2027-01-31T15:59:59.000Z' } },
      await api.token('zgcOfficer'),
    );
    expect(tooLate.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newDueAt' });
    const request = dataOf(await api.gql(EXTEND, { input }, await api.token('zgcOfficer'))).requestExtension;
    for (const user of ['zgcHead', 'inspector', 'leader']) dataOf(await decide(user, request.id));

    expect(await shareOf(part.id)).toMatchObject({
      dueAt: '2026-12-25T15:59:59.000Z',
      originalDueAt: '2026-12-15T15:59:59.000Z',
      extensionCount: 1,
      extensions: [{ newDueAt: '2026-12-25T15:59:59.000Z', reason: '施工受降雪影响' }],
    });
    const events = await api.dataSource.query<{ payload: { from: string; to: string } }[]>(
      `SELECT payload FROM outbox_event WHERE type = 'DueDateChanged' AND aggregate_id = $1`,
      [part.id],
    );
    expect(events.map((e) => [e.payload.from, e.payload.to])).toEqual([
      ['2026-12-15T15:59:59.000Z', '2026-12-25T15:59:59.000Z'],
    ]);
  });

  it('lets only the inspectorate open an extension once the deadline has passed', async () => {
    const { part } = await splitTask();
    clock.set(new Date('2026-12-20T02:00:00Z'));
    try {
      const { version } = await shareOf(part.id);
      const input = {
        assignmentId: part.id,
        version,
        newDueAt: '2026-12-30T15:59:59.000Z',
        reason: '补办',
        comment: '',
      };
      expect(outcomeOf(await api.gql(EXTEND, { input }, await api.token('zgcOfficer')))).toBe('FORBIDDEN');
      expect(outcomeOf(await api.gql(EXTEND, { input }, await api.token('inspector')))).toBe('ok');
    } finally {
      clock.set(new Date('2026-11-25T04:00:00Z'));
    }
  });

  it('takes one of 20 parallel decisions on a step, and one open request per share', async () => {
    const { part } = await splitTask();
    dataOf(
      await api.gql(ACCEPT, { input: { assignmentId: part.id, version: 1 } }, await api.token('zgcOfficer')),
    );
    const request = await requestCloseOut(part.id);
    const again = await api.gql(
      CLOSE_OUT,
      { input: { assignmentId: part.id, version: (await shareOf(part.id)).version, comment: '' } },
      await api.token('zgcOfficer'),
    );
    expect(outcomeOf(again)).toBe('CONFLICT');

    const results = await Promise.all(Array.from({ length: 20 }, () => decide('zgcHead', request.id)));
    const outcomes = results.map(outcomeOf);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'ok')).toEqual(Array(19).fill('CONFLICT'));
    const chain = await api.gql(VERIFY_AUDIT, {}, await api.token('inspector'));
    expect(dataOf(chain).verifyAuditChain.ok).toBe(true);
    expect(await countRows(api, 'approval_decision', 'request_id = $1', [request.id])).toBe(1);
    expect(
      await countRows(api, 'audit_event', `entity_id = $1 AND action = 'approval.approve'`, [request.id]),
    ).toBe(1);
  });

  it('withdraws a pending close-out, putting the assignment back to work', async () => {
    const { part } = await splitTask();
    dataOf(
      await api.gql(ACCEPT, { input: { assignmentId: part.id, version: 1 } }, await api.token('zgcOfficer')),
    );
    const request = await requestCloseOut(part.id);
    expect(outcomeOf(await api.gql(WITHDRAW, { id: request.id }, await api.token('xylOfficer')))).toBe(
      'FORBIDDEN',
    );
    const withdrawn = await api.gql(WITHDRAW, { id: request.id }, await api.token('zgcOfficer'));
    expect(dataOf(withdrawn).withdrawApproval.status).toBe('WITHDRAWN');
    expect((await shareOf(part.id)).status).toBe('IN_PROGRESS');
    expect(outcomeOf(await decide('zgcHead', request.id))).toBe('CONFLICT');
  });

  it("shows a split share's request events to the department that split it, as it sees the request", async () => {
    const { task, part } = await splitTask();
    const zgc = await api.token('zgcOfficer');
    dataOf(await api.gql(ACCEPT, { input: { assignmentId: part.id, version: 1 } }, zgc));
    const request = await requestCloseOut(part.id);
    dataOf(await decide('zgcHead', request.id));
    dataOf(await api.gql(WITHDRAW, { id: request.id }, zgc));
    const approvalEvents = async (user: string) =>
      dataOf(await api.gql(TRAIL, { id: task.id }, await api.token(user)))
        .auditTrail.filter((e) => e.entityId === request.id)
        .map((e) => e.action);
    const expected = ['approval.open.close_out', 'approval.approve', 'approval.withdraw'];
    expect(dataOf(await api.gql(REQUEST, { id: request.id }, await api.token('fgwOfficer')))).toBeTruthy();
    expect(await approvalEvents('fgwOfficer')).toEqual(expected);
    expect(await approvalEvents('zgcOfficer')).toEqual(expected);
    // 学院路街道 holds no part of this task: neither the request nor the task's trail.
    expect(outcomeOf(await api.gql(REQUEST, { id: request.id }, await api.token('xylOfficer')))).toBe(
      'FORBIDDEN',
    );
    expect(outcomeOf(await api.gql(TRAIL, { id: task.id }, await api.token('xylOfficer')))).toBe('FORBIDDEN');
  });

  it('applies an approved adjustment of content, milestones and units to the task', async () => {
    const { task, share } = await splitTask();
    const fgw = await api.token('fgwOfficer');
    const noLead = await api.gql(
      ADJUST,
      { input: { taskId: task.id, removeAssignmentIds: [share.id], reason: '换人' } },
      fgw,
    );
    expect(noLead.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'removeAssignmentIds',
    });

    const input = {
      taskId: task.id,
      title: '建设中关村科学城创新街区（调整）',
      milestones: [{ title: '完成街区规划', dueAt: '2026-12-20T15:59:59.000Z' }],
      addSupportUnits: [{ orgUnitId: api.fixture.units.swj.id }],
      reason: '按区委部署调整范围',
    };
    const request = dataOf(await api.gql(ADJUST, { input }, fgw)).requestAdjustment;
    for (const user of ['fgwHead', 'inspector', 'leader']) dataOf(await decide(user, request.id));
    const after = await api.gql(TASK, { id: task.id }, await api.token('leader'));
    expect(dataOf(after).task).toMatchObject({
      title: '建设中关村科学城创新街区（调整）',
      milestones: [{ title: '完成街区规划' }],
    });
    expect(
      dataOf(after)
        .task.assignments.map((a) => `${a.role} ${a.orgUnit.name}`)
        .sort(),
    ).toEqual(['LEAD 中关村街道', 'LEAD 区发展改革委', 'SUPPORT 区水务局']);
  });
});
