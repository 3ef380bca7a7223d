import { getLunarDate } from 'chinese-days';
import { buildYear, type CalendarDay } from './calendar-day';
import { addDays, type Day, daysOfYear } from '@zhezi/core';

export const PROVISIONAL_SOURCE = '按《全国年节及纪念日放假办法》推算（待国务院通知）';

// The package's lunar table ends with lunar year 2100.
const FIRST_YEAR = 1901;
const LAST_YEAR = 2100;

/**
 * A year by the statutory rule alone (全国年节及纪念日放假办法, 2024 revision): the statutory days off, no bridging
 * days and no make-up workdays, every row provisional until the State Council publishes the year.
 */
export function provisionalYear(year: number): CalendarDay[] {
  if (!Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR) {
    throw new RangeError(`无法推算 ${year} 年的节假日（仅支持 ${FIRST_YEAR}–${LAST_YEAR} 年）`);
  }
  const holidays = new Map<Day, string>();
  const add = (name: string, first: Day, count = 1): void => {
    for (let i = 0; i < count; i++) {
      const day = addDays(first, i);
      const other = holidays.get(day);
      // 中秋 sometimes falls within 国庆.
      holidays.set(day, other ? `${other}、${name}` : name);
    }
  };
  const lunar = lunarDays(year);
  add('元旦', `${year}-01-01`);
  // 除夕 is the last day of the twelfth lunar month, the 29th or the 30th: simply the eve of 正月初一.
  add('春节', addDays(lunar('1-1'), -1), 4);
  add('清明', qingmingDay(year));
  add('劳动节', `${year}-05-01`, 2);
  add('端午', lunar('5-5'));
  add('中秋', lunar('8-15'));
  add('国庆节', `${year}-10-01`, 3);
  return buildYear({
    year,
    holidays,
    makeupWorkdays: new Map(),
    source: PROVISIONAL_SOURCE,
    provisional: true,
  });
}

/** Finds the day of `year` with a lunar date ('8-15'), outside leap months. */
function lunarDays(year: number): (monthAndDay: string) => Day {
  const byLunarDate = new Map<string, Day>();
  for (const day of daysOfYear(year)) {
    // Lunar fields do not depend on the process time zone for a 'YYYY-MM-DD' string (its `date` field does).
    const { lunarMon, lunarDay, isLeap } = getLunarDate(day);
    // Only months 11 and 12 come round twice in a solar year, and no holiday is looked up in them.
    if (!isLeap) byLunarDate.set(`${lunarMon}-${lunarDay}`, day);
  }
  return (monthAndDay) => {
    const day = byLunarDate.get(monthAndDay);
    if (!day) throw new RangeError(`${year} 年没有农历 ${monthAndDay}`);
    return day;
  };
}

/**
 * The day of the 清明 solar term by chinese-days' own formula (getSolarTermDate; it has no corrections for this
 * term), computed here because the package reports its result in the process time zone, a day early west of UTC.
 */
export function qingmingDay(year: number): Day {
  const y = year % 100;
  const c = year >= 2000 ? 4.81 : 5.59;
  const date = Math.floor(y * 0.2422 + c) - Math.floor(y / 4);
  return `${year}-04-${String(date).padStart(2, '0')}`;
}
