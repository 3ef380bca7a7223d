import { AssignmentRole, AssignmentStatus } from './assignment.entity';
import { TaskStatus } from './task.entity';
import { deriveTaskState, meanProgress, type ShareState } from './task-state';

const share = (over: Partial<ShareState>): ShareState => ({
  role: AssignmentRole.LEAD,
  status: AssignmentStatus.ASSIGNED,
  progressPercent: 0,
  parentId: null,
  ...over,
});
const { CLOSED, IN_PROGRESS, SUSPENDED, ACCEPTED } = AssignmentStatus;

describe('deriveTaskState', () => {
  it('is unassigned without lead shares', () => {
    expect(deriveTaskState([])).toEqual({ status: TaskStatus.UNASSIGNED, progressPercent: 0 });
    expect(deriveTaskState([share({ role: AssignmentRole.SUPPORT })]).status).toBe(TaskStatus.UNASSIGNED);
  });

  it('is assigned until any share is taken up, then in progress', () => {
    expect(deriveTaskState([share({}), share({ role: AssignmentRole.SUPPORT })]).status).toBe(
      TaskStatus.ASSIGNED,
    );
    expect(
      deriveTaskState([share({}), share({ role: AssignmentRole.SUPPORT, status: ACCEPTED })]).status,
    ).toBe(TaskStatus.IN_PROGRESS);
  });

  it('closes when every top-level lead share is closed, whatever the supports and parts do', () => {
    const state = deriveTaskState([
      share({ status: CLOSED }),
      share({ status: CLOSED }),
      share({ role: AssignmentRole.SUPPORT, status: IN_PROGRESS }),
    ]);
    expect(state).toEqual({ status: TaskStatus.CLOSED, progressPercent: 100 });
    expect(deriveTaskState([share({ status: CLOSED }), share({ status: IN_PROGRESS })]).status).toBe(
      TaskStatus.IN_PROGRESS,
    );
  });

  it('is suspended when every lead share is, and averages lead progress', () => {
    expect(deriveTaskState([share({ status: SUSPENDED, progressPercent: 40 })])).toEqual({
      status: TaskStatus.SUSPENDED,
      progressPercent: 40,
    });
    const state = deriveTaskState([
      share({ status: IN_PROGRESS, progressPercent: 30 }),
      share({ status: IN_PROGRESS, progressPercent: 61 }),
      share({ status: IN_PROGRESS, progressPercent: 100, parentId: 'p' }),
    ]);
    expect(state.progressPercent).toBe(46);
  });

  it('counts a closed lead share as done', () => {
    const state = deriveTaskState([
      share({ status: CLOSED, progressPercent: 0 }),
      share({ status: IN_PROGRESS, progressPercent: 50 }),
    ]);
    expect(state).toEqual({ status: TaskStatus.IN_PROGRESS, progressPercent: 75 });
  });
});

describe('meanProgress', () => {
  it('is the rounded mean of the parts, a closed part counting 100', () => {
    expect(meanProgress([share({ progressPercent: 60 }), share({ progressPercent: 0 })])).toBe(30);
    expect(meanProgress([share({ progressPercent: 60 }), share({ status: CLOSED })])).toBe(80);
    expect(meanProgress([share({ progressPercent: 33 }), share({ progressPercent: 34 })])).toBe(34);
    expect(meanProgress([share({ status: CLOSED }), share({ status: CLOSED, progressPercent: 10 })])).toBe(
      100,
    );
    expect(meanProgress([])).toBe(0);
  });
});
