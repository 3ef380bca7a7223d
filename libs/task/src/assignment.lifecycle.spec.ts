import { Role, type Actor } from '@zhezi/core';
import { AssignmentStatus } from './assignment.entity';
import {
  allClosed,
  ASSIGNMENT_TRANSITIONS,
  AssignmentAction,
  checkTransition,
  takersFor,
  Taker,
} from './assignment.lifecycle';

const { ASSIGNED, ACCEPTED, IN_PROGRESS, CLOSE_OUT_REQUESTED, CLOSED, RETURNED, SUSPENDED } =
  AssignmentStatus;
const actor = (role: Role, orgUnitId = 'unit-a'): Actor => ({
  userId: 'u',
  displayName: 'x',
  role,
  orgUnitId,
});

describe('assignment transition table', () => {
  it.each([
    [AssignmentAction.ACCEPT, ASSIGNED, ACCEPTED],
    [AssignmentAction.REPORT_PROGRESS, ACCEPTED, IN_PROGRESS],
    [AssignmentAction.REPORT_PROGRESS, RETURNED, IN_PROGRESS],
    [AssignmentAction.REQUEST_CLOSE_OUT, IN_PROGRESS, CLOSE_OUT_REQUESTED],
    [AssignmentAction.WITHDRAW_CLOSE_OUT, CLOSE_OUT_REQUESTED, IN_PROGRESS],
  ])('the unit takes %s from %s to %s', (action, from, to) => {
    expect(checkTransition(action, from, [Taker.UNIT], null)).toEqual({ ok: true, to });
  });

  it('lets only the system apply approval effects', () => {
    expect(checkTransition(AssignmentAction.CLOSE, CLOSE_OUT_REQUESTED, [Taker.SYSTEM], null)).toEqual({
      ok: true,
      to: CLOSED,
    });
    expect(checkTransition(AssignmentAction.RETURN, CLOSE_OUT_REQUESTED, [Taker.SYSTEM], null)).toEqual({
      ok: true,
      to: RETURNED,
    });
    for (const takers of [[Taker.UNIT], [Taker.ASSIGNER]]) {
      expect(checkTransition(AssignmentAction.CLOSE, CLOSE_OUT_REQUESTED, takers, null)).toMatchObject({
        ok: false,
        reason: 'TAKER',
      });
    }
  });

  it('resumes a suspended assignment to where it was', () => {
    expect(checkTransition(AssignmentAction.SUSPEND, IN_PROGRESS, [Taker.ASSIGNER], null)).toEqual({
      ok: true,
      to: SUSPENDED,
    });
    expect(checkTransition(AssignmentAction.RESUME, SUSPENDED, [Taker.ASSIGNER], IN_PROGRESS)).toEqual({
      ok: true,
      to: IN_PROGRESS,
    });
  });

  it('refuses an action from a status the table does not list, naming the current status', () => {
    const result = checkTransition(AssignmentAction.ACCEPT, CLOSED, [Taker.UNIT], null);
    expect(result).toEqual({ ok: false, reason: 'STATUS', message: '分工当前状态为“已销号”，不能签收' });
  });

  it('never leaves CLOSED', () => {
    for (const [action, transition] of Object.entries(ASSIGNMENT_TRANSITIONS)) {
      expect([action, transition.from.includes(CLOSED)]).toEqual([action, false]);
    }
  });
});

describe('takersFor', () => {
  it('makes officers and heads of the unit its takers, leaders and admins assigners', () => {
    expect(takersFor(actor(Role.SUBDISTRICT_OFFICER), 'unit-a')).toEqual([Taker.UNIT]);
    expect(takersFor(actor(Role.DEPARTMENT_HEAD), 'unit-a')).toEqual([Taker.UNIT]);
    expect(takersFor(actor(Role.SUBDISTRICT_OFFICER), 'unit-b')).toEqual([]);
    expect(takersFor(actor(Role.LEADER, 'gov'), 'unit-a')).toEqual([Taker.ASSIGNER]);
    expect(takersFor(actor(Role.INSPECTOR, 'unit-a'), 'unit-a')).toEqual([]);
  });
});

describe('allClosed', () => {
  it('needs at least one part, all closed', () => {
    expect(allClosed([])).toBe(false);
    expect(allClosed([CLOSED, CLOSED])).toBe(true);
    expect(allClosed([CLOSED, IN_PROGRESS])).toBe(false);
  });
});
