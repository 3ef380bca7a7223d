import type { DayKind } from '../../gql/graphql';

/** A day the calendar lists because it differs from the ordinary week: a holiday or a make-up workday. */
export interface SpecialDay {
  day: string;
  kind: DayKind;
  workday: boolean;
  name?: string | null;
  provisional: boolean;
}

export interface DayCell {
  /** YYYY-MM-DD */
  day: string;
  date: number;
  kind: DayKind;
  workday: boolean;
  name: string | null;
  provisional: boolean;
  /** The first day of a holiday (or the only one): where its name is written. */
  startsHoliday: boolean;
}

export interface MonthGrid {
  /** 1–12 */
  month: number;
  /** Monday-first weeks; null pads the days before the 1st and after the last. */
  weeks: (DayCell | null)[][];
  workdays: number;
  holidays: number;
  makeupWorkdays: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A year as twelve month grids, Monday first as Chinese calendars print it: every day a workday or weekend by
 * the week, unless the calendar lists it as a holiday or a make-up workday. Dates are calendar dates (no time
 * zone), counted in UTC so the host's zone cannot shift them.
 */
export function buildYear(year: number, specialDays: readonly SpecialDay[]): MonthGrid[] {
  const special = new Map(specialDays.map((d) => [d.day, d]));
  const months: MonthGrid[] = [];
  for (let month = 1; month <= 12; month++) {
    const length = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const offset = (new Date(Date.UTC(year, month - 1, 1)).getUTCDay() + 6) % 7;
    const cells: (DayCell | null)[] = Array.from({ length: offset }, () => null);
    let previous: DayCell | null = null;
    for (let date = 1; date <= length; date++) {
      const day = `${year}-${pad(month)}-${pad(date)}`;
      const weekend = [0, 6].includes(new Date(Date.UTC(year, month - 1, date)).getUTCDay());
      const listed = special.get(day);
      const kind: DayKind = listed?.kind ?? (weekend ? 'WEEKEND' : 'WORKDAY');
      const name = listed?.name ?? null;
      const cell: DayCell = {
        day,
        date,
        kind,
        workday: listed ? listed.workday : !weekend,
        name,
        provisional: listed?.provisional ?? false,
        startsHoliday: kind === 'HOLIDAY' && !(previous?.kind === 'HOLIDAY' && previous.name === name),
      };
      cells.push(cell);
      previous = cell;
    }
    while (cells.length % 7) cells.push(null);
    const days = cells.filter((c): c is DayCell => c !== null);
    months.push({
      month,
      weeks: Array.from({ length: cells.length / 7 }, (_, i) => cells.slice(i * 7, i * 7 + 7)),
      workdays: days.filter((d) => d.workday).length,
      holidays: days.filter((d) => d.kind === 'HOLIDAY').length,
      makeupWorkdays: days.filter((d) => d.kind === 'MAKEUP_WORKDAY').length,
    });
  }
  return months;
}
