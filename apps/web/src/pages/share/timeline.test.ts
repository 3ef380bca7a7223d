import { describe, expect, it } from 'vitest';
import { buildTimeline, type TimelineSource } from './timeline';

const EMPTY: TimelineSource = {
  progressReports: [],
  approvalRequests: [],
  escalations: [],
  supervisionNotices: [],
  children: [],
};

const at = (day: number, hour = 9) => `2026-11-${String(day).padStart(2, '0')}T0${hour}:00:00.000Z`;

describe('the timeline of a share', () => {
  it('puts everything newest first, in words', () => {
    const entries = buildTimeline(
      {
        ...EMPTY,
        progressReports: [
          {
            id: 'r1',
            period: '2026-11',
            percent: 40,
            text: '完成 12 个驿站',
            reason: null,
            revision: 2,
            submittedAt: at(20),
            submittedBy: { displayName: '徐婷' },
            evidence: [{ id: 'e1', fileName: '驿站.png', sizeBytes: 68 }],
          },
        ],
        escalations: [{ id: 'x1', action: 'URGE', outcome: 'FIRED', firedAt: at(25), reason: null }],
        supervisionNotices: [
          {
            id: 'n1',
            code: '督〔2026〕3号',
            reason: '逾期未完成',
            openedAt: at(26),
            responseDueAt: '2026-12-01T15:59:59.999Z',
            answeredAt: at(27),
            response: '已整改',
            newPlan: '月底完成',
            closedAt: null,
            returnCount: 0,
            returnReason: null,
          },
        ],
      },
      [
        {
          id: '1',
          action: 'assignment.split',
          actorName: '系统',
          occurredAt: at(1),
          after: { parentUnitName: '区城市管理委', dueAt: '2026-11-30T15:59:59.999Z' },
        },
        {
          id: '2',
          action: 'assignment.accept',
          actorName: '徐婷',
          occurredAt: at(2),
          after: { status: 'ACCEPTED' },
        },
        { id: '3', action: 'assignment.report_progress', actorName: '徐婷', occurredAt: at(20) },
      ],
    );
    expect(entries.map((e) => [e.kind, e.title])).toEqual([
      ['notice', '答复督办单 督〔2026〕3号'],
      ['notice', '开具督办单 督〔2026〕3号'],
      ['escalation', '催办'],
      ['report', '报送进展 2026-11：40%（第 2 次报送）'],
      ['audit', '签收'],
      ['audit', '由区城市管理委分解交办'],
    ]);
    expect(entries[0].lines).toEqual(['整改说明：已整改', '推进计划：月底完成']);
    expect(entries[1].lines).toEqual(['督办事由：逾期未完成', '答复时限 2026-12-01']);
    expect(entries[3]).toMatchObject({ actor: '徐婷', evidence: [{ fileName: '驿站.png' }] });
    expect(entries[5].lines).toEqual(['完成时限 2026-11-30']);
  });

  it('tells a request, its decisions by name with their comments, and where it stands', () => {
    const step = (id: string, position: number, name: string, approver: string) => ({
      id,
      name,
      position,
      approvers: [{ id: `u-${id}`, displayName: approver }],
    });
    const entries = buildTimeline(
      {
        ...EMPTY,
        approvalRequests: [
          {
            id: 'q1',
            kind: 'EXTENSION',
            status: 'PENDING',
            comment: '',
            payload: { newDueAt: '2027-11-30T15:59:59.999Z', reason: '待地铁施工完成' },
            createdAt: at(10),
            currentStep: 2,
            requestedBy: { displayName: '徐婷' },
            steps: [
              {
                ...step('s1', 1, '单位负责人审核', '王强'),
                decisions: [
                  { id: 'd1', approverId: 'u-s1', decision: 'APPROVE', comment: '属实', decidedAt: at(11) },
                ],
              },
              { ...step('s2', 2, '督查室初审', '李敏'), decisions: [] },
            ],
          },
          {
            id: 'q0',
            kind: 'CLOSE_OUT',
            status: 'REJECTED',
            comment: '已完成',
            payload: {},
            createdAt: at(3),
            closedAt: at(4),
            requestedBy: { displayName: '徐婷' },
            steps: [
              {
                ...step('s0', 1, '单位负责人审核', '王强'),
                decisions: [
                  {
                    id: 'd0',
                    approverId: 'u-s0',
                    decision: 'REJECT',
                    comment: '缺佐证材料',
                    decidedAt: at(4),
                  },
                ],
              },
            ],
          },
        ],
      },
      [{ id: '9', action: 'assignment.return', actorName: '王强', occurredAt: at(4) }],
    );
    expect(entries.map((e) => [e.title, e.actor, e.lines, e.tone])).toEqual([
      ['申请延期：单位负责人审核同意', '王强', ['意见：属实'], 'success'],
      ['申请延期：延至 2027-11-30（审批中：第 2 步 督查室初审）', '徐婷', ['待地铁施工完成'], 'normal'],
      ['申请销号：单位负责人审核退回', '王强', ['意见：缺佐证材料'], 'danger'],
      ['申请销号（已退回）', '徐婷', ['已完成'], 'danger'],
    ]);
  });

  it('makes one entry of parts split off together, and names audit events it knows', () => {
    const entries = buildTimeline(
      {
        ...EMPTY,
        children: [
          { id: 'c1', createdAt: at(5), dueAt: '2027-06-30T15:59:59.999Z', orgUnit: { name: '学院路街道' } },
          { id: 'c2', createdAt: at(5), dueAt: '2027-08-31T15:59:59.999Z', orgUnit: { name: '海淀街道' } },
        ],
      },
      [
        {
          id: '4',
          action: 'assignment.extend',
          actorName: '陈立华',
          occurredAt: at(8),
          before: { dueAt: '2027-08-31T15:59:59.999Z' },
          after: { dueAt: '2027-09-30T15:59:59.999Z', reason: '汛期停工' },
        },
        {
          id: '5',
          action: 'assignment.progress_rollup',
          actorName: '系统',
          occurredAt: at(6),
          after: { progressPercent: 25 },
        },
        { id: '6', action: 'something.new', actorName: '系统', occurredAt: at(7) },
      ],
    );
    expect(entries.map((e) => [e.title, e.lines])).toEqual([
      ['延期生效', ['完成时限 2027-08-31 → 2027-09-30', '理由：汛期停工']],
      ['变更记录', []],
      ['进度按街镇汇总为 25%', []],
      [
        '分解到街镇：学院路街道、海淀街道',
        ['学院路街道 完成时限 2027-06-30', '海淀街道 完成时限 2027-08-31'],
      ],
    ]);
  });
});
