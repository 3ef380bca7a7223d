import { describe, expect, it } from 'vitest';
import { endedPeriods, isoWeekOf, monthOf, periodLabel } from './periods';

describe('report periods in Beijing time', () => {
  it('names the month and ISO week of an instant as the API does', () => {
    // 2026-11-30T16:30Z is already 1 December in Beijing.
    expect(monthOf(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12');
    expect(monthOf(new Date('2026-11-30T15:30:00Z'))).toBe('2026-11');
    expect(isoWeekOf(new Date('2026-12-06T09:00:00Z'))).toBe('2026-W49');
    // Week 1 holds 4 January; 2027-01-01 (a Friday) still belongs to 2026's last week.
    expect(isoWeekOf(new Date('2027-01-01T04:00:00Z'))).toBe('2026-W53');
    expect(isoWeekOf(new Date('2027-01-04T04:00:00Z'))).toBe('2027-W01');
    expect(isoWeekOf(new Date('2025-12-29T04:00:00Z'))).toBe('2026-W01');
  });

  it('offers only periods that have ended, newest first', () => {
    const { monthly, weekly } = endedPeriods(new Date('2026-01-10T04:00:00Z'), 3, 2);
    expect(monthly.map((p) => p.value)).toEqual(['2025-12', '2025-11', '2025-10']);
    expect(monthly[0].label).toBe('2025年12月 月报');
    expect(weekly.map((p) => p.value)).toEqual(['2026-W01', '2025-W52']);
    expect(weekly[0].label).toBe('2026年第1周 周报');
  });

  it('labels periods in Chinese', () => {
    expect(periodLabel('2026-03')).toBe('2026年3月');
    expect(periodLabel('2026-W07')).toBe('2026年第7周');
  });
});
