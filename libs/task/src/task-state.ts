import { AssignmentRole, AssignmentStatus } from './assignment.entity';
import { TaskStatus } from './task.entity';

export interface ShareState {
  role: AssignmentRole;
  status: AssignmentStatus;
  progressPercent: number;
  parentId: string | null;
}

/** A share's progress as every figure reads it: a closed share is done, whatever was last reported. */
export function progressOf(share: Pick<ShareState, 'status' | 'progressPercent'>): number {
  return share.status === AssignmentStatus.CLOSED ? 100 : share.progressPercent;
}

/**
 * The progress of a whole made of shares: the mean of theirs, a closed one counting 100. A split share's
 * progress is that of its parts; a task's that of its lead shares.
 */
export function meanProgress(shares: readonly Pick<ShareState, 'status' | 'progressPercent'>[]): number {
  if (shares.length === 0) return 0;
  return Math.round(shares.reduce((sum, s) => sum + progressOf(s), 0) / shares.length);
}

/**
 * A task's status and progress follow its top-level shares (the units the leader assigned): closed when every
 * lead share is closed, suspended when every lead share is, in progress once any share has been taken up.
 */
export function deriveTaskState(shares: readonly ShareState[]): {
  status: TaskStatus;
  progressPercent: number;
} {
  const leads = shares.filter((s) => s.parentId === null && s.role === AssignmentRole.LEAD);
  if (shares.length === 0 || leads.length === 0) return { status: TaskStatus.UNASSIGNED, progressPercent: 0 };
  const progressPercent = meanProgress(leads);
  const every = (status: AssignmentStatus) => leads.every((s) => s.status === status);
  if (every(AssignmentStatus.CLOSED)) return { status: TaskStatus.CLOSED, progressPercent: 100 };
  if (every(AssignmentStatus.SUSPENDED)) return { status: TaskStatus.SUSPENDED, progressPercent };
  const untouched = shares.every((s) => s.status === AssignmentStatus.ASSIGNED);
  return { status: untouched ? TaskStatus.ASSIGNED : TaskStatus.IN_PROGRESS, progressPercent };
}
