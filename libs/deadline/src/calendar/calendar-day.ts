import { type Day, daysOfYear, isWeekend } from '@zhezi/core';

export enum DayKind {
  WORKDAY = 'WORKDAY',
  WEEKEND = 'WEEKEND',
  HOLIDAY = 'HOLIDAY',
  MAKEUP_WORKDAY = 'MAKEUP_WORKDAY',
}

/** One day of the working-day calendar, as stored in work_calendar_day. */
export interface CalendarDay {
  day: Day;
  workday: boolean;
  kind: DayKind;
  /** The holiday, in Chinese ('春节'); for a make-up workday, the holiday it makes up for; null on plain days. */
  name: string | null;
  source: string;
  /** Derived from the statutory rule before the State Council has published the year's schedule. */
  provisional: boolean;
}

/** A year's exceptions to the Monday–Friday week, each day with its holiday's name. */
export interface YearSchedule {
  year: number;
  holidays: ReadonlyMap<Day, string>;
  makeupWorkdays: ReadonlyMap<Day, string>;
  source: string;
  provisional: boolean;
}

/** Every day of the year: the schedule's holidays and make-up workdays, the other days by day of the week. */
export function buildYear({
  year,
  holidays,
  makeupWorkdays,
  source,
  provisional,
}: YearSchedule): CalendarDay[] {
  return daysOfYear(year).map((day): CalendarDay => {
    const holiday = holidays.get(day);
    if (holiday !== undefined) {
      return { day, workday: false, kind: DayKind.HOLIDAY, name: holiday, source, provisional };
    }
    const makeup = makeupWorkdays.get(day);
    if (makeup !== undefined) {
      return { day, workday: true, kind: DayKind.MAKEUP_WORKDAY, name: makeup, source, provisional };
    }
    const weekend = isWeekend(day);
    return {
      day,
      workday: !weekend,
      kind: weekend ? DayKind.WEEKEND : DayKind.WORKDAY,
      name: null,
      source,
      provisional,
    };
  });
}
