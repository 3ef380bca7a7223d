import { describe, expect, it } from 'vitest';
import { percent, unitFigures } from './figure-cards';

describe('headline figures', () => {
  it('reads rates without decimals unless below 10 %', () => {
    expect(percent(0.876)).toBe('88');
    expect(percent(0.075)).toBe('7.5');
    expect(percent(0)).toBe('0');
    expect(percent(1)).toBe('100');
  });

  it('shows a unit’s counts, on-time rate and score (one decimal)', () => {
    const f = {
      assigned: 1200,
      open: 30,
      overdue: 2,
      closed: 1170,
      closedOnTime: 1100,
      onTimeRate: 0.93,
      score: 88,
    };
    expect(unitFigures(f).map((x) => [x.title, x.value, x.suffix])).toEqual([
      ['交办', 1200, undefined],
      ['在办', 30, undefined],
      ['逾期未办结', 2, undefined],
      ['已销号（按期 1100）', 1170, undefined],
      ['按期办结率', '93', '%'],
      ['考核得分', '88.0', '/ 100'],
    ]);
  });
});
