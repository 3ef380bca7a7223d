import packaged from 'chinese-days/dist/chinese-days.json';
import packageJson from 'chinese-days/package.json';
import { buildYear, type CalendarDay } from './calendar-day';
import { type Day, yearOf } from '@zhezi/core';

export const PACKAGE_SOURCE = `chinese-days@${packageJson.version}`;

interface Schedule {
  holidays: Map<Day, string>;
  makeupWorkdays: Map<Day, string>;
}

// Read from the package's JSON, not its functions: those read dates in the process time zone and answer for the
// day before when it is west of UTC.
const SCHEDULES = groupByYear(packaged.holidays, packaged.workdays);

/** The years chinese-days has the State Council's schedule for. */
export function packagedYears(): number[] {
  return [...SCHEDULES.keys()].sort((a, b) => a - b);
}

/** Every day of a packaged year. */
export function packagedYear(year: number): CalendarDay[] {
  const schedule = SCHEDULES.get(year);
  if (!schedule) throw new RangeError(`${PACKAGE_SOURCE} 没有 ${year} 年的节假日安排`);
  return buildYear({ year, ...schedule, source: PACKAGE_SOURCE, provisional: false });
}

function groupByYear(
  holidays: Record<Day, string>,
  makeupWorkdays: Record<Day, string>,
): Map<number, Schedule> {
  const schedules = new Map<number, Schedule>();
  const scheduleOf = (day: Day): Schedule => {
    const year = yearOf(day);
    let schedule = schedules.get(year);
    if (!schedule) {
      schedule = { holidays: new Map(), makeupWorkdays: new Map() };
      schedules.set(year, schedule);
    }
    return schedule;
  };
  for (const [day, value] of Object.entries(holidays)) scheduleOf(day).holidays.set(day, chineseName(value));
  for (const [day, value] of Object.entries(makeupWorkdays)) {
    scheduleOf(day).makeupWorkdays.set(day, chineseName(value));
  }
  return schedules;
}

// Values read 'Spring Festival,春节,4': English name, Chinese name, statutory days off.
function chineseName(value: string): string {
  return value.split(',')[1];
}
