/**
 * Beijing time (China Standard Time, the IANA zone Asia/Shanghai): the one place that turns instants into the
 * calendar days deadlines, working days and report periods are counted in.
 */

/** A calendar day in Beijing, written 'YYYY-MM-DD'. */
export type Day = string;

const DAY_MS = 86_400_000;
// China has kept UTC+8, without daylight saving, since 1991: a fixed shift is exact.
export const BEIJING_OFFSET_MS = 8 * 3_600_000;
const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The Beijing calendar day an instant falls on. */
export function beijingDay(instant: Date): Day {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('无效的时间');
  return fromEpochDay(Math.floor((ms + BEIJING_OFFSET_MS) / DAY_MS));
}

/** The instant a Beijing wall clock shows `time` ('HH:mm' or 'HH:mm:ss') on `day`. */
export function beijingInstant(day: Day, time = '00:00'): Date {
  const seconds = secondOfDay(time);
  if (Number.isNaN(seconds)) throw new RangeError(`无效的时刻：${time}`);
  return new Date(toEpochDay(day) * DAY_MS + seconds * 1000 - BEIJING_OFFSET_MS);
}

export function addDays(day: Day, n: number): Day {
  if (!Number.isInteger(n)) throw new RangeError(`天数应为整数：${n}`);
  return fromEpochDay(toEpochDay(day) + n);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: Day): number {
  // Day 0 of the epoch, 1970-01-01, was a Thursday.
  return (((toEpochDay(day) + 4) % 7) + 7) % 7;
}

export function isWeekend(day: Day): boolean {
  const dayOfWeek = weekday(day);
  return dayOfWeek === 0 || dayOfWeek === 6;
}

/** Exactly 'YYYY-MM-DD', and a date that exists. */
export function isValidDay(s: string): boolean {
  return !Number.isNaN(parseEpochDay(s));
}

export function daysOfYear(year: number): Day[] {
  if (!Number.isInteger(year) || year < 0 || year > 9999) throw new RangeError(`无效的年份：${year}`);
  const first = daysFromCivil(year, 1, 1);
  return Array.from({ length: daysFromCivil(year + 1, 1, 1) - first }, (_, i) => fromEpochDay(first + i));
}

/** For sorting: negative when `a` is earlier, positive when later (by that many days), zero on the same day. */
export function compareDays(a: Day, b: Day): number {
  return toEpochDay(a) - toEpochDay(b);
}

/** Days since 1970-01-01. */
export function toEpochDay(day: Day): number {
  const epochDay = parseEpochDay(day);
  if (Number.isNaN(epochDay)) throw new RangeError(`无效的日期：${day}`);
  return epochDay;
}

export function fromEpochDay(epochDay: number): Day {
  const { year, month, date } = civilFromDays(epochDay);
  return `${String(year).padStart(4, '0')}-${twoDigits(month)}-${twoDigits(date)}`;
}

export function yearOf(day: Day): number {
  return parseDay(day).year;
}

/** The year and the epoch day, read in one pass. */
export function parseDay(day: Day): { year: number; epochDay: number } {
  return { year: digits(day, 0, 4), epochDay: toEpochDay(day) };
}

// Hand-parsed rather than through Date or a RegExp: the deadline engine calls this millions of times a pass.
function parseEpochDay(s: string): number {
  if (s.length !== 10 || s[4] !== '-' || s[7] !== '-') return NaN;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 7);
  const date = digits(s, 8, 10);
  if (
    Number.isNaN(year) ||
    !(month >= 1 && month <= 12) ||
    !(date >= 1 && date <= monthLength(year, month))
  ) {
    return NaN;
  }
  return daysFromCivil(year, month, date);
}

/** 'HH:mm' or 'HH:mm:ss' in seconds, NaN if it is neither. */
function secondOfDay(time: string): number {
  const withSeconds = time.length === 8;
  if ((time.length !== 5 && !withSeconds) || time[2] !== ':' || (withSeconds && time[5] !== ':')) return NaN;
  const hours = digits(time, 0, 2);
  const minutes = digits(time, 3, 5);
  const seconds = withSeconds ? digits(time, 6, 8) : 0;
  return hours <= 23 && minutes <= 59 && seconds <= 59 ? hours * 3600 + minutes * 60 + seconds : NaN;
}

function digits(s: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = s.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return NaN;
    value = value * 10 + digit;
  }
  return value;
}

function twoDigits(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function monthLength(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : MONTH_LENGTHS[month - 1];
}

// Howard Hinnant's days_from_civil and civil_from_days: exact for every proleptic Gregorian date, with no Date
// (whose Date.UTC reads years 0–99 as 19xx) and no time zone.
function daysFromCivil(year: number, month: number, date: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + date - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function civilFromDays(epochDay: number): { year: number; month: number; date: number } {
  const z = epochDay + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  return {
    year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0),
    month,
    date: dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1,
  };
}

/** A calendar day in Beijing (YYYY-MM-DD) → its last millisecond, the way deadlines are stored. */
export function endOfDayInBeijing(day: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a YYYY-MM-DD date: "${day}"`);
  if (!isValidDay(day)) throw new Error(`not a calendar date: "${day}"`);
  return new Date(beijingInstant(addDays(day, 1)).getTime() - 1);
}
