import { describe, expect, it } from 'vitest';
import { LIGHT_COLOR } from '../../labels';
import {
  barParts,
  gridHeight,
  indicatorOption,
  localGridOption,
  targetLine,
  trendOption,
  unitBarsHeight,
  unitBarsOption,
} from './charts';
import { unitLightWord, worstLight } from './unit-light';

const zgc = { id: 'u1', name: '中关村街道', closedOnTime: 5, closed: 7, open: 10, overdue: 3 };
const xyl = { id: 'u2', name: '学院路街道', closedOnTime: 0, closed: 0, open: 4, overdue: 0 };
const lights = (red: number, yellow: number, green: number, overdue = 0) => ({
  red,
  yellow,
  green,
  overdue,
  openNotices: 0,
});

describe('a unit’s light', () => {
  it('is its worst open share’s, with a word beside the dot', () => {
    expect(worstLight(lights(1, 2, 3, 1))).toBe('RED');
    expect(unitLightWord(lights(1, 2, 3, 1))).toBe('逾期 1 项');
    expect(unitLightWord(lights(1, 0, 0, 0))).toBe('督办中');
    expect(unitLightWord(lights(0, 2, 3))).toBe('临期 2 项');
    expect(unitLightWord(lights(0, 0, 3))).toBe('正常');
    expect(worstLight(lights(0, 0, 0))).toBeNull();
    expect(unitLightWord(undefined)).toBe('无在办');
  });
});

describe('the stacked bars per unit', () => {
  it('splits each unit’s shares into four parts that add up to what it was assigned', () => {
    expect(barParts(zgc)).toEqual({ closedOnTime: 5, closedLate: 2, openOnTime: 7, overdue: 3 });
    const option = unitBarsOption([zgc, xyl], '委办局');
    const series = option.series as { name: string; stack: string; data: { value: number; id: string }[] }[];
    expect(series.map((s) => s.name)).toEqual(['按期销号', '逾期销号', '在办未逾期', '逾期未办结']);
    expect(series.every((s) => s.stack === 'shares')).toBe(true);
    expect(series.map((s) => s.data[0].value)).toEqual([5, 2, 7, 3]);
    expect(series[3].data[1]).toEqual({ value: 0, id: 'u2' });
    expect(option.yAxis).toMatchObject({ inverse: true, data: ['中关村街道', '学院路街道'] });
  });

  it('colours on time and overdue with the lights’ green and red, and describes itself', () => {
    const option = unitBarsOption([zgc], '委办局');
    const colors = (option.series as { itemStyle: { color: string } }[]).map((s) => s.itemStyle.color);
    expect(colors[0]).toBe(LIGHT_COLOR.GREEN);
    expect(colors[3]).toBe(LIGHT_COLOR.RED);
    expect(option.aria).toMatchObject({
      label: { description: '委办局：中关村街道按期销号5项、逾期销号2项、在办10项（逾期3项）' },
    });
    expect(unitBarsOption([], '委办局').aria).toMatchObject({ label: { description: '委办局：没有单位' } });
    expect(unitBarsHeight(10)).toBe(10 * 28 + 72);
    expect(unitBarsHeight(0)).toBe(3 * 28 + 72);
  });
});

describe('the burn-up', () => {
  const weeks = [
    { week: '2026-11-30', due: 2, closed: 1, dueToDate: 10, closedToDate: 6 },
    { week: '2026-12-07', due: 3, closed: 4, dueToDate: 13, closedToDate: 10 },
  ];

  it('draws cumulative due and closed as lines over the weeks, each week’s own as bars', () => {
    const option = trendOption(weeks);
    expect(option.xAxis).toMatchObject({ data: ['11/30', '12/07'] });
    const series = option.series as { type: string; name: string; data: number[] }[];
    expect(series.map((s) => [s.type, s.name, s.data])).toEqual([
      ['line', '累计到期', [10, 13]],
      ['line', '累计销号', [6, 10]],
      ['bar', '本周到期', [2, 3]],
      ['bar', '本周销号', [1, 4]],
    ]);
    expect(option.aria).toMatchObject({
      label: { description: '按周累计：截至12/07当周，累计到期13项，累计销号10项' },
    });
  });

  it('says so when there is nothing', () => {
    expect(trendOption([]).aria).toMatchObject({ label: { description: '没有到期或销号的任务' } });
  });
});

describe('the grid of subdistricts and towns', () => {
  const units = [
    { id: 'a', name: '中关村街道', figures: lights(2, 1, 0, 2) },
    { id: 'b', name: '学院路街道', figures: lights(0, 1, 4) },
    { id: 'c', name: '海淀街道', figures: lights(0, 0, 4) },
    { id: 'd', name: '上庄镇' },
  ];

  it('places the units row by row, each valued by its worst light, with name and word', () => {
    const option = localGridOption(units, 3);
    const [series] = option.series as {
      data: { value: number[]; id: string; word: string; label: { color: string } }[];
      label: { formatter: (p: unknown) => string };
    }[];
    expect(series.data.map((d) => d.value)).toEqual([
      [0, 0, 3],
      [1, 0, 2],
      [2, 0, 1],
      [0, 1, 0],
    ]);
    expect(series.data.map((d) => d.word)).toEqual(['逾期 2 项', '临期 1 项', '正常', '无在办']);
    expect(series.label.formatter({ data: series.data[0] })).toBe('中关村街道\n逾期 2 项');
    // White text on red only: the other fills are light enough for dark text.
    expect(series.data.map((d) => d.label.color)).toEqual(['#ffffff', '#141414', '#141414', '#141414']);
    expect(option.yAxis).toMatchObject({ data: [0, 1] });
  });

  it('fills with the lights’ own colours and counts them for screen readers', () => {
    const option = localGridOption(units, 3);
    const pieces = (option.visualMap as { pieces: { value: number; color: string }[] }).pieces;
    expect(pieces.map((p) => p.color)).toEqual([
      '#bfbfbf',
      LIGHT_COLOR.GREEN,
      LIGHT_COLOR.YELLOW,
      LIGHT_COLOR.RED,
    ]);
    expect((option.aria as { label: { description: string } }).label.description).toMatch(
      /^街道、镇红黄绿灯：红灯1个，黄灯1个，绿灯1个，无在办1个。中关村街道逾期 2 项；/,
    );
    expect(gridHeight(29, 6)).toBe(5 * 52 + 8);
  });
});

describe('an indicator’s chart', () => {
  const greening = {
    baselineYear: 2020,
    baselineValue: 48,
    targetYear: 2025,
    targetValue: 53,
    unit: '%',
    values: [
      { year: 2023, value: 52 },
      { year: 2022, value: 50 },
    ],
  };

  it('runs the target line from the baseline to the target, flat without a baseline', () => {
    expect(targetLine(greening)).toEqual([
      [2020, 48],
      [2025, 53],
    ]);
    expect(targetLine({ ...greening, baselineYear: null, baselineValue: null })).toEqual([
      [2022, 53],
      [2025, 53],
    ]);
  });

  it('plots the reported values in year order against the dashed line', () => {
    const option = indicatorOption(greening, '城市绿化覆盖率');
    const [line, values] = option.series as {
      name: string;
      data: number[][];
      lineStyle: { type?: string };
    }[];
    expect(line.name).toBe('线性进度');
    expect(line.lineStyle.type).toBe('dashed');
    expect(values.data).toEqual([
      [2022, 50],
      [2023, 52],
    ]);
    expect(option.xAxis).toMatchObject({ min: 2020, max: 2025 });
    expect(option.aria).toMatchObject({
      label: { description: '城市绿化覆盖率：目标2025年53%；报送值2022年50%，2023年52%' },
    });
    const none = indicatorOption({ ...greening, baselineYear: null, values: [] }, '城市绿化覆盖率');
    expect(none.aria).toMatchObject({
      label: { description: '城市绿化覆盖率：目标2025年53%；报送值尚未报送' },
    });
    expect(none.xAxis).toMatchObject({ min: 2024, max: 2025 });
  });
});
