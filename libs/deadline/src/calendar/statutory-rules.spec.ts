import { getLunarDate, getSolarTermDate, monthDays } from 'chinese-days';
import { DayKind } from './calendar-day';
import { packagedYear } from './packaged-calendar';
import { PROVISIONAL_SOURCE, provisionalYear, qingmingDay } from './statutory-rules';
import { inEachTimeZone, inTimeZone } from './time-zones.testing';
import { addDays, isWeekend } from '@zhezi/core';

function holidays(year: number): string[] {
  return provisionalYear(year)
    .filter((row) => row.kind === DayKind.HOLIDAY)
    .map((row) => `${row.day} ${row.name}`);
}

describe('statutory rules', () => {
  it('derives 2027 from the rule alone, whatever the process time zone', () => {
    inEachTimeZone(() => {
      expect(holidays(2027)).toEqual([
        '2027-01-01 元旦',
        '2027-02-05 春节',
        '2027-02-06 春节',
        '2027-02-07 春节',
        '2027-02-08 春节',
        '2027-04-05 清明',
        '2027-05-01 劳动节',
        '2027-05-02 劳动节',
        '2027-06-09 端午',
        '2027-09-15 中秋',
        '2027-10-01 国庆节',
        '2027-10-02 国庆节',
        '2027-10-03 国庆节',
      ]);
    });
  });

  it('marks every row provisional, weekends as weekends and invents no make-up workdays', () => {
    const rows = provisionalYear(2027);
    expect(rows).toHaveLength(365);
    expect(rows.every((row) => row.provisional && row.source === PROVISIONAL_SOURCE)).toBe(true);
    expect(rows.filter((row) => row.kind === DayKind.MAKEUP_WORKDAY)).toEqual([]);
    for (const row of rows.filter((r) => r.kind !== DayKind.HOLIDAY)) {
      expect(row.kind).toBe(isWeekend(row.day) ? DayKind.WEEKEND : DayKind.WORKDAY);
      expect(row.workday).toBe(!isWeekend(row.day));
    }
    const byDay = new Map(rows.map((row) => [row.day, row]));
    // 正月初四 is an ordinary Tuesday; 初一 is a Saturday and stays a holiday.
    expect(byDay.get('2027-02-09')).toMatchObject({ workday: true, kind: DayKind.WORKDAY, name: null });
    expect(byDay.get('2027-02-06')).toMatchObject({ workday: false, kind: DayKind.HOLIDAY, name: '春节' });
  });

  it('takes 除夕 as the last day of the twelfth lunar month, the 29th or the 30th', () => {
    expect(monthDays(2026, 12)).toBe(29);
    expect(getLunarDate('2027-02-05')).toMatchObject({ lunarYear: 2026, lunarMon: 12, lunarDay: 29 });
    expect(holidays(2027)).toContain('2027-02-05 春节');
    expect(monthDays(2029, 12)).toBe(30);
    expect(getLunarDate('2030-02-02')).toMatchObject({ lunarYear: 2029, lunarMon: 12, lunarDay: 30 });
    expect(holidays(2030).filter((h) => h.endsWith('春节'))).toEqual([
      '2030-02-02 春节',
      '2030-02-03 春节',
      '2030-02-04 春节',
      '2030-02-05 春节',
    ]);
    for (let year = 2025; year <= 2032; year++) {
      const eve = provisionalYear(year).find((row) => row.name === '春节')!.day;
      const lunar = getLunarDate(eve);
      expect([lunar.lunarMon, lunar.lunarDay]).toEqual([12, monthDays(lunar.lunarYear, 12)]);
      expect(getLunarDate(addDays(eve, 1))).toMatchObject({ lunarMon: 1, lunarDay: 1, isLeap: false });
    }
  });

  it('finds every statutory day among the holidays of the published years under the same rule', () => {
    for (const year of [2019, 2020, 2021, 2022, 2023, 2025, 2026]) {
      const published = new Map(packagedYear(year).map((row) => [row.day, row.kind]));
      const missing = holidays(year).filter(
        (holiday) => published.get(holiday.slice(0, 10)) !== DayKind.HOLIDAY,
      );
      expect({ year, missing }).toEqual({ year, missing: [] });
    }
  });

  it('differs from 2024, published under the 2013 rule, only in 除夕', () => {
    const published = new Map(packagedYear(2024).map((row) => [row.day, row.kind]));
    expect(
      holidays(2024).filter((holiday) => published.get(holiday.slice(0, 10)) !== DayKind.HOLIDAY),
    ).toEqual(['2024-02-09 春节']);
  });

  it('computes 清明 as the package does', () => {
    const wrong = inTimeZone('Asia/Shanghai', () => {
      const found: string[] = [];
      for (let year = 1901; year <= 2100; year++) {
        if (qingmingDay(year) !== getSolarTermDate(year, 4, 'pure_brightness')) found.push(qingmingDay(year));
      }
      return found;
    });
    expect(wrong).toEqual([]);
  });

  it('names a day that is both 中秋 and 国庆 after both', () => {
    expect(holidays(2028)).toContain('2028-10-03 中秋、国庆节');
    expect(holidays(2028).filter((h) => h.startsWith('2028-10'))).toHaveLength(3);
  });

  it('refuses years outside the package’s lunar table', () => {
    expect(() => provisionalYear(1900)).toThrow(RangeError);
    expect(() => provisionalYear(2101)).toThrow('仅支持 1901–2100 年');
    expect(() => provisionalYear(2027.5)).toThrow(RangeError);
  });
});
