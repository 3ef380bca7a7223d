import type { ApprovalKind } from '../../gql/graphql';
import { APPROVAL_KIND_LABEL } from '../../labels';

/** What the inbox and the request page say about a request, read from its query. */
export interface RequestFacts {
  kind: ApprovalKind;
  currentStep?: number | null;
  steps: readonly { position: number; name: string }[];
  task?: { title: string } | null;
  plan?: { title: string } | null;
  assignment?: { orgUnit: { name: string } } | null;
  requestedBy: { displayName: string; orgUnit: { name: string } };
}

/** The unit the request is for: the share's (an extension the 督查室 opened is still the unit's), else the requester's. */
export function requestUnit(r: RequestFacts): string {
  return r.assignment?.orgUnit.name ?? r.requestedBy.orgUnit.name;
}

/** The task's title, or the plan's for a 分解审定. */
export function requestSubject(r: RequestFacts): string {
  return r.task?.title ?? r.plan?.title ?? '—';
}

/** 销号申请：停车治理 */
export function requestTitle(r: RequestFacts): string {
  return `${APPROVAL_KIND_LABEL[r.kind]}申请：${requestSubject(r)}`;
}

/** 承办单位负责人审核（第 1/4 步）, or — once the request has ended. */
export function stepLabel(r: RequestFacts): string {
  const step = r.steps.find((s) => s.position === r.currentStep);
  return step ? `${step.name}（第 ${step.position}/${r.steps.length} 步）` : '—';
}
