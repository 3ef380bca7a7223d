import { DayKind } from './calendar/calendar-day';
import { packagedYear } from './calendar/packaged-calendar';
import { WorkCalendar } from './calendar/work-calendar';
import { warningEnd } from './light';

const year2025 = packagedYear(2025);
// Monday 2025-06-09, 10:00 Beijing.
const now = new Date('2025-06-09T02:00:00Z');

describe('warningEnd', () => {
  it('is remembered per calendar and day, and a replacing calendar answers for itself', () => {
    const calendar = new WorkCalendar(year2025);
    // Three workdays from Monday: Tuesday to Thursday; the window ends at Friday's start.
    expect(warningEnd(calendar, now, 3).toISOString()).toBe('2025-06-12T16:00:00.000Z');
    expect(warningEnd(calendar, now, 3)).toEqual(warningEnd(calendar, new Date('2025-06-09T15:00:00Z'), 3));
    // The next day (Beijing) moves it.
    expect(warningEnd(calendar, new Date('2025-06-09T16:00:00Z'), 3).toISOString()).toBe(
      '2025-06-15T16:00:00.000Z',
    );

    // Wednesday made a holiday: a new calendar, so the window reaches one workday further.
    const holiday = new WorkCalendar(
      year2025.map((d) =>
        d.day === '2025-06-11' ? { ...d, workday: false, kind: DayKind.HOLIDAY, name: '测试假日' } : d,
      ),
    );
    expect(warningEnd(holiday, now, 3).toISOString()).toBe('2025-06-15T16:00:00.000Z');
    expect(warningEnd(calendar, now, 3).toISOString()).toBe('2025-06-12T16:00:00.000Z');
  });

  it('hands out a Date the caller may change without changing the next answer', () => {
    const calendar = new WorkCalendar(year2025);
    warningEnd(calendar, now, 2).setTime(0);
    expect(warningEnd(calendar, now, 2).getTime()).not.toBe(0);
  });
});
