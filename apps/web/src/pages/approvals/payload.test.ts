import { describe, expect, it } from 'vitest';
import { payloadRows } from './payload';

const rows = (...args: Parameters<typeof payloadRows>) =>
  Object.fromEntries(payloadRows(...args).map((r) => [r.label, r.text]));

describe('payloadRows', () => {
  it('shows a 销号 request by its statement of completion', () => {
    expect(rows({ kind: 'CLOSE_OUT', comment: '已全部完成', payload: {} })).toEqual({
      完成情况说明: '已全部完成',
    });
    expect(rows({ kind: 'CLOSE_OUT', comment: '', payload: {} })).toEqual({ 完成情况说明: '（未填写）' });
  });

  it('shows a 延期 request by its dates (Beijing) and reason, the comment once', () => {
    const payload = {
      previousDueAt: '2026-11-30T15:59:59.000Z',
      newDueAt: '2026-12-31T15:59:59.000Z',
      reason: '施工受冬季停工影响',
    };
    expect(rows({ kind: 'EXTENSION', comment: '施工受冬季停工影响', payload })).toEqual({
      原完成时限: '2026年11月30日',
      申请延至: '2026年12月31日',
      延期理由: '施工受冬季停工影响',
    });
    expect(rows({ kind: 'EXTENSION', comment: '已与区交通委沟通', payload })).toMatchObject({
      申请说明: '已与区交通委沟通',
    });
  });

  it('shows a 任务调整 by what it changes, naming withdrawn shares by unit', () => {
    const payload = {
      reason: '职能调整',
      changes: {
        dueAt: '2027-06-30T15:59:59.000Z',
        milestones: [{ title: '完成方案', dueAt: '2027-03-31T15:59:59.000Z' }],
        addSupportUnits: [{ orgUnitId: 'u1' }, { orgUnitId: 'u2' }],
        removeAssignmentIds: ['a1'],
      },
    };
    const task = { assignments: [{ id: 'a1', orgUnit: { name: '区商务局' } }] };
    expect(rows({ kind: 'ADJUSTMENT', comment: '职能调整', payload, task })).toEqual({
      调整理由: '职能调整',
      新完成时限: '2027年6月30日',
      '时间节点（整体替换）': '2027年3月31日 完成方案',
      增加配合单位: '2 个单位',
      撤销分工: '区商务局',
    });
  });

  it('shows a 分解审定 by its plan and the number of tasks to publish', () => {
    expect(
      rows({
        kind: 'DECOMPOSITION',
        comment: '',
        payload: { draftTaskIds: ['d1', 'd2'] },
        plan: { title: '纲要' },
      }),
    ).toEqual({ 规划: '纲要', 待发布的任务: '2 项' });
  });

  it('survives a payload that is not what it should be', () => {
    expect(rows({ kind: 'EXTENSION', comment: '', payload: null })).toEqual({
      原完成时限: '—',
      申请延至: '—',
      延期理由: '—',
    });
  });
});
