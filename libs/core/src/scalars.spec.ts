import { validateSync } from 'class-validator';
import { IsDay, isCalendarDate } from './calendar-date';
import { InvalidDateTimeError, parseDateTime } from './scalars';

describe('parseDateTime (the DateTime scalar)', () => {
  it('reads ISO 8601 dates and date-times', () => {
    expect(parseDateTime('2026-06-30').toISOString()).toBe('2026-06-30T00:00:00.000Z');
    expect(parseDateTime('2026-06-30T15:59:59Z').toISOString()).toBe('2026-06-30T15:59:59.000Z');
    expect(parseDateTime('2026-06-30T23:59:59.999+08:00').toISOString()).toBe('2026-06-30T15:59:59.999Z');
    expect(parseDateTime('2028-02-29T00:00Z').toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });

  it.each([
    'now',
    '',
    'x'.repeat(1000),
    '2026-02-30',
    '2027-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-04-31',
    '2027-02-30T25:61:00',
    '2026-06-30T24:00:00Z',
    '0000-01-01',
    '2026-6-30',
    '2026-06-30T12:00:00+25:00',
    ' 2026-06-30',
  ])('refuses %j', (value) => {
    expect(() => parseDateTime(value)).toThrow(InvalidDateTimeError);
  });

  it('refuses what is not a string', () => {
    for (const value of [12345, null, undefined, {}, -2147483649]) {
      expect(() => parseDateTime(value)).toThrow(InvalidDateTimeError);
    }
  });
});

describe('isCalendarDate and @IsDay', () => {
  it('knows month lengths and leap years', () => {
    expect(isCalendarDate(2024, 2, 29)).toBe(true);
    expect(isCalendarDate(2100, 2, 29)).toBe(false);
    expect(isCalendarDate(2000, 2, 29)).toBe(true);
    expect(isCalendarDate(2026, 11, 31)).toBe(false);
  });

  it('accepts only existing days within the years', () => {
    class Input {
      @IsDay({ min: 2004, max: 2100 })
      day!: string;
    }
    const errors = (day: string) => validateSync(Object.assign(new Input(), { day })).length;
    expect(errors('2026-10-01')).toBe(0);
    expect(errors('2026-02-30')).toBe(1);
    expect(errors('1999-01-01')).toBe(1);
    expect(errors('2026-1-1')).toBe(1);
  });
});
