import type { BarSeriesOption } from 'echarts/charts';
import type { AriaComponentOption, GridComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';

export type BulletinChartOption = ComposeOption<
  BarSeriesOption | GridComponentOption | TooltipComponentOption | AriaComponentOption
>;

export interface RankedUnit {
  name: string;
  score: number;
  rank: number;
  overdue: number;
}

/** The app's primary colour: scores are no traffic light, so they do not borrow the lights' colours. */
const BAR_COLOR = '#0958d9';
const ROW_HEIGHT = 28;

/** Pixels the chart needs: one bar row per unit, plus the axis. */
export function bulletinChartHeight(units: number): number {
  return Math.max(3, units) * ROW_HEIGHT + 56;
}

/**
 * The bulletin's ranking as horizontal bars: first place on top, the score (one decimal) at the end of each
 * bar, rank and overdue count in the tooltip; ECharts' aria description lets a screen reader read it out.
 */
export function bulletinChartOption(units: readonly RankedUnit[], title: string): BulletinChartOption {
  const ranked = [...units].sort((a, b) => a.rank - b.rank);
  return {
    aria: { enabled: true, label: { description: `${title}：${describe(ranked)}` } },
    grid: { left: 8, right: 48, top: 8, bottom: 24, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params) => {
        const [first] = Array.isArray(params) ? params : [params];
        const unit = ranked[first.dataIndex];
        return `${unit.name}<br/>第 ${unit.rank} 名 · 得分 ${unit.score.toFixed(1)}<br/>逾期未办结 ${unit.overdue} 项`;
      },
    },
    xAxis: { type: 'value', min: 0, max: 100, splitNumber: 5 },
    yAxis: {
      type: 'category',
      inverse: true,
      data: ranked.map((u) => `${u.rank}. ${u.name}`),
      axisTick: { show: false },
    },
    series: [
      {
        type: 'bar',
        name: '得分',
        data: ranked.map((u) => u.score),
        barMaxWidth: 18,
        itemStyle: { color: BAR_COLOR },
        label: { show: true, position: 'right', formatter: ({ value }) => Number(value).toFixed(1) },
      },
    ],
  };
}

function describe(ranked: readonly RankedUnit[]): string {
  if (!ranked.length) return '没有单位';
  return ranked.map((u) => `第${u.rank}名${u.name}，${u.score.toFixed(1)}分`).join('；');
}
