import { ApprovalKind, type ApprovalRequest } from '@zhezi/approval';
import { readAdjustment, readExtension } from './request.payloads';

const request = (kind: ApprovalKind, payload: Record<string, unknown>) =>
  ({ id: 'r1', kind, payload }) as unknown as ApprovalRequest;

describe('request payloads, checked when read', () => {
  it('reads an extension and refuses one without a valid date', () => {
    const payload = {
      newDueAt: '2027-01-31T15:59:59.999Z',
      previousDueAt: '2026-12-31T15:59:59.999Z',
      reason: '施工',
    };
    expect(readExtension(request(ApprovalKind.EXTENSION, payload))).toEqual(payload);
    expect(() => readExtension(request(ApprovalKind.EXTENSION, { ...payload, newDueAt: 'soon' }))).toThrow(
      /malformed/,
    );
    expect(() => readExtension(request(ApprovalKind.ADJUSTMENT, payload))).toThrow(/not EXTENSION/);
  });

  it('reads an adjustment and refuses changes of the wrong shape', () => {
    const changes = { title: '新标题', milestones: [{ title: '节点', dueAt: '2026-06-30T15:59:59.999Z' }] };
    expect(readAdjustment(request(ApprovalKind.ADJUSTMENT, { changes, reason: '调整' }))).toEqual({
      changes,
      reason: '调整',
    });
    for (const bad of [
      { changes: { title: 3 }, reason: '调整' },
      { changes: { milestones: [{ title: '节点' }] }, reason: '调整' },
      { changes: { addSupportUnits: [{ dueAt: '2026-06-30' }] }, reason: '调整' },
      { changes: {}, reason: null },
      { reason: '调整' },
    ]) {
      expect(() => readAdjustment(request(ApprovalKind.ADJUSTMENT, bad))).toThrow(/malformed/);
    }
  });
});
