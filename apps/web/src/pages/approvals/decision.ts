import type {
  ApprovalDecisionKind,
  ApprovalKind,
  ApprovalStatus,
  ApprovalStepStatus,
  StepMode,
} from '../../gql/graphql';

/** The rules of the decision form, apart from the page: what may be sent, and what must be confirmed first. */

export interface StepState {
  position: number;
  mode: StepMode;
  status: ApprovalStepStatus;
  approverIds: readonly string[];
  decisions: readonly { approverId: string; decision: ApprovalDecisionKind }[];
}

export interface RequestState {
  status: ApprovalStatus;
  currentStep?: number | null;
  steps: readonly StepState[];
}

export const REJECT_NEEDS_COMMENT = '退回时请填写意见，申请单位将看到它';

/** Why the form will not send this decision, or null: a 退回 needs a comment (the API refuses one without). */
export function decisionProblem(decision: ApprovalDecisionKind, comment: string): string | null {
  return decision === 'REJECT' && !comment.trim() ? REJECT_NEEDS_COMMENT : null;
}

/** The step the viewer may decide now: the request is pending, they approve its current step and have not yet. */
export function stepToDecide(request: RequestState, viewerId: string): StepState | null {
  if (request.status !== 'PENDING') return null;
  const step = request.steps.find((s) => s.position === request.currentStep);
  if (!step?.approverIds.includes(viewerId)) return null;
  return step.decisions.some((d) => d.approverId === viewerId) ? null : step;
}

/**
 * Whether the viewer's 同意 ends the request and applies its effect: no later step has approvers (the API skips
 * those that have none), and the step completes with it — 或签 at once, 会签 when every other approver agreed.
 */
export function approvalIsFinal(steps: readonly StepState[], step: StepState, viewerId: string): boolean {
  if (steps.some((s) => s.position > step.position && s.approverIds.length > 0)) return false;
  if (step.mode === 'ANY') return true;
  const agreed = new Set(step.decisions.filter((d) => d.decision === 'APPROVE').map((d) => d.approverId));
  return step.approverIds.every((id) => id === viewerId || agreed.has(id));
}

/** What a final approval does: in the confirmation before it, and in the message after it. */
const EFFECT: Record<ApprovalKind, { will: string; done: string }> = {
  CLOSE_OUT: { will: '该分工即销号', done: '该分工已销号' },
  EXTENSION: { will: '完成时限即改为申请的日期', done: '完成时限已改为申请的日期' },
  ADJUSTMENT: { will: '任务即按申请调整', done: '任务已按申请调整' },
  DECOMPOSITION: { will: '分解的任务即发布交办', done: '分解的任务已发布交办' },
};

/**
 * The confirmation before a decision that cannot be undone (UI.md: 退回, and 同意 on the last step); null when
 * the decision goes at once.
 */
export function confirmationFor(
  decision: ApprovalDecisionKind,
  kind: ApprovalKind,
  final: boolean,
): { title: string; content: string; okText: string } | null {
  if (decision === 'REJECT') {
    const returned = kind === 'CLOSE_OUT' ? '分工回到“已退回”，' : '';
    return {
      title: '确认退回？',
      content: `退回后本申请即结束，${returned}申请单位将看到您的意见。`,
      okText: '退回',
    };
  }
  if (!final) return null;
  return {
    title: '确认同意？',
    content: `这是最后一步审批：同意后${EFFECT[kind].will}，不能撤销。`,
    okText: '同意',
  };
}

/** The item to offer after deciding: the oldest waiting request other than the one just decided. */
export function nextWaiting<T extends { id: string }>(inbox: readonly T[], decidedId: string): T | undefined {
  return inbox.find((item) => item.id !== decidedId);
}

/** What became of the request after the viewer's decision, for the message that offers the next item. */
export function outcomeText(
  request: { kind: ApprovalKind; status: ApprovalStatus },
  nextStep: string,
): string {
  switch (request.status) {
    case 'APPROVED':
      return `审批已全部通过，${EFFECT[request.kind].done}。`;
    case 'REJECTED':
      return '申请已退回，申请单位将看到您的意见。';
    case 'WITHDRAWN':
      return '申请已被撤回。';
    case 'PENDING':
      return `已转到下一步：${nextStep}。`;
  }
}
