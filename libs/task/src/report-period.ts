import { BEIJING_OFFSET_MS } from '@zhezi/core';

/** Reports are due per calendar month, or per ISO week for urgent tasks, in Beijing time (UTC+8, no DST). */
export enum ReportCadence {
  MONTHLY = 'MONTHLY',
  WEEKLY = 'WEEKLY',
}

export interface ReportPeriod {
  key: string;
  cadence: ReportCadence;
  /** First instant of the period. */
  start: Date;
  /** First instant after the period. */
  end: Date;
}

const DAY_MS = 24 * 3600_000;

/** Midnight of a Beijing calendar day, as an instant. */
const beijingMidnight = (year: number, monthIndex: number, day: number) =>
  new Date(Date.UTC(year, monthIndex, day) - BEIJING_OFFSET_MS);

/** Monday of ISO week 1: the week that holds 4 January. */
function isoWeekOneMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7;
  return jan4 - weekday * DAY_MS;
}

/** The period an instant falls in. */
export function periodOf(at: Date, cadence: ReportCadence): string {
  const local = new Date(at.getTime() + BEIJING_OFFSET_MS);
  const year = local.getUTCFullYear();
  if (cadence === ReportCadence.MONTHLY) {
    return `${year}-${String(local.getUTCMonth() + 1).padStart(2, '0')}`;
  }
  const day = Date.UTC(year, local.getUTCMonth(), local.getUTCDate());
  let weekYear = year + 1;
  while (day < isoWeekOneMonday(weekYear)) weekYear--;
  const week = Math.floor((day - isoWeekOneMonday(weekYear)) / (7 * DAY_MS)) + 1;
  return `${weekYear}-W${String(week).padStart(2, '0')}`;
}

/** Parses "2026-11" or "2026-W48"; null for anything else, including week 53 of a 52-week year. */
export function parsePeriod(key: string): ReportPeriod | null {
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(key);
  if (month) {
    const [year, m] = [Number(month[1]), Number(month[2])];
    return {
      key,
      cadence: ReportCadence.MONTHLY,
      start: beijingMidnight(year, m - 1, 1),
      end: beijingMidnight(year, m, 1),
    };
  }
  const week = /^(\d{4})-W(\d{2})$/.exec(key);
  if (!week) return null;
  const startDay = isoWeekOneMonday(Number(week[1])) + (Number(week[2]) - 1) * 7 * DAY_MS;
  const start = new Date(startDay - BEIJING_OFFSET_MS);
  if (Number(week[2]) < 1 || periodOf(start, ReportCadence.WEEKLY) !== key) return null;
  return { key, cadence: ReportCadence.WEEKLY, start, end: new Date(start.getTime() + 7 * DAY_MS) };
}
