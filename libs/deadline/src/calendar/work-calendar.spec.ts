import { type CalendarDay, DayKind } from './calendar-day';
import { packagedYear, packagedYears } from './packaged-calendar';
import { PROVISIONAL_SOURCE, provisionalYear } from './statutory-rules';
import { inEachTimeZone } from './time-zones.testing';
import { WorkCalendar } from './work-calendar';
import { daysOfYear } from '@zhezi/core';

const PACKAGED = packagedYears().flatMap((year) => packagedYear(year));
/** 2023–2026 as published. */
const RECENT = new WorkCalendar(PACKAGED.filter((row) => row.day >= '2023-01-01'));

/** Deterministic pseudo-random integers in [0, bound). */
function sequence(seed: number): (bound: number) => number {
  let state = seed;
  return (bound) => {
    // Park–Miller: the products stay below 2^53, so every step is exact.
    state = (state * 48_271) % 2_147_483_647;
    return state % bound;
  };
}

describe('WorkCalendar', () => {
  it('knows the published holidays and make-up workdays', () => {
    inEachTimeZone(() => {
      for (const day of ['2024-02-04', '2024-02-18', '2025-01-26', '2025-02-08']) {
        expect(RECENT.dayInfo(day)).toMatchObject({ workday: true, kind: DayKind.MAKEUP_WORKDAY });
      }
      for (const day of daysOfYear(2024).filter((d) => d >= '2024-10-01' && d <= '2024-10-07')) {
        expect(RECENT.isWorkday(day)).toBe(false);
      }
      expect(RECENT.isWorkday('2024-10-08')).toBe(true);
      expect(RECENT.isWorkday('2026-02-23')).toBe(false);
      expect(RECENT.isWorkday('2026-02-28')).toBe(true);
    });
  });

  it('adds workdays across 国庆 2024, forwards and backwards', () => {
    inEachTimeZone(() => {
      expect(RECENT.addWorkdays('2024-09-30', 1)).toBe('2024-10-08');
      expect(RECENT.addWorkdays('2024-09-27', 2)).toBe('2024-09-30');
      expect(RECENT.addWorkdays('2024-10-03', 1)).toBe('2024-10-08');
      expect(RECENT.addWorkdays('2024-10-08', -1)).toBe('2024-09-30');
      expect(RECENT.addWorkdays('2024-10-03', -1)).toBe('2024-09-30');
      expect(RECENT.addWorkdays('2024-10-03', -2)).toBe('2024-09-29');
      expect(RECENT.addWorkdays('2024-10-12', -1)).toBe('2024-10-11');
      expect(RECENT.addWorkdays('2024-10-03', 0)).toBe('2024-10-03');
      expect(RECENT.nextWorkday('2024-10-01')).toBe('2024-10-08');
      expect(RECENT.nextWorkday('2024-10-08')).toBe('2024-10-08');
      expect(RECENT.nextWorkday('2024-02-04')).toBe('2024-02-04');
    });
  });

  it('counts workdays in (from, to], negated backwards', () => {
    inEachTimeZone(() => {
      expect(RECENT.workdaysBetween('2024-09-30', '2024-10-08')).toBe(1);
      expect(RECENT.workdaysBetween('2024-10-08', '2024-09-30')).toBe(-1);
      expect(RECENT.workdaysBetween('2024-10-01', '2024-10-07')).toBe(0);
      expect(RECENT.workdaysBetween('2024-10-05', '2024-10-05')).toBe(0);
      expect(RECENT.workdaysBetween('2024-09-30', '2024-10-01')).toBe(0);
      expect(RECENT.workdaysBetween('2024-12-31', '2025-01-02')).toBe(1);
      expect(RECENT.workdaysBetween('2024-01-01', '2025-01-01')).toBe(
        packagedYear(2024).filter((row) => row.workday).length,
      );
    });
  });

  it('agrees with counting through the list of workdays, across years', () => {
    const calendar = new WorkCalendar(PACKAGED);
    const workdays = PACKAGED.filter((row) => row.workday).map((row) => row.day);
    // For each day, how many workdays of the list come before it.
    const before = new Map<string, number>();
    let count = 0;
    for (const row of PACKAGED) {
      before.set(row.day, count);
      if (row.workday) count++;
    }
    const days = PACKAGED.map((row) => row.day).filter((day) => day >= '2006-01-01' && day <= '2024-12-31');
    const random = sequence(7);
    const wrong: unknown[] = [];
    for (let i = 0; i < 500; i++) {
      const day = days[random(days.length)];
      const n = random(901) - 450;
      const own = calendar.isWorkday(day) ? 1 : 0;
      const expected =
        n > 0 ? workdays[before.get(day)! + own + n - 1] : n < 0 ? workdays[before.get(day)! + n] : day;
      const target = calendar.addWorkdays(day, n);
      const between = calendar.workdaysBetween(day, target);
      const relationHolds = n > 0 || own ? between === n : true;
      if (target !== expected || calendar.workdaysBetween(target, day) !== -between || !relationHolds) {
        wrong.push({ day, n, target, expected, between });
      }
    }
    expect(wrong).toEqual([]);
  });

  it('falls back to the statutory rule past the packaged years, one build per year', () => {
    inEachTimeZone(() => {
      const fallback = jest.fn(provisionalYear);
      const calendar = new WorkCalendar(
        PACKAGED.filter((row) => row.day >= '2026-01-01'),
        fallback,
      );
      expect(calendar.provisionalYears()).toEqual([]);
      expect(calendar.addWorkdays('2026-12-31', 1)).toBe('2027-01-04');
      expect(calendar.addWorkdays('2027-01-04', -1)).toBe('2026-12-31');
      expect(calendar.workdaysBetween('2026-12-30', '2027-01-04')).toBe(2);
      expect(calendar.dayInfo('2027-02-05')).toMatchObject({
        workday: false,
        kind: DayKind.HOLIDAY,
        name: '春节',
        provisional: true,
        source: PROVISIONAL_SOURCE,
      });
      expect(calendar.addWorkdays('2027-09-30', 1)).toBe('2027-10-04');
      expect(fallback.mock.calls).toEqual([[2027]]);
      expect(calendar.provisionalYears()).toEqual([2027]);
      expect(calendar.addWorkdays('2026-01-04', -1)).toBe('2025-12-31');
      expect(fallback.mock.calls).toEqual([[2027], [2025]]);
      expect(calendar.provisionalYears()).toEqual([2025, 2027]);
    });
  });

  it('fills the days a year lacks from the fallback', () => {
    const imported: CalendarDay = {
      day: '2027-02-09',
      workday: false,
      kind: DayKind.HOLIDAY,
      name: '春节',
      source: '国办发明电〔2026〕7号',
      provisional: false,
    };
    const calendar = new WorkCalendar([imported]);
    expect(calendar.dayInfo('2027-02-09')).toBe(imported);
    expect(calendar.addWorkdays('2027-02-04', 1)).toBe('2027-02-10');
    expect(calendar.dayInfo('2027-02-10').provisional).toBe(true);
    expect(calendar.provisionalYears()).toEqual([2027]);
  });

  it('keeps a year whose rows are all imported off the provisional list', () => {
    const calendar = new WorkCalendar(packagedYear(2026));
    expect(calendar.isWorkday('2026-10-10')).toBe(true);
    expect(calendar.provisionalYears()).toEqual([]);
  });

  it('rejects invalid days and offsets', () => {
    const calendar = new WorkCalendar([]);
    expect(() => calendar.dayInfo('2027-02-30')).toThrow(RangeError);
    expect(() => calendar.addWorkdays('2027-02-01', 1.5)).toThrow(RangeError);
    expect(() => new WorkCalendar([{ ...packagedYear(2026)[0], day: '2026-1-1' }])).toThrow(RangeError);
  });
});
