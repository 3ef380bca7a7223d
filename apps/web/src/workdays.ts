/** A day of the work calendar that differs from the ordinary week: a holiday, or a make-up workday. */
export interface SpecialDay {
  day: string;
  workday: boolean;
}

/** Dates are Beijing dates: shifted by +8 h, the UTC fields read as the local calendar day and time. */
function beijingIso(date: Date): string {
  return new Date(date.getTime() + 8 * 3600_000).toISOString();
}

function ymd(date: Date): string {
  return beijingIso(date).slice(0, 10);
}

/**
 * Working days from the day after `from` up to and including `to` (Beijing dates): 0 when due today, negative
 * never — an overdue share shows its natural days overdue instead.
 */
export function workdaysLeft(from: Date, to: Date, specialDays: readonly SpecialDay[]): number {
  const special = new Map(specialDays.map((d) => [d.day, d.workday]));
  const end = ymd(to);
  let count = 0;
  const cursor = new Date(`${ymd(from)}T00:00:00Z`);
  for (;;) {
    cursor.setUTCDate(cursor.getUTCDate() + 1);
    const day = cursor.toISOString().slice(0, 10);
    if (day > end) return count;
    const weekday = cursor.getUTCDay();
    if (special.get(day) ?? (weekday !== 0 && weekday !== 6)) count += 1;
  }
}

/** 2026-12-31, the dense tables' form of a Beijing date. */
export function shortDate(iso: string): string {
  return ymd(new Date(iso));
}

/** 2026年12月31日, the text form. */
export function longDate(iso: string): string {
  const [y, m, d] = shortDate(iso).split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

/** 2026-12-31 09:30, Beijing time: when something was submitted or decided. */
export function shortDateTime(iso: string): string {
  return beijingIso(new Date(iso)).slice(0, 16).replace('T', ' ');
}
