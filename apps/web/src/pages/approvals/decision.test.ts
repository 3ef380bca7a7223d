import { describe, expect, it } from 'vitest';
import {
  approvalIsFinal,
  confirmationFor,
  decisionProblem,
  nextWaiting,
  outcomeText,
  REJECT_NEEDS_COMMENT,
  stepToDecide,
  type StepState,
} from './decision';

const step = (position: number, approverIds: string[], extra: Partial<StepState> = {}): StepState => ({
  position,
  mode: 'ANY',
  status: 'WAITING',
  approverIds,
  decisions: [],
  ...extra,
});

describe('decisionProblem', () => {
  it('refuses 退回 without a comment, blanks included', () => {
    expect(decisionProblem('REJECT', '')).toBe(REJECT_NEEDS_COMMENT);
    expect(decisionProblem('REJECT', ' \n\t')).toBe(REJECT_NEEDS_COMMENT);
    expect(decisionProblem('REJECT', '佐证材料不全')).toBeNull();
  });

  it('lets 同意 go with or without a comment', () => {
    expect(decisionProblem('APPROVE', '')).toBeNull();
    expect(decisionProblem('APPROVE', '同意')).toBeNull();
  });
});

describe('stepToDecide', () => {
  const steps = [step(1, ['head'], { status: 'PENDING' }), step(2, ['dept'])];

  it('is the current step for one of its approvers who has not decided', () => {
    expect(stepToDecide({ status: 'PENDING', currentStep: 1, steps }, 'head')?.position).toBe(1);
  });

  it('is nothing for someone else, a later step, a decided approver or an ended request', () => {
    expect(stepToDecide({ status: 'PENDING', currentStep: 1, steps }, 'dept')).toBeNull();
    expect(stepToDecide({ status: 'PENDING', currentStep: 1, steps }, 'officer')).toBeNull();
    const decided = [
      step(1, ['head', 'deputy'], {
        mode: 'ALL',
        status: 'PENDING',
        decisions: [{ approverId: 'head', decision: 'APPROVE' }],
      }),
    ];
    expect(stepToDecide({ status: 'PENDING', currentStep: 1, steps: decided }, 'head')).toBeNull();
    expect(stepToDecide({ status: 'PENDING', currentStep: 1, steps: decided }, 'deputy')?.position).toBe(1);
    expect(stepToDecide({ status: 'APPROVED', currentStep: null, steps }, 'head')).toBeNull();
  });
});

describe('approvalIsFinal', () => {
  it('is not final while a later step has approvers', () => {
    const steps = [step(1, ['head']), step(2, ['dept']), step(3, ['inspector'])];
    expect(approvalIsFinal(steps, steps[0], 'head')).toBe(false);
    expect(approvalIsFinal(steps, steps[2], 'inspector')).toBe(true);
  });

  it('ignores later steps without approvers (skipped)', () => {
    const steps = [step(1, ['head']), step(2, [], { status: 'SKIPPED' })];
    expect(approvalIsFinal(steps, steps[0], 'head')).toBe(true);
  });

  it('is final in 会签 only when every other approver has agreed', () => {
    const open = step(1, ['a', 'b', 'c'], {
      mode: 'ALL',
      decisions: [{ approverId: 'a', decision: 'APPROVE' }],
    });
    expect(approvalIsFinal([open], open, 'b')).toBe(false);
    const last = step(1, ['a', 'b', 'c'], {
      mode: 'ALL',
      decisions: [
        { approverId: 'a', decision: 'APPROVE' },
        { approverId: 'c', decision: 'APPROVE' },
      ],
    });
    expect(approvalIsFinal([last], last, 'b')).toBe(true);
  });
});

describe('confirmationFor', () => {
  it('asks before every 退回, saying the requester reads the comment', () => {
    expect(confirmationFor('REJECT', 'CLOSE_OUT', false)).toMatchObject({
      title: '确认退回？',
      content: expect.stringContaining('已退回') as string,
    });
    expect(confirmationFor('REJECT', 'EXTENSION', true)?.content).toContain('申请单位将看到您的意见');
  });

  it('asks before 同意 on the last step only, naming the effect', () => {
    expect(confirmationFor('APPROVE', 'CLOSE_OUT', false)).toBeNull();
    expect(confirmationFor('APPROVE', 'CLOSE_OUT', true)?.content).toContain('销号');
    expect(confirmationFor('APPROVE', 'EXTENSION', true)?.content).toContain('完成时限');
  });
});

describe('nextWaiting', () => {
  it('offers the oldest other request, or nothing when none is left', () => {
    expect(nextWaiting([{ id: 'a' }, { id: 'b' }], 'a')).toEqual({ id: 'b' });
    expect(nextWaiting([{ id: 'b' }, { id: 'c' }], 'a')).toEqual({ id: 'b' });
    expect(nextWaiting([{ id: 'a' }], 'a')).toBeUndefined();
    expect(nextWaiting([], 'a')).toBeUndefined();
  });
});

describe('outcomeText', () => {
  it('says where the request went', () => {
    expect(outcomeText({ kind: 'CLOSE_OUT', status: 'APPROVED' }, '—')).toBe(
      '审批已全部通过，该分工已销号。',
    );
    expect(outcomeText({ kind: 'CLOSE_OUT', status: 'PENDING' }, '督查室审核（第 3/4 步）')).toBe(
      '已转到下一步：督查室审核（第 3/4 步）。',
    );
    expect(outcomeText({ kind: 'EXTENSION', status: 'REJECTED' }, '—')).toContain('已退回');
  });
});
