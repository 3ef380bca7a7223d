import { ASSIGNERS, DEPARTMENT_ROLES, SUBDISTRICT_ROLES, type Actor } from '@zhezi/core';
import { AssignmentStatus } from './assignment.entity';

/** What can happen to an assignment. Each action is one row of the transition table below. */
export enum AssignmentAction {
  ACCEPT = 'ACCEPT',
  REPORT_PROGRESS = 'REPORT_PROGRESS',
  REQUEST_CLOSE_OUT = 'REQUEST_CLOSE_OUT',
  WITHDRAW_CLOSE_OUT = 'WITHDRAW_CLOSE_OUT',
  CLOSE = 'CLOSE',
  CLOSE_WITH_PARTS = 'CLOSE_WITH_PARTS',
  RETURN = 'RETURN',
  SUSPEND = 'SUSPEND',
  RESUME = 'RESUME',
}

/** Who may take an action: the assignment's own unit, a leader or admin, or the system applying an effect. */
export enum Taker {
  UNIT = 'UNIT',
  ASSIGNER = 'ASSIGNER',
  SYSTEM = 'SYSTEM',
}

export interface Transition {
  from: readonly AssignmentStatus[];
  /** PREVIOUS: back to the status held before a suspension. */
  to: AssignmentStatus | 'PREVIOUS';
  takers: readonly Taker[];
  label: string;
}

const { ASSIGNED, ACCEPTED, IN_PROGRESS, CLOSE_OUT_REQUESTED, CLOSED, RETURNED, SUSPENDED } =
  AssignmentStatus;
const WORKING = [ACCEPTED, IN_PROGRESS, RETURNED] as const;

/** The whole lifecycle in one place; AssignmentStateService.applyTransition is the only code that runs it. */
export const ASSIGNMENT_TRANSITIONS: Record<AssignmentAction, Transition> = {
  ACCEPT: { from: [ASSIGNED], to: ACCEPTED, takers: [Taker.UNIT], label: '签收' },
  REPORT_PROGRESS: { from: WORKING, to: IN_PROGRESS, takers: [Taker.UNIT], label: '报送进展' },
  REQUEST_CLOSE_OUT: { from: WORKING, to: CLOSE_OUT_REQUESTED, takers: [Taker.UNIT], label: '申请销号' },
  WITHDRAW_CLOSE_OUT: {
    from: [CLOSE_OUT_REQUESTED],
    to: IN_PROGRESS,
    takers: [Taker.UNIT],
    label: '撤回销号申请',
  },
  CLOSE: { from: [CLOSE_OUT_REQUESTED], to: CLOSED, takers: [Taker.SYSTEM], label: '销号' },
  CLOSE_WITH_PARTS: {
    from: [ASSIGNED, ...WORKING, CLOSE_OUT_REQUESTED],
    to: CLOSED,
    takers: [Taker.SYSTEM],
    label: '下级分工全部销号后销号',
  },
  RETURN: { from: [CLOSE_OUT_REQUESTED], to: RETURNED, takers: [Taker.SYSTEM], label: '退回' },
  SUSPEND: {
    from: [ASSIGNED, ...WORKING, CLOSE_OUT_REQUESTED],
    to: SUSPENDED,
    takers: [Taker.ASSIGNER],
    label: '暂停',
  },
  RESUME: { from: [SUSPENDED], to: 'PREVIOUS', takers: [Taker.ASSIGNER], label: '恢复' },
};

export const STATUS_LABELS: Record<AssignmentStatus, string> = {
  ASSIGNED: '待签收',
  ACCEPTED: '已签收',
  IN_PROGRESS: '推进中',
  CLOSE_OUT_REQUESTED: '销号审批中',
  CLOSED: '已销号',
  RETURNED: '已退回',
  SUSPENDED: '已暂停',
};

/** The takers an actor counts as for an assignment of `orgUnitId`. SYSTEM is never a person. */
export function takersFor(actor: Actor, orgUnitId: string): Taker[] {
  const takers: Taker[] = [];
  if (ASSIGNERS.includes(actor.role)) takers.push(Taker.ASSIGNER);
  const unitRole = DEPARTMENT_ROLES.includes(actor.role) || SUBDISTRICT_ROLES.includes(actor.role);
  if (unitRole && actor.orgUnitId === orgUnitId) takers.push(Taker.UNIT);
  return takers;
}

export type TransitionCheck =
  | { ok: true; to: AssignmentStatus }
  | { ok: false; reason: 'STATUS' | 'TAKER'; message: string };

/** Decides a transition without touching anything: pure, so the table is unit-tested as data. */
export function checkTransition(
  action: AssignmentAction,
  current: AssignmentStatus,
  takers: readonly Taker[],
  statusBeforeSuspend: AssignmentStatus | null,
): TransitionCheck {
  const transition = ASSIGNMENT_TRANSITIONS[action];
  if (!transition.takers.some((t) => takers.includes(t))) {
    return { ok: false, reason: 'TAKER', message: `无权对该分工执行“${transition.label}”` };
  }
  if (!transition.from.includes(current)) {
    return {
      ok: false,
      reason: 'STATUS',
      message: `分工当前状态为“${STATUS_LABELS[current]}”，不能${transition.label}`,
    };
  }
  const to = transition.to === 'PREVIOUS' ? (statusBeforeSuspend ?? ASSIGNED) : transition.to;
  return { ok: true, to };
}

/** A split share is done when all its parts are; the task when all its top-level lead shares are. */
export function allClosed(statuses: readonly AssignmentStatus[]): boolean {
  return statuses.length > 0 && statuses.every((s) => s === CLOSED);
}
