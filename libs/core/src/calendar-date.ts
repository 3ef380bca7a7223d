import { ValidateBy, type ValidationOptions } from 'class-validator';

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether the day exists: no 30 February, no 29 February outside leap years, no month 13. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return (
    month >= 1 && month <= 12 && day >= 1 && day <= DAYS_IN_MONTH[month - 1] + (month === 2 && leap ? 1 : 0)
  );
}

/** A `YYYY-MM-DD` string naming a day that exists, within the given years. */
export function IsDay(years: { min: number; max: number }, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDay',
      validator: {
        validate(value: unknown): boolean {
          const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
          if (!match) return false;
          const [year, month, day] = match.slice(1).map(Number);
          return year >= years.min && year <= years.max && isCalendarDate(year, month, day);
        },
        defaultMessage: () => `应为 ${years.min}–${years.max} 年间存在的日期，格式 YYYY-MM-DD`,
      },
    },
    options,
  );
}
