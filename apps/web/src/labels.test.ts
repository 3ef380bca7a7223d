import { describe, expect, it } from 'vitest';
import { ESCALATION_ACTION_LABEL, formatDue, noticeStatusLabel } from './labels';
import { longDate, shortDate } from './workdays';

describe('supervision labels', () => {
  it('says a returned 督办单 is 已退回 while it waits for a new answer', () => {
    expect(noticeStatusLabel({ status: 'OPEN', returnCount: 0 })).toBe('待答复');
    expect(noticeStatusLabel({ status: 'OPEN', returnCount: 2 })).toBe('已退回');
    expect(noticeStatusLabel({ status: 'ANSWERED', returnCount: 1 })).toBe('已答复');
    expect(noticeStatusLabel({ status: 'CLOSED', returnCount: 1 })).toBe('已办结');
  });

  it('names the ladder in its order with the glossary words', () => {
    expect(Object.values(ESCALATION_ACTION_LABEL)).toEqual(['提醒', '催办', '督办', '通报', '约谈']);
  });
});

describe('formatDue', () => {
  it('shows 长期 for an ongoing duty and the date for the others', () => {
    const dueAt = '2026-12-31T15:59:59.999Z';
    expect(formatDue({ dueAt, dueKind: 'ONGOING' }, shortDate)).toBe('长期');
    expect(formatDue({ dueAt, dueKind: 'RECURRING' }, longDate)).toBe('2026年12月31日');
    expect(formatDue({ dueAt, dueKind: 'DATE' }, shortDate)).toBe('2026-12-31');
    expect(formatDue({ dueAt }, shortDate)).toBe('2026-12-31');
  });
});
