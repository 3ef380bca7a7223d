import { parsePeriod, periodOf, ReportCadence } from './report-period';

const { MONTHLY, WEEKLY } = ReportCadence;

describe('report periods (Beijing time)', () => {
  it('puts an instant in its Beijing month, not its UTC month', () => {
    expect(periodOf(new Date('2026-11-30T15:59:59Z'), MONTHLY)).toBe('2026-11');
    expect(periodOf(new Date('2026-11-30T16:00:00Z'), MONTHLY)).toBe('2026-12');
  });

  it('numbers ISO weeks across year ends', () => {
    expect(periodOf(new Date('2026-11-25T04:00:00Z'), WEEKLY)).toBe('2026-W48');
    expect(periodOf(new Date('2027-01-01T04:00:00Z'), WEEKLY)).toBe('2026-W53');
    expect(periodOf(new Date('2024-12-30T04:00:00Z'), WEEKLY)).toBe('2025-W01');
    expect(periodOf(new Date('2021-01-03T04:00:00Z'), WEEKLY)).toBe('2020-W53');
  });

  it('parses a month into its Beijing bounds', () => {
    expect(parsePeriod('2026-02')).toEqual({
      key: '2026-02',
      cadence: MONTHLY,
      start: new Date('2026-01-31T16:00:00Z'),
      end: new Date('2026-02-28T16:00:00Z'),
    });
  });

  it('parses a week from Monday to Monday', () => {
    expect(parsePeriod('2026-W48')).toEqual({
      key: '2026-W48',
      cadence: WEEKLY,
      start: new Date('2026-11-22T16:00:00Z'),
      end: new Date('2026-11-29T16:00:00Z'),
    });
  });

  it.each(['2026-13', '2026-00', '2025-W53', '2026-W00', '2026-11-01', 'W48', ''])('refuses %p', (key) => {
    expect(parsePeriod(key)).toBeNull();
  });

  it.each([
    [2024, 52],
    [2025, 52],
    [2026, 53],
    [2027, 52],
  ])('%i has %i weeks, each round-tripping', (year, weeks) => {
    const keys = Array.from({ length: 53 }, (_, i) => `${year}-W${String(i + 1).padStart(2, '0')}`);
    const parsed = keys.map(parsePeriod).filter((p) => p !== null);
    expect(parsed).toHaveLength(weeks);
    expect(parsed.map((p) => periodOf(p.start, WEEKLY))).toEqual(keys.slice(0, weeks));
  });
});
