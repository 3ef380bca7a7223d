import { types, type CustomTypesConfig } from 'pg';

const TIMESTAMPTZ = 1184;
const parseAnyTimestamptz = types.getTypeParser(TIMESTAMPTZ, 'text') as (text: string) => Date;

/** The digits of `text` from `start` to `end` as a number, or -1 if one is not a digit. */
function digits(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * A `timestamptz` as PostgreSQL writes it in a UTC session (`2026-12-07 20:22:22.483+00`), read by position; any
 * other form (another zone, a year before 1000 or after 9999, BC, infinity) goes to pg's own parser. pg's runs
 * three regular expressions a value: a board page of 26 shares with their timestamps spent 2 % of the request
 * there.
 */
export function parseTimestamptz(text: string): Date {
  const n = text.length;
  const shaped =
    (n === 22 || (n >= 24 && n <= 29 && text.charCodeAt(19) === 46)) && // no fraction, or "." and 1-6 digits
    text.endsWith('+00') &&
    text.charCodeAt(4) === 45 &&
    text.charCodeAt(7) === 45 &&
    text.charCodeAt(10) === 32 &&
    text.charCodeAt(13) === 58 &&
    text.charCodeAt(16) === 58 &&
    text.charCodeAt(0) !== 48;
  if (!shaped) return parseAnyTimestamptz(text);
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  const hour = digits(text, 11, 13);
  const minute = digits(text, 14, 16);
  const second = digits(text, 17, 19);
  // Milliseconds: the first three digits of the fraction, as a Date keeps them (the rest truncated).
  const places = n === 22 ? 0 : n - 23;
  const fraction = places ? digits(text, 20, n - 3) : 0;
  const ms = places >= 3 ? digits(text, 20, 23) : fraction * (places === 1 ? 100 : 10);
  if ((year | month | day | hour | minute | second | fraction) < 0) return parseAnyTimestamptz(text);
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
}

/** pg's type parsers with `parseTimestamptz` for `timestamptz` in text. */
export const PG_TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): unknown {
    return oid === TIMESTAMPTZ && format !== 'binary' ? parseTimestamptz : types.getTypeParser(oid, format);
  },
} as CustomTypesConfig;
