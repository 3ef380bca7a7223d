import { inEachTimeZone } from './time-zones.testing';
import {
  addDays,
  compareDays,
  daysOfYear,
  fromEpochDay,
  isValidDay,
  isWeekend,
  beijingDay,
  beijingInstant,
  toEpochDay,
  weekday,
} from '@zhezi/core';

describe('beijing-date', () => {
  it('puts an instant on its Beijing day, whatever the process time zone', () => {
    inEachTimeZone(() => {
      expect(beijingDay(new Date('2024-09-30T15:59:59.999Z'))).toBe('2024-09-30');
      expect(beijingDay(new Date('2024-09-30T16:00:00.000Z'))).toBe('2024-10-01');
      expect(beijingDay(new Date('2024-12-31T16:00:00.000Z'))).toBe('2025-01-01');
      expect(beijingDay(new Date('1969-12-31T15:00:00.000Z'))).toBe('1969-12-31');
    });
  });

  it('gives the instant of a Beijing wall-clock time, whatever the process time zone', () => {
    inEachTimeZone(() => {
      expect(beijingInstant('2024-10-01').toISOString()).toBe('2024-09-30T16:00:00.000Z');
      expect(beijingInstant('2024-10-01', '09:30').toISOString()).toBe('2024-10-01T01:30:00.000Z');
      expect(beijingInstant('2025-01-01', '07:59:59').toISOString()).toBe('2024-12-31T23:59:59.000Z');
      expect(beijingDay(beijingInstant('2024-03-10', '23:59:59'))).toBe('2024-03-10');
      expect(beijingDay(beijingInstant('2024-11-03', '00:00'))).toBe('2024-11-03');
    });
  });

  it('rejects invalid days, times and instants', () => {
    expect(() => beijingInstant('2024-02-30')).toThrow(RangeError);
    expect(() => beijingInstant('2024-10-01', '24:00')).toThrow('无效的时刻');
    expect(() => beijingInstant('2024-10-01', '9:30')).toThrow(RangeError);
    expect(() => beijingDay(new Date('not a date'))).toThrow(RangeError);
    expect(() => addDays('2024-10-01', 0.5)).toThrow(RangeError);
  });

  it('adds days across months, leap days and years', () => {
    inEachTimeZone(() => {
      expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
      expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
      expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
      expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
      expect(addDays('2025-01-01', -366)).toBe('2024-01-01');
      expect(addDays('2024-10-01', 0)).toBe('2024-10-01');
    });
  });

  it('knows the day of the week', () => {
    inEachTimeZone(() => {
      expect(weekday('1970-01-01')).toBe(4);
      expect(weekday('1969-12-31')).toBe(3);
      expect(weekday('2024-02-04')).toBe(0);
      expect(weekday('2024-10-01')).toBe(2);
      expect(weekday('2027-02-06')).toBe(6);
      expect(isWeekend('2024-02-04')).toBe(true);
      expect(isWeekend('2024-10-01')).toBe(false);
    });
  });

  it('accepts only real days written YYYY-MM-DD', () => {
    expect(isValidDay('2024-02-29')).toBe(true);
    expect(isValidDay('2000-02-29')).toBe(true);
    for (const bad of [
      '2023-02-29',
      '1900-02-29',
      '2024-04-31',
      '2024-13-01',
      '2024-00-10',
      '2024-01-00',
      '2024-2-29',
      '2024/02/29',
      '2024-02-29T00:00',
      ' 2024-02-29',
      '２０２４-02-29',
      '',
    ]) {
      expect(isValidDay(bad)).toBe(false);
    }
  });

  it('lists the days of a year', () => {
    const leap = daysOfYear(2024);
    expect(leap).toHaveLength(366);
    expect([leap[0], leap[59], leap[365]]).toEqual(['2024-01-01', '2024-02-29', '2024-12-31']);
    expect(daysOfYear(2027)).toHaveLength(365);
    expect(daysOfYear(2100)).toHaveLength(365);
    expect(() => daysOfYear(2024.5)).toThrow(RangeError);
  });

  it('orders days', () => {
    expect(compareDays('2024-10-01', '2024-10-02')).toBeLessThan(0);
    expect(compareDays('2025-01-01', '2024-12-31')).toBeGreaterThan(0);
    expect(compareDays('2024-10-01', '2024-10-01')).toBe(0);
  });

  it('counts days as Date.UTC does, in both directions', () => {
    const wrong: string[] = [];
    const check = (epochDay: number): void => {
      const day = new Date(epochDay * 86_400_000).toISOString().slice(0, 10);
      if (toEpochDay(day) !== epochDay || fromEpochDay(epochDay) !== day) wrong.push(day);
    };
    // Every day around the leap rules' edges (1900, 1970, 2000, 2100), and every 61st day of 1600–2400.
    for (const first of ['1900-02-01', '1969-12-01', '2000-02-01', '2100-02-01']) {
      for (let epochDay = toEpochDay(first); epochDay < toEpochDay(first) + 400; epochDay++) check(epochDay);
    }
    for (let epochDay = toEpochDay('1600-01-01'); epochDay < toEpochDay('2400-12-31'); epochDay += 29)
      check(epochDay);
    expect(wrong).toEqual([]);
  });
});
