import { types } from 'pg';
import { parseTimestamptz, PG_TYPES } from './pg-timestamps';

const pgParse = types.getTypeParser(1184, 'text') as (text: string) => Date | number;

/** A timestamp as PostgreSQL writes it in a UTC session, with `places` digits of fraction (trailing zeros cut). */
function written(ms: number, micros: number, places: number): string {
  const iso = new Date(ms).toISOString(); // 2026-12-07T20:22:22.483Z
  const fraction = `${iso.slice(20, 23)}${String(micros).padStart(3, '0')}`.slice(0, places);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ''}+00`;
}

describe('parseTimestamptz', () => {
  it('reads what PostgreSQL writes as pg does, whatever the fraction', () => {
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647);
    for (let i = 0; i < 20_000; i++) {
      // 1000-01-01 to 9999-12-31.
      const ms = -30610224000000 + (next() % 2_000_000) * 126_000_000 + (next() % 126_000_000);
      const text = written(ms, next() % 1000, i % 7);
      expect(parseTimestamptz(text).getTime()).toBe((pgParse(text) as Date).getTime());
    }
  });

  it('leaves every other form to pg', () => {
    for (const text of [
      '2026-12-07 20:22:22.483+08',
      '2026-12-07 20:22:22+05:30',
      '0099-01-01 00:00:00+00',
      '0999-12-31 23:59:59.5+00',
      '12026-01-01 00:00:00+00',
      '2026-01-01 00:00:00+00 BC',
      'infinity',
      '-infinity',
      '2026-1x-01 00:00:00+00',
    ]) {
      expect(parseTimestamptz(text)).toEqual(pgParse(text));
    }
  });

  it('is what a connection uses for timestamptz in text, and pg’s parser for anything else', () => {
    expect(PG_TYPES.getTypeParser(1184, 'text')).toBe(parseTimestamptz);
    expect(PG_TYPES.getTypeParser(1114, 'text')).toBe(types.getTypeParser(1114, 'text'));
    expect(PG_TYPES.getTypeParser(1184, 'binary')).toBe(types.getTypeParser(1184, 'binary'));
  });
});
