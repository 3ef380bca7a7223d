import type { AssignmentStatus, DueKind, OrgUnitKind, Role } from '../../gql/graphql';
import { UNIT_ROLES } from '../../labels';

/** What a unit may do on its share's page; each but 签收 is a form. */
export type ShareAction = 'accept' | 'report' | 'closeOut' | 'extend' | 'answer' | 'split';

export const ACTION_LABEL: Record<ShareAction, string> = {
  accept: '签收',
  report: '报送进展',
  closeOut: '申请销号',
  extend: '申请延期',
  answer: '答复督办单',
  split: '分解到街镇',
};

/** The part of a share the rules look at. */
export interface ShareState {
  status: AssignmentStatus;
  dueAt: string;
  /** An ongoing duty (长期) has no date to extend. */
  dueKind?: DueKind;
  parentId?: string | null;
  orgUnit: { id: string; kind: OrgUnitKind };
  children: readonly unknown[];
  approvalRequests: readonly { kind: string; status: string }[];
  supervisionNotices: readonly { status: string }[];
}

const WORKING: readonly AssignmentStatus[] = ['ACCEPTED', 'IN_PROGRESS', 'RETURNED'];
const DONE: readonly AssignmentStatus[] = ['CLOSED', 'SUSPENDED'];

const pending = (share: ShareState, kind: string) =>
  share.approvalRequests.some((r) => r.kind === kind && r.status === 'PENDING');

/**
 * The actions the share's status allows its own unit, in the order offered (the likely next step first); the
 * same rules as the API's lifecycle table and approval checks, so that no button leads to a refusal.
 */
export function availableActions(
  share: ShareState,
  viewer: { role: Role; orgUnit: { id: string } },
  now = new Date(),
): ShareAction[] {
  if (!UNIT_ROLES.includes(viewer.role) || viewer.orgUnit.id !== share.orgUnit.id) return [];
  const actions: ShareAction[] = [];
  const split = share.children.length > 0;
  if (share.status === 'ASSIGNED') actions.push('accept');
  if (share.supervisionNotices.some((n) => n.status === 'OPEN')) actions.push('answer');
  if (WORKING.includes(share.status)) {
    actions.push('report');
    // A split share closes when its parts have; it is never requested.
    if (!split && !pending(share, 'CLOSE_OUT')) actions.push('closeOut');
  }
  const departmentShare = share.orgUnit.kind === 'DEPARTMENT' && !share.parentId;
  if (departmentShare && !DONE.includes(share.status)) actions.push('split');
  // After the deadline only the 督查室 may open an extension for the share.
  const dated = share.dueKind !== 'ONGOING';
  if (dated && !DONE.includes(share.status) && !pending(share, 'EXTENSION') && now < new Date(share.dueAt)) {
    actions.push('extend');
  }
  return actions;
}
