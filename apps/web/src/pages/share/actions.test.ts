import { describe, expect, it } from 'vitest';
import { availableActions, type ShareState } from './actions';

const NOW = new Date('2026-12-06T02:00:00Z');
const ZGC = { id: 'zgc', kind: 'SUBDISTRICT' as const };
const officer = { role: 'SUBDISTRICT_OFFICER' as const, orgUnit: { id: 'zgc' } };

function share(overrides: Partial<ShareState> = {}): ShareState {
  return {
    status: 'ACCEPTED',
    dueAt: '2027-10-31T15:59:59.999Z',
    parentId: 'fgw-share',
    orgUnit: ZGC,
    children: [],
    approvalRequests: [],
    supervisionNotices: [],
    ...overrides,
  };
}

describe('the actions a share offers its unit', () => {
  it('starts with 签收, then offers the work', () => {
    expect(availableActions(share({ status: 'ASSIGNED' }), officer, NOW)).toEqual(['accept', 'extend']);
    expect(availableActions(share(), officer, NOW)).toEqual(['report', 'closeOut', 'extend']);
    expect(availableActions(share({ status: 'RETURNED' }), officer, NOW)).toEqual([
      'report',
      'closeOut',
      'extend',
    ]);
  });

  it('offers no extension of an ongoing duty (长期), which has no date', () => {
    expect(availableActions(share({ dueKind: 'ONGOING' }), officer, NOW)).toEqual(['report', 'closeOut']);
  });

  it('offers nothing to another unit, a leader, or on a closed or suspended share', () => {
    expect(availableActions(share(), { ...officer, orgUnit: { id: 'xyl' } }, NOW)).toEqual([]);
    expect(availableActions(share(), { role: 'LEADER', orgUnit: { id: 'zgc' } }, NOW)).toEqual([]);
    expect(availableActions(share({ status: 'CLOSED' }), officer, NOW)).toEqual([]);
    expect(availableActions(share({ status: 'SUSPENDED' }), officer, NOW)).toEqual([]);
  });

  it('waits while a request of the same kind is pending', () => {
    const pending = [
      { kind: 'CLOSE_OUT', status: 'PENDING' },
      { kind: 'EXTENSION', status: 'PENDING' },
    ];
    expect(
      availableActions(share({ status: 'CLOSE_OUT_REQUESTED', approvalRequests: pending }), officer, NOW),
    ).toEqual([]);
    const rejected = [{ kind: 'EXTENSION', status: 'REJECTED' }];
    expect(availableActions(share({ approvalRequests: rejected }), officer, NOW)).toContain('extend');
  });

  it('leaves an overdue extension to the 督查室', () => {
    expect(availableActions(share({ dueAt: '2026-11-30T15:59:59.999Z' }), officer, NOW)).toEqual([
      'report',
      'closeOut',
    ]);
  });

  it('offers 答复督办单 while a notice is open, whatever the status', () => {
    const notices = [{ status: 'OPEN' }];
    expect(
      availableActions(share({ status: 'ASSIGNED', supervisionNotices: notices }), officer, NOW),
    ).toEqual(['accept', 'answer', 'extend']);
    expect(
      availableActions(share({ supervisionNotices: [{ status: 'ANSWERED' }] }), officer, NOW),
    ).not.toContain('answer');
  });

  it('lets a department split its own share, and closes a split one through its parts', () => {
    const department = { role: 'DEPARTMENT_OFFICER' as const, orgUnit: { id: 'fgw' } };
    const own = share({ parentId: null, orgUnit: { id: 'fgw', kind: 'DEPARTMENT' } });
    expect(availableActions({ ...own, status: 'ASSIGNED' }, department, NOW)).toEqual([
      'accept',
      'split',
      'extend',
    ]);
    expect(availableActions({ ...own, children: [{}] }, department, NOW)).toEqual([
      'report',
      'split',
      'extend',
    ]);
  });
});
