import { describe, expect, it } from 'vitest';
import { buildYear, type SpecialDay } from './month-grid';

// 2026: 元旦 Jan 1–3 (Thu–Sat) with Sunday Jan 4 worked; 国庆 Oct 1–7 with two Saturdays worked.
const SPECIAL: SpecialDay[] = [
  { day: '2026-01-01', kind: 'HOLIDAY', workday: false, name: '元旦', provisional: false },
  { day: '2026-01-02', kind: 'HOLIDAY', workday: false, name: '元旦', provisional: false },
  { day: '2026-01-03', kind: 'HOLIDAY', workday: false, name: '元旦', provisional: false },
  { day: '2026-01-04', kind: 'MAKEUP_WORKDAY', workday: true, name: '元旦', provisional: false },
];

describe('buildYear', () => {
  const year = buildYear(2026, SPECIAL);

  it('lays out twelve Monday-first months, padded to whole weeks', () => {
    expect(year.map((m) => m.month)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const [january] = year;
    // 2026-01-01 is a Thursday: three blank cells (Mon–Wed) before it.
    expect(january.weeks[0].map((c) => c?.date ?? null)).toEqual([null, null, null, 1, 2, 3, 4]);
    expect(january.weeks.every((w) => w.length === 7)).toBe(true);
    expect(january.weeks.flat().filter(Boolean)).toHaveLength(31);
    // February 2026 starts on a Sunday and fills exactly its weeks.
    expect(year[1].weeks[0].map((c) => c?.date ?? null)).toEqual([null, null, null, null, null, null, 1]);
    expect(year[1].weeks.flat().filter(Boolean)).toHaveLength(28);
  });

  it('takes holidays and make-up workdays from the calendar and the rest from the week', () => {
    const days = new Map(year[0].weeks.flat().flatMap((c) => (c ? [[c.date, c]] : [])));
    expect(days.get(1)).toMatchObject({ kind: 'HOLIDAY', workday: false, name: '元旦', startsHoliday: true });
    expect(days.get(2)).toMatchObject({ kind: 'HOLIDAY', startsHoliday: false });
    expect(days.get(4)).toMatchObject({ kind: 'MAKEUP_WORKDAY', workday: true });
    expect(days.get(5)).toMatchObject({ kind: 'WORKDAY', workday: true, name: null });
    expect(days.get(10)).toMatchObject({ kind: 'WEEKEND', workday: false });
    // 22 weekdays in January 2026, minus the two holiday weekdays, plus the worked Sunday.
    expect(year[0]).toMatchObject({ workdays: 21, holidays: 3, makeupWorkdays: 1 });
  });

  it('marks provisional days as the calendar does, and handles leap years', () => {
    const provisional = buildYear(2028, [
      { day: '2028-02-29', kind: 'HOLIDAY', workday: false, name: '春节', provisional: true },
    ]);
    const leapDay = provisional[1].weeks.flat().find((c) => c?.date === 29);
    expect(leapDay).toMatchObject({ day: '2028-02-29', provisional: true, kind: 'HOLIDAY' });
    expect(provisional[1].weeks.flat().filter(Boolean)).toHaveLength(29);
  });
});
