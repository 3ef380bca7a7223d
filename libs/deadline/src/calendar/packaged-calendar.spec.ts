import { isWorkday as packageIsWorkday } from 'chinese-days';
import { type CalendarDay, DayKind } from './calendar-day';
import { PACKAGE_SOURCE, packagedYear, packagedYears } from './packaged-calendar';
import { inEachTimeZone, inTimeZone } from './time-zones.testing';
import { daysOfYear, isWeekend } from '@zhezi/core';

const CHINESE = /\p{Script=Han}/u;

function rowsByDay(year: number): Map<string, CalendarDay> {
  return new Map(packagedYear(year).map((row) => [row.day, row]));
}

function consistent(row: CalendarDay): boolean {
  const named = row.kind === DayKind.HOLIDAY || row.kind === DayKind.MAKEUP_WORKDAY;
  return (
    row.source === PACKAGE_SOURCE &&
    !row.provisional &&
    row.workday === (row.kind === DayKind.WORKDAY || row.kind === DayKind.MAKEUP_WORKDAY) &&
    (named ? CHINESE.test(row.name ?? '') : row.name === null) &&
    (row.kind === DayKind.HOLIDAY || isWeekend(row.day) === (row.kind !== DayKind.WORKDAY))
  );
}

describe('packaged calendar', () => {
  it('names the package and the years it has', () => {
    expect(PACKAGE_SOURCE).toBe('chinese-days@1.5.7');
    expect(packagedYears()).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
  });

  it('gives every day of each year, consistently', () => {
    for (const year of packagedYears()) {
      const rows = packagedYear(year);
      expect(rows.map((row) => row.day)).toEqual(daysOfYear(year));
      expect(rows.filter((row) => !consistent(row))).toEqual([]);
    }
  });

  it('agrees with the package’s own workday lookup (which is right only in zones east of UTC)', () => {
    const disagreements = inTimeZone('Asia/Shanghai', () =>
      packagedYears()
        .flatMap((year) => packagedYear(year))
        .filter((row) => packageIsWorkday(row.day) !== row.workday),
    );
    expect(disagreements).toEqual([]);
  });

  it('has the known make-up workdays and holidays of 2024 and 2025', () => {
    inEachTimeZone(() => {
      const y2024 = rowsByDay(2024);
      for (const day of ['2024-02-04', '2024-02-18']) {
        expect(y2024.get(day)).toMatchObject({ workday: true, kind: DayKind.MAKEUP_WORKDAY, name: '春节' });
      }
      for (const day of daysOfYear(2024).filter((d) => d >= '2024-10-01' && d <= '2024-10-07')) {
        expect(y2024.get(day)).toMatchObject({ workday: false, kind: DayKind.HOLIDAY, name: '国庆节' });
      }
      expect(y2024.get('2024-10-08')).toMatchObject({ workday: true, kind: DayKind.WORKDAY, name: null });
      expect(y2024.get('2024-10-12')).toMatchObject({
        workday: true,
        kind: DayKind.MAKEUP_WORKDAY,
        name: '国庆节',
      });
      const y2025 = rowsByDay(2025);
      for (const day of ['2025-01-26', '2025-02-08']) {
        expect(y2025.get(day)).toMatchObject({ workday: true, kind: DayKind.MAKEUP_WORKDAY, name: '春节' });
      }
      expect(y2025.get('2025-01-28')).toMatchObject({ workday: false, kind: DayKind.HOLIDAY, name: '春节' });
    });
  });

  it('has 2026 from the package', () => {
    const y2026 = rowsByDay(2026);
    const special = [...y2026.values()]
      .filter((row) => row.kind === DayKind.HOLIDAY || row.kind === DayKind.MAKEUP_WORKDAY)
      .map((row) => `${row.day} ${row.kind === DayKind.HOLIDAY ? '休' : '班'} ${row.name}`);
    expect(special).toEqual([
      '2026-01-01 休 元旦',
      '2026-01-02 休 元旦',
      '2026-01-03 休 元旦',
      '2026-01-04 班 元旦',
      '2026-02-14 班 春节',
      ...['15', '16', '17', '18', '19', '20', '21', '22', '23'].map((d) => `2026-02-${d} 休 春节`),
      '2026-02-28 班 春节',
      '2026-04-04 休 清明',
      '2026-04-05 休 清明',
      '2026-04-06 休 清明',
      ...['01', '02', '03', '04', '05'].map((d) => `2026-05-${d} 休 劳动节`),
      '2026-05-09 班 劳动节',
      '2026-06-19 休 端午',
      '2026-06-20 休 端午',
      '2026-06-21 休 端午',
      '2026-09-20 班 国庆节',
      '2026-09-25 休 中秋',
      '2026-09-26 休 中秋',
      '2026-09-27 休 中秋',
      ...['01', '02', '03', '04', '05', '06', '07'].map((d) => `2026-10-${d} 休 国庆节`),
      '2026-10-10 班 国庆节',
    ]);
    expect(y2026.get('2026-03-07')).toMatchObject({ workday: false, kind: DayKind.WEEKEND });
    expect(y2026.get('2026-03-09')).toMatchObject({ workday: true, kind: DayKind.WORKDAY });
  });

  it('refuses years the package does not have', () => {
    expect(() => packagedYear(2027)).toThrow(RangeError);
    expect(() => packagedYear(2003)).toThrow('没有 2003 年的节假日安排');
  });
});
