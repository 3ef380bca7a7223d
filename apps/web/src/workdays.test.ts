import { describe, expect, it } from 'vitest';
import { longDate, shortDate, shortDateTime, workdaysLeft } from './workdays';

const at = (iso: string) => new Date(iso);

describe('workdaysLeft', () => {
  it('counts weekdays after today up to the due date (Beijing dates)', () => {
    // Friday 2026-12-04 → Friday 2026-12-11: Mon–Fri of the next week.
    expect(workdaysLeft(at('2026-12-04T02:00:00Z'), at('2026-12-11T15:59:59Z'), [])).toBe(5);
    expect(workdaysLeft(at('2026-12-04T02:00:00Z'), at('2026-12-04T10:00:00Z'), [])).toBe(0);
  });

  it('skips holidays and counts make-up workdays', () => {
    const special = [
      { day: '2026-12-07', workday: false },
      { day: '2026-12-05', workday: true },
    ];
    expect(workdaysLeft(at('2026-12-04T02:00:00Z'), at('2026-12-08T02:00:00Z'), special)).toBe(2);
  });

  it('reads a UTC instant late in the day as the next Beijing day', () => {
    expect(shortDate('2026-12-30T16:00:00Z')).toBe('2026-12-31');
    expect(longDate('2026-12-30T16:00:00Z')).toBe('2026年12月31日');
    expect(shortDateTime('2026-12-30T16:05:00Z')).toBe('2026-12-31 00:05');
  });
});
