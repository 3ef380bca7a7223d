import { Scalar, type CustomScalar } from '@nestjs/graphql';
import { Kind, type ValueNode } from 'graphql';
import { isCalendarDate } from './calendar-date';

/**
 * `2026-03-31`, `2026-03-31T16:00:00Z`, `2026-03-31T08:00+08:00`: an ISO 8601 date, optionally a time
 * (seconds and fraction optional) and an offset. Without an offset a time is the server's local time, as in JS.
 */
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))?)?$/;

/** A value that is not a date: the caller's mistake, reported as BAD_USER_INPUT naming the field. */
export class InvalidDateTimeError extends Error {
  constructor(value: unknown) {
    super(
      `日期时间无效：${JSON.stringify(value)?.slice(0, 40)}（应为 ISO 8601，如 2026-06-30 或 2026-06-30T16:00:00Z）`,
    );
    this.name = 'InvalidDateTimeError';
  }
}

/**
 * Strict ISO 8601: `new Date()` would read "now" as Invalid Date (which PostgreSQL then refuses) and
 * "2026-02-30" as 2 March; both are refused here, as are hours past 23 and the year 0, which PostgreSQL lacks.
 */
export function parseDateTime(value: unknown): Date {
  const match = typeof value === 'string' ? ISO_DATE_TIME.exec(value) : null;
  if (!match) throw new InvalidDateTimeError(value);
  const [, year, month, day, hour, minute, second, , offsetHours, offsetMinutes] = match.map(Number);
  const valid =
    year >= 1 &&
    isCalendarDate(year, month, day) &&
    !(hour > 23 || minute > 59 || second > 59 || offsetHours > 18 || offsetMinutes > 59);
  const date = new Date(value as string);
  if (!valid || Number.isNaN(date.getTime())) throw new InvalidDateTimeError(value);
  return date;
}

/** Replaces Nest's lenient `DateTime` (which passes `new Date(anything)` on to PostgreSQL). */
@Scalar('DateTime', () => Date)
export class DateTimeScalar implements CustomScalar<string | null, Date> {
  description = 'A date-time in ISO 8601, such as 2026-06-30T15:59:59Z or 2026-06-30 (midnight UTC).';

  serialize(value: unknown): string | null {
    return value instanceof Date ? value.toISOString() : null;
  }

  parseValue(value: unknown): Date {
    return parseDateTime(value);
  }

  parseLiteral(ast: ValueNode): Date {
    return parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined);
  }
}

/** Free-form JSON, used for audit snapshots. */
@Scalar('JSON')
export class JsonScalar implements CustomScalar<unknown, unknown> {
  description = 'Arbitrary JSON value';

  serialize(value: unknown): unknown {
    return value;
  }

  parseValue(value: unknown): unknown {
    return value;
  }

  parseLiteral(ast: ValueNode): unknown {
    switch (ast.kind) {
      case Kind.STRING:
      case Kind.BOOLEAN:
        return ast.value;
      case Kind.INT:
      case Kind.FLOAT:
        return Number(ast.value);
      case Kind.OBJECT:
        return Object.fromEntries(ast.fields.map((f) => [f.name.value, this.parseLiteral(f.value)]));
      case Kind.LIST:
        return ast.values.map((v) => this.parseLiteral(v));
      default:
        return null;
    }
  }
}

export const JSONScalar = () => JsonScalar;
