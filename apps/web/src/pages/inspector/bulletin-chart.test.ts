import { describe, expect, it } from 'vitest';
import { bulletinChartHeight, bulletinChartOption } from './bulletin-chart';

const units = [
  { name: '学院路街道', score: 72.345, rank: 2, overdue: 3 },
  { name: '中关村街道', score: 91, rank: 1, overdue: 0 },
];

describe('the bulletin chart', () => {
  it('puts first place on top with the score to one decimal', () => {
    const option = bulletinChartOption(units, '各街道、镇（地区）');
    expect(option.yAxis).toMatchObject({ inverse: true, data: ['1. 中关村街道', '2. 学院路街道'] });
    const [series] = option.series as {
      data: number[];
      label: { formatter: (p: { value: number }) => string };
    }[];
    expect(series.data).toEqual([91, 72.345]);
    expect(series.label.formatter({ value: 72.345 })).toBe('72.3');
    expect(option.xAxis).toMatchObject({ min: 0, max: 100 });
  });

  it('describes the ranking for screen readers and in the tooltip', () => {
    const option = bulletinChartOption(units, '各街道、镇（地区）');
    expect(option.aria).toMatchObject({
      enabled: true,
      label: { description: '各街道、镇（地区）：第1名中关村街道，91.0分；第2名学院路街道，72.3分' },
    });
    const tooltip = option.tooltip as { formatter: (p: { dataIndex: number }[]) => string };
    expect(tooltip.formatter([{ dataIndex: 1 }])).toBe(
      '学院路街道<br/>第 2 名 · 得分 72.3<br/>逾期未办结 3 项',
    );
    expect(bulletinChartOption([], '区政府各部门').aria).toMatchObject({
      label: { description: '区政府各部门：没有单位' },
    });
  });

  it('grows with the number of units', () => {
    expect(bulletinChartHeight(0)).toBe(bulletinChartHeight(3));
    expect(bulletinChartHeight(29)).toBe(29 * 28 + 56);
  });
});
