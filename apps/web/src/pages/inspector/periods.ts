/** Report periods and months as the API names them, in Beijing time (UTC+8, no daylight saving). */

const DAY_MS = 24 * 3600_000;

/** The Beijing calendar day of an instant, as a UTC midnight (so the UTC fields read as the local date). */
function beijingDay(at: Date): Date {
  const local = new Date(at.getTime() + 8 * 3600_000);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()));
}

/** "2026-12": the month an instant falls in. */
export function monthOf(at: Date): string {
  return beijingDay(at).toISOString().slice(0, 7);
}

/** "2026-W49": the ISO week of an instant; its Thursday decides the year. */
export function isoWeekOf(at: Date): string {
  const thursday = beijingDay(at);
  thursday.setUTCDate(thursday.getUTCDate() + 3 - ((thursday.getUTCDay() + 6) % 7));
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export interface PeriodOption {
  value: string;
  label: string;
}

/** "2026年11月" / "2026年第48周". */
export function periodLabel(key: string): string {
  const week = /^(\d{4})-W(\d{2})$/.exec(key);
  if (week) return `${week[1]}年第${Number(week[2])}周`;
  const [year, month] = key.split('-');
  return `${year}年${Number(month)}月`;
}

/**
 * The report periods that have ended by `now`, newest first: monthly reports (月报) of the last `months`
 * months and weekly ones (周报, urgent tasks) of the last `weeks` weeks.
 */
export function endedPeriods(
  now: Date,
  months = 12,
  weeks = 8,
): { monthly: PeriodOption[]; weekly: PeriodOption[] } {
  const day = beijingDay(now);
  const monthly: PeriodOption[] = [];
  for (let i = 1; i <= months; i++) {
    const key = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() - i, 1)).toISOString().slice(0, 7);
    monthly.push({ value: key, label: `${periodLabel(key)} 月报` });
  }
  const weekly: PeriodOption[] = [];
  for (let i = 1; i <= weeks; i++) {
    const key = isoWeekOf(new Date(now.getTime() - i * 7 * DAY_MS));
    weekly.push({ value: key, label: `${periodLabel(key)} 周报` });
  }
  return { monthly, weekly };
}
