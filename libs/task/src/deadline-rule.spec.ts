import { AppError } from '@zhezi/core';
import { checkWithinDeadline, datedMilestones } from './deadline-rule';

const limit = new Date('2026-12-31T15:59:59.999Z');
const later = new Date('2027-01-31T15:59:59.999Z');

function refusal(run: () => void): { field?: unknown; message: string } {
  try {
    run();
  } catch (error) {
    const e = error as AppError;
    return { field: e.extensions?.field, message: e.message };
  }
  throw new Error('not refused');
}

describe('checkWithinDeadline', () => {
  it('accepts dates up to and including the limit', () => {
    expect(() => checkWithinDeadline([{ dueAt: limit, field: 'leadUnits.0' }], limit)).not.toThrow();
  });

  it('refuses a share past the task’s deadline on its dueAt field', () => {
    expect(refusal(() => checkWithinDeadline([{ dueAt: later, field: 'leadUnits.1' }], limit))).toEqual({
      field: 'leadUnits.1.dueAt',
      message: '完成时限不能晚于任务完成时限',
    });
  });

  it('names a part’s limit and a milestone by its title', () => {
    expect(
      refusal(() => checkWithinDeadline([{ dueAt: later, field: 'parts.0' }], limit, '本部门的完成时限'))
        .message,
    ).toBe('完成时限不能晚于本部门的完成时限');
    const milestones = datedMilestones([
      { title: '方案', dueAt: limit },
      { title: '验收', dueAt: later },
    ]);
    expect(refusal(() => checkWithinDeadline(milestones, limit))).toEqual({
      field: 'milestones.1.dueAt',
      message: '时间节点“验收”晚于任务完成时限',
    });
  });
});
