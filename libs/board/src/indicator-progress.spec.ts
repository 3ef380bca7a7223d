import { indicatorProgress } from './indicator-progress';

const greenery = {
  comparator: '达到',
  baselineValue: 48,
  baselineYear: 2015,
  targetValue: 53,
  targetYear: 2020,
};
const population = {
  comparator: '控制在…以内',
  baselineValue: 369.4,
  baselineYear: 2015,
  targetValue: 312.6,
  targetYear: 2020,
};

describe('indicatorProgress', () => {
  it('follows the straight line from baseline to target, upwards', () => {
    expect(indicatorProgress(greenery, 50, 2017)).toEqual({ expected: 50, onTrack: true });
    expect(indicatorProgress(greenery, 49.9, 2017).onTrack).toBe(false);
    expect(indicatorProgress(greenery, 53, 2024)).toEqual({ expected: 53, onTrack: true });
  });

  it('and downwards for capped quantities (以内, 控制在, 降低)', () => {
    const at2018 = indicatorProgress(population, 340, 2018);
    expect(at2018.expected).toBeCloseTo(335.32, 2);
    expect(at2018.onTrack).toBe(false);
    expect(indicatorProgress(population, 330, 2018).onTrack).toBe(true);
  });

  it('compares with the target itself when no baseline is stated', () => {
    const sewage = {
      comparator: '大于',
      baselineValue: null,
      baselineYear: null,
      targetValue: 99,
      targetYear: 2020,
    };
    expect(indicatorProgress(sewage, 99.2, 2018)).toEqual({ expected: 99, onTrack: true });
    expect(indicatorProgress(sewage, 98, 2018).onTrack).toBe(false);
  });
});
