import type { CalendarDay } from './calendar-day';
import { provisionalYear } from './statutory-rules';
import { type Day, daysOfYear, parseDay, toEpochDay, yearOf } from '@zhezi/core';

/** A year's rows with the counts that make workday arithmetic O(1) within the year. */
interface YearIndex {
  year: number;
  firstEpochDay: number;
  /** Every day of the year, in order. */
  rows: readonly CalendarDay[];
  /** workdaysThrough[i]: the workdays among rows[0..i]. */
  workdaysThrough: Uint16Array;
  /** The position in `rows` of each of the year's workdays, in order. */
  workdays: Uint16Array;
  provisional: boolean;
}

interface Position {
  index: YearIndex;
  offset: number;
}

/**
 * Working days in Asia/Shanghai: the rows given (stored schedules), and for any day they lack the fallback's rows,
 * built once per year. Workday arithmetic costs O(1) plus one step for each year boundary crossed.
 */
export class WorkCalendar {
  private readonly years = new Map<number, YearIndex>();

  constructor(
    days: Iterable<CalendarDay>,
    private readonly fallback: (year: number) => CalendarDay[] = provisionalYear,
  ) {
    const given = new Map<number, CalendarDay[]>();
    for (const row of days) {
      const year = yearOf(row.day);
      const rows = given.get(year);
      if (rows) rows.push(row);
      else given.set(year, [row]);
    }
    for (const [year, rows] of given) this.years.set(year, this.buildIndex(year, rows));
  }

  dayInfo(day: Day): CalendarDay {
    const { index, offset } = this.locate(day);
    return index.rows[offset];
  }

  isWorkday(day: Day): boolean {
    return this.dayInfo(day).workday;
  }

  /** n > 0: the n-th workday after `day`; n < 0: the |n|-th workday before it; 0: `day` itself, workday or not. */
  addWorkdays(day: Day, n: number): Day {
    if (!Number.isInteger(n)) throw new RangeError(`工作日数应为整数：${n}`);
    const { index: start, offset } = this.locate(day);
    if (n === 0) return day;
    const through = start.workdaysThrough[offset];
    // 1-based rank of the answer among its year's workdays, carried across year boundaries.
    let rank = n > 0 ? through + n : through - (start.rows[offset].workday ? 1 : 0) + n + 1;
    let index = start;
    while (rank > index.workdays.length) {
      rank -= index.workdays.length;
      index = this.yearIndex(index.year + 1);
    }
    while (rank < 1) {
      index = this.yearIndex(index.year - 1);
      rank += index.workdays.length;
    }
    return index.rows[index.workdays[rank - 1]].day;
  }

  /**
   * The workdays in (from, to], negated when `to` is before `from`. addWorkdays(from, workdaysBetween(from, to))
   * gives `to` when `to` is a workday after `from`, or when both are workdays.
   */
  workdaysBetween(from: Day, to: Day): number {
    const start = this.locate(from);
    const end = this.locate(to);
    const firstYear = Math.min(start.index.year, end.index.year);
    return this.workdaysSince(firstYear, end) - this.workdaysSince(firstYear, start);
  }

  /** `day` if it is a workday, else the next workday. */
  nextWorkday(day: Day): Day {
    return this.isWorkday(day) ? day : this.addWorkdays(day, 1);
  }

  /** The years, among those given or looked up so far, whose rows in use are provisional. */
  provisionalYears(): number[] {
    return [...this.years.values()]
      .filter((index) => index.provisional)
      .map((index) => index.year)
      .sort((a, b) => a - b);
  }

  /** The workdays from the start of `firstYear` through the position. */
  private workdaysSince(firstYear: number, { index, offset }: Position): number {
    let count = index.workdaysThrough[offset];
    for (let year = firstYear; year < index.year; year++) count += this.yearIndex(year).workdays.length;
    return count;
  }

  private locate(day: Day): Position {
    const { year, epochDay } = parseDay(day);
    const index = this.yearIndex(year);
    return { index, offset: epochDay - index.firstEpochDay };
  }

  private yearIndex(year: number): YearIndex {
    let index = this.years.get(year);
    if (!index) {
      index = this.buildIndex(year, []);
      this.years.set(year, index);
    }
    return index;
  }

  private buildIndex(year: number, given: readonly CalendarDay[]): YearIndex {
    const givenByDay = new Map(given.map((row) => [row.day, row]));
    let fallbackByDay: Map<Day, CalendarDay> | undefined;
    const days = daysOfYear(year);
    const rows = days.map((day) => {
      const row = givenByDay.get(day);
      if (row) return row;
      fallbackByDay ??= new Map(this.fallback(year).map((fallbackRow) => [fallbackRow.day, fallbackRow]));
      const fallbackRow = fallbackByDay.get(day);
      if (!fallbackRow) throw new Error(`后备日历缺少 ${day}`);
      return fallbackRow;
    });
    const workdaysThrough = new Uint16Array(rows.length);
    const workdays: number[] = [];
    rows.forEach((row, offset) => {
      if (row.workday) workdays.push(offset);
      workdaysThrough[offset] = workdays.length;
    });
    return {
      year,
      firstEpochDay: toEpochDay(days[0]),
      rows,
      workdaysThrough,
      workdays: Uint16Array.from(workdays),
      provisional: rows.some((row) => row.provisional),
    };
  }
}
