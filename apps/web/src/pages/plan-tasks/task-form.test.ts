import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import {
  adjustmentInput,
  columnOrder,
  createTaskInput,
  formFieldOf,
  laterThanTask,
  orderOf,
  taskLight,
  unitRows,
  type TaskFormValues,
} from './task-form';

const VALUES: TaskFormValues = {
  planId: 'plan-1',
  targetId: undefined,
  title: '  推进老旧小区改造  ',
  description: '   ',
  responsibleLeaderId: 'leader-1',
  dueAt: dayjs('2026-12-31'),
  milestones: [{ title: ' 完成方案 ', dueAt: dayjs('2026-06-30') }],
  leadUnitIds: ['fgw'],
  leadUnits: [{ orgUnitId: 'fgw', dueAt: dayjs('2026-11-30') }],
  supportUnitIds: ['zgc'],
  supportUnits: [{ orgUnitId: 'zgc', dueAt: dayjs('2026-10-31') }],
};

describe('the form as the API takes it', () => {
  it('trims text, leaves out what is empty, and dates each deadline at the end of its Beijing day', () => {
    expect(createTaskInput(VALUES)).toEqual({
      planId: 'plan-1',
      targetId: undefined,
      title: '推进老旧小区改造',
      description: undefined,
      responsibleLeaderId: 'leader-1',
      dueAt: '2026-12-31T23:59:59.999+08:00',
      priority: undefined,
      milestones: [{ title: '完成方案', dueAt: '2026-06-30T23:59:59.999+08:00' }],
      escalationPolicyId: undefined,
      leadUnits: [{ orgUnitId: 'fgw', dueAt: '2026-11-30T23:59:59.999+08:00' }],
      supportUnits: [{ orgUnitId: 'zgc', dueAt: '2026-10-31T23:59:59.999+08:00' }],
    });
  });

  it('sends the policy chosen and no support units when none are picked', () => {
    const input = createTaskInput({ ...VALUES, escalationPolicyId: 'policy-1', supportUnits: undefined });
    expect(input.escalationPolicyId).toBe('policy-1');
    expect(input.supportUnits).toEqual([]);
  });

  it('keeps the date of a unit picked before and starts a new one at the task deadline', () => {
    const due = dayjs('2026-12-31');
    const before = [{ orgUnitId: 'a', dueAt: dayjs('2026-05-01') }];
    const rows = unitRows(['b', 'a'], before, due);
    expect(rows.map((r) => [r.orgUnitId, r.dueAt.format('YYYY-MM-DD')])).toEqual([
      ['b', '2026-12-31'],
      ['a', '2026-05-01'],
    ]);
  });
});

describe('where an API error goes on the form', () => {
  it('puts a unit date on its row and anything else about a unit on its picker', () => {
    expect(formFieldOf('leadUnits.1.dueAt')).toEqual(['leadUnits', 1, 'dueAt']);
    expect(formFieldOf('supportUnits.0.orgUnitId')).toEqual(['supportUnitIds']);
    expect(formFieldOf('leadUnits')).toEqual(['leadUnitIds']);
  });

  it('puts the task fields and a milestone date on themselves, and nothing else on the form', () => {
    expect(formFieldOf('input.title')).toEqual(['title']);
    expect(formFieldOf('milestones.0.dueAt')).toEqual(['milestones', 0, 'dueAt']);
    expect(formFieldOf('responsibleLeaderId')).toEqual(['responsibleLeaderId']);
    expect(formFieldOf('version')).toBeNull();
  });
});

describe('date rules', () => {
  it('refuses a unit date after the task deadline, naming it', () => {
    expect(laterThanTask(dayjs('2027-01-01'), dayjs('2026-12-31'))).toBe(
      '不能晚于任务完成时限（2026年12月31日）',
    );
    expect(laterThanTask(dayjs('2026-12-31'), dayjs('2026-12-31'))).toBeNull();
    expect(laterThanTask(dayjs('2027-01-01'), undefined)).toBeNull();
  });
});

describe('a task light', () => {
  it('is the worst of its shares, with the most days overdue among the red ones', () => {
    expect(
      taskLight([
        { light: 'GREEN', daysOverdue: 0 },
        { light: 'RED', daysOverdue: 3 },
        { light: 'YELLOW', daysOverdue: 0 },
        { light: 'RED', daysOverdue: 5 },
      ]),
    ).toEqual({ light: 'RED', daysOverdue: 5 });
    expect(
      taskLight([
        { light: 'YELLOW', daysOverdue: 0 },
        { light: null, daysOverdue: 0 },
      ]),
    ).toEqual({
      light: 'YELLOW',
      daysOverdue: 0,
    });
  });

  it('is none when every share is closed or there is none', () => {
    expect(taskLight([{ light: null, daysOverdue: 0 }])).toEqual({ light: null, daysOverdue: 0 });
    expect(taskLight([])).toEqual({ light: null, daysOverdue: 0 });
  });
});

describe('the list order', () => {
  it('follows the sorted column and falls back to the nearest deadline first', () => {
    expect(orderOf('progress', 'descend')).toBe('PROGRESS_DESC');
    expect(orderOf('due', 'descend')).toBe('DUE_AT_DESC');
    expect(orderOf('updated', 'descend')).toBe('UPDATED_AT_DESC');
    expect(orderOf('progress', null)).toBe('DUE_AT_ASC');
    expect(columnOrder('PROGRESS_ASC', 'progress')).toBe('ascend');
    expect(columnOrder('PROGRESS_ASC', 'due')).toBeNull();
  });
});

describe('an adjustment request', () => {
  it('carries only what changes', () => {
    const current = { title: '原名称', description: '原内容' };
    expect(
      adjustmentInput(
        't',
        { reason: ' 工作需要 ', title: '原名称', description: '', addSupportUnitIds: ['jw'] },
        current,
      ),
    ).toEqual({
      taskId: 't',
      reason: '工作需要',
      title: undefined,
      description: undefined,
      dueAt: undefined,
      addSupportUnits: [{ orgUnitId: 'jw' }],
      removeAssignmentIds: undefined,
    });
  });
});
