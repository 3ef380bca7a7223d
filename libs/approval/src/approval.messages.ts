import { ApprovalKind } from './approval-flow.entity';
import { ApprovalStatus } from './approval-request.entity';

export const KIND_LABELS: Record<ApprovalKind, string> = {
  [ApprovalKind.CLOSE_OUT]: '销号',
  [ApprovalKind.EXTENSION]: '延期',
  [ApprovalKind.ADJUSTMENT]: '任务调整',
  [ApprovalKind.DECOMPOSITION]: '任务分解审定',
};

const BEIJING_DATE = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'long' });

/** What a message needs to know about a request, read once per message. */
export interface RequestFacts {
  kind: ApprovalKind;
  /** The task's title, or the plan's for a decomposition. */
  subject: string;
  requesterUnit: string;
  comment: string;
  /** For an extension: the date asked for. */
  newDueAt: Date | null;
}

export interface ApprovalMessage {
  title: string;
  body: string;
}

/** To the approvers of a step the request has just reached. */
export function stepReachedMessage(f: RequestFacts, stepName: string): ApprovalMessage {
  const label = KIND_LABELS[f.kind];
  const extension = f.newDueAt ? `申请延至${BEIJING_DATE.format(f.newDueAt)}；` : '';
  const said = f.comment ? `说明：${f.comment}。` : '';
  return {
    title: `【待审批】${label}：${f.subject}`,
    body: `${f.requesterUnit}提交的${label}申请“${f.subject}”已到“${stepName}”，请审批。${extension}${said}`,
  };
}

/** To the requester once the request is decided; a rejection carries the step, who rejected and why. */
export function decidedMessage(
  f: RequestFacts,
  status: ApprovalStatus.APPROVED | ApprovalStatus.REJECTED,
  rejection: { stepName: string; by: string; comment: string } | null,
): ApprovalMessage {
  const label = KIND_LABELS[f.kind];
  if (status === ApprovalStatus.APPROVED || !rejection) {
    return {
      title: `【审批通过】${label}：${f.subject}`,
      body: `${f.requesterUnit}提交的${label}申请“${f.subject}”已审批通过。`,
    };
  }
  return {
    title: `【审批退回】${label}：${f.subject}`,
    body: `${f.requesterUnit}提交的${label}申请“${f.subject}”在“${rejection.stepName}”被${rejection.by}退回。意见：${rejection.comment}`,
  };
}
