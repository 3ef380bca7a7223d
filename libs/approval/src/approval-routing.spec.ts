import { StepMode } from './approval-flow.entity';
import { Decision, StepStatus } from './approval-request.entity';
import { nextStepPosition, stepOutcome } from './approval-routing';

const approve = (approverId: string) => ({ approverId, decision: Decision.APPROVE });
const reject = (approverId: string) => ({ approverId, decision: Decision.REJECT });

describe('stepOutcome', () => {
  it('或签 (ANY) passes on one approval', () => {
    expect(stepOutcome(StepMode.ANY, ['a', 'b'], [])).toBe(StepStatus.PENDING);
    expect(stepOutcome(StepMode.ANY, ['a', 'b'], [approve('b')])).toBe(StepStatus.APPROVED);
  });

  it('会签 (ALL) waits for every approver', () => {
    expect(stepOutcome(StepMode.ALL, ['a', 'b'], [approve('a')])).toBe(StepStatus.PENDING);
    expect(stepOutcome(StepMode.ALL, ['a', 'b'], [approve('a'), approve('b')])).toBe(StepStatus.APPROVED);
  });

  it('ends on any rejection, in either mode', () => {
    expect(stepOutcome(StepMode.ALL, ['a', 'b'], [approve('a'), reject('b')])).toBe(StepStatus.REJECTED);
    expect(stepOutcome(StepMode.ANY, ['a', 'b'], [reject('a')])).toBe(StepStatus.REJECTED);
  });

  it('skips a step nobody can decide', () => {
    expect(stepOutcome(StepMode.ALL, [], [])).toBe(StepStatus.SKIPPED);
  });
});

describe('nextStepPosition', () => {
  const steps = [
    { position: 1, approverIds: ['a'] },
    { position: 2, approverIds: [] },
    { position: 3, approverIds: ['c'] },
  ];

  it('goes to the next step with approvers, and past the last to null', () => {
    expect(nextStepPosition(steps, 0)).toBe(1);
    expect(nextStepPosition(steps, 1)).toBe(3);
    expect(nextStepPosition(steps, 3)).toBeNull();
  });
});
