import type { BarSeriesOption, HeatmapSeriesOption, LineSeriesOption } from 'echarts/charts';
import type {
  AriaComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { Light } from '../../gql/graphql';
import { LIGHT_COLOR } from '../../labels';
import { NO_LIGHT_COLOR, unitLightWord, worstLight, type UnitLights } from './unit-light';

export type OverviewChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | HeatmapSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | VisualMapComponentOption
  | AriaComponentOption
>;

/** The app's primary colour, for what is no light (open and on track, reported values). */
const PRIMARY = '#0958d9';
/** Closed, but after the deadline: done, so no light; grey rather than a signal colour. */
const LATE_GREY = '#8c8c8c';
const ROW_HEIGHT = 28;

// ---------------------------------------------------------------------------------------------
// A stacked bar per unit

export interface UnitBar {
  id: string;
  name: string;
  closedOnTime: number;
  closed: number;
  open: number;
  overdue: number;
}

/** The four parts of a unit's shares, which add up to what it was assigned. */
export function barParts(u: UnitBar) {
  return {
    closedOnTime: u.closedOnTime,
    closedLate: u.closed - u.closedOnTime,
    openOnTime: u.open - u.overdue,
    overdue: u.overdue,
  };
}

const BAR_SERIES = [
  { key: 'closedOnTime', name: '按期销号', color: LIGHT_COLOR.GREEN },
  { key: 'closedLate', name: '逾期销号', color: LATE_GREY },
  { key: 'openOnTime', name: '在办未逾期', color: PRIMARY },
  { key: 'overdue', name: '逾期未办结', color: LIGHT_COLOR.RED },
] as const;

/** Pixels the bars need: one row per unit, plus the legend and the axis. */
export function unitBarsHeight(units: number): number {
  return Math.max(3, units) * ROW_HEIGHT + 72;
}

/**
 * Each unit's shares as one horizontal bar in the order given (the ranking), split into closed on time, closed
 * late, open and overdue; the unit's id rides on each data item, so a click can open its board.
 */
export function unitBarsOption(units: readonly UnitBar[], title: string): OverviewChartOption {
  const parts = units.map(barParts);
  return {
    aria: { enabled: true, label: { description: `${title}：${describeBars(units)}` } },
    legend: { type: 'scroll', top: 0, data: BAR_SERIES.map((s) => s.name) },
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: {
      type: 'category',
      inverse: true,
      data: units.map((u) => u.name),
      axisTick: { show: false },
      triggerEvent: true,
    },
    series: BAR_SERIES.map((s) => ({
      type: 'bar',
      name: s.name,
      stack: 'shares',
      barMaxWidth: 18,
      itemStyle: { color: s.color },
      emphasis: { focus: 'series' },
      data: parts.map((p, i) => ({ value: p[s.key], id: units[i].id })),
    })),
  };
}

function describeBars(units: readonly UnitBar[]): string {
  if (!units.length) return '没有单位';
  return units
    .map((u) => {
      const p = barParts(u);
      return `${u.name}按期销号${p.closedOnTime}项、逾期销号${p.closedLate}项、在办${u.open}项（逾期${p.overdue}项）`;
    })
    .join('；');
}

// ---------------------------------------------------------------------------------------------
// Burn-up: due vs closed per week

export interface Week {
  week: string;
  due: number;
  closed: number;
  dueToDate: number;
  closedToDate: number;
}

/** 2026-12-07 → 12/07. */
const weekLabel = (week: string) => week.slice(5).replace('-', '/');

/**
 * The burn-up: what has come due and what has been closed, summed week by week (lines), with each week's own
 * numbers as thin bars behind them; the gap between the lines is the work still open past its deadline.
 */
export function trendOption(weeks: readonly Week[]): OverviewChartOption {
  const last = weeks.at(-1);
  return {
    aria: {
      enabled: true,
      label: {
        description: last
          ? `按周累计：截至${weekLabel(last.week)}当周，累计到期${last.dueToDate}项，累计销号${last.closedToDate}项`
          : '没有到期或销号的任务',
      },
    },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: weeks.map((w) => weekLabel(w.week)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        type: 'line',
        name: '累计到期',
        data: weeks.map((w) => w.dueToDate),
        itemStyle: { color: LIGHT_COLOR.RED },
        lineStyle: { width: 2 },
      },
      {
        type: 'line',
        name: '累计销号',
        data: weeks.map((w) => w.closedToDate),
        itemStyle: { color: LIGHT_COLOR.GREEN },
        lineStyle: { width: 2 },
        areaStyle: { opacity: 0.08 },
      },
      {
        type: 'bar',
        name: '本周到期',
        data: weeks.map((w) => w.due),
        itemStyle: { color: LIGHT_COLOR.RED, opacity: 0.25 },
        barMaxWidth: 10,
      },
      {
        type: 'bar',
        name: '本周销号',
        data: weeks.map((w) => w.closed),
        itemStyle: { color: LIGHT_COLOR.GREEN, opacity: 0.25 },
        barMaxWidth: 10,
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// The subdistricts and towns as a grid, each coloured by its worst light

export interface GridUnit {
  id: string;
  name: string;
  figures?: UnitLights;
}

const CELL_HEIGHT = 52;
/** Each light's place on the visual map (no light is 0). */
const LEVEL: Record<Light, number> = { GREEN: 1, YELLOW: 2, RED: 3 };
/** Text that keeps its contrast on each fill: white on red, near-black on yellow, green and grey. */
const INK: Record<number, string> = { 0: '#141414', 1: '#141414', 2: '#141414', 3: '#ffffff' };

export function gridHeight(units: number, columns: number): number {
  return Math.max(1, Math.ceil(units / columns)) * CELL_HEIGHT + 8;
}

/**
 * The units as a grid of `columns` cells a row, in the order given, each filled with its worst light's colour
 * (the three of the lights, grey without an open share) and labelled with its name and the light's word.
 */
export function localGridOption(units: readonly GridUnit[], columns: number): OverviewChartOption {
  const rows = Math.max(1, Math.ceil(units.length / columns));
  const data = units.map((u, i) => {
    const light = worstLight(u.figures);
    const level = light ? LEVEL[light] : 0;
    return {
      value: [i % columns, Math.floor(i / columns), level],
      id: u.id,
      name: u.name,
      word: unitLightWord(u.figures),
      label: { color: INK[level] },
    };
  });
  const counts = [3, 2, 1, 0].map((level) => data.filter((d) => d.value[2] === level).length);
  return {
    aria: {
      enabled: true,
      label: {
        description:
          `街道、镇红黄绿灯：红灯${counts[0]}个，黄灯${counts[1]}个，绿灯${counts[2]}个，无在办${counts[3]}个。` +
          data.map((d) => `${d.name}${d.word}`).join('；'),
      },
    },
    grid: { left: 0, right: 0, top: 0, bottom: 0 },
    tooltip: { formatter: (p) => tooltipOf(p as { data?: { name: string; word: string } }) },
    xAxis: { type: 'category', data: [...Array(columns).keys()], show: false },
    yAxis: { type: 'category', data: [...Array(rows).keys()], show: false, inverse: true },
    visualMap: {
      type: 'piecewise',
      show: false,
      dimension: 2,
      pieces: [
        { value: 0, color: NO_LIGHT_COLOR },
        { value: 1, color: LIGHT_COLOR.GREEN },
        { value: 2, color: LIGHT_COLOR.YELLOW },
        { value: 3, color: LIGHT_COLOR.RED },
      ],
    },
    series: [
      {
        type: 'heatmap',
        data,
        itemStyle: { borderColor: '#fff', borderWidth: 3, borderRadius: 4 },
        label: {
          show: true,
          fontSize: 12,
          lineHeight: 16,
          formatter: (p) => {
            const d = (p as { data?: { name: string; word: string } }).data;
            return d ? `${d.name}\n${d.word}` : '';
          },
        },
        emphasis: { itemStyle: { borderColor: '#141414', borderWidth: 2 } },
      },
    ],
  };
}

const tooltipOf = (p: { data?: { name: string; word: string } }) =>
  p.data ? `${p.data.name}<br/>${p.data.word}` : '';

// ---------------------------------------------------------------------------------------------
// An indicator's reported values against the straight line to its target

export interface IndicatorSeries {
  baselineYear?: number | null;
  baselineValue?: number | null;
  targetYear: number;
  targetValue: number;
  unit: string;
  values: readonly { year: number; value: number }[];
}

/**
 * The straight line the indicator is judged against: from the baseline (year, value) to the target; without a
 * baseline, flat at the target from the first reported year (as the API's on-track rule).
 */
export function targetLine(s: IndicatorSeries): [number, number][] {
  if (s.baselineYear != null && s.baselineValue != null && s.targetYear > s.baselineYear) {
    return [
      [s.baselineYear, s.baselineValue],
      [s.targetYear, s.targetValue],
    ];
  }
  const from = Math.min(s.targetYear, ...s.values.map((v) => v.year));
  return [
    [from, s.targetValue],
    [s.targetYear, s.targetValue],
  ];
}

/** A small chart: the reported values (dots joined) and the line to the target (dashed). */
export function indicatorOption(s: IndicatorSeries, name: string): OverviewChartOption {
  const line = targetLine(s);
  const values = [...s.values].sort((a, b) => a.year - b.year);
  const years = [...line.map(([year]) => year), ...values.map((v) => v.year)];
  // One year alone (a target with nothing reported before it) still gets an axis of two years.
  const [first, last] = [Math.min(...years), Math.max(...years)];
  const reported = values.length
    ? values.map((v) => `${v.year}年${v.value}${s.unit}`).join('，')
    : '尚未报送';
  return {
    aria: {
      enabled: true,
      label: {
        description: `${name}：目标${s.targetYear}年${s.targetValue}${s.unit}；报送值${reported}`,
      },
    },
    grid: { left: 4, right: 12, top: 12, bottom: 4, containLabel: true },
    tooltip: { trigger: 'axis' },
    xAxis: {
      type: 'value',
      min: first < last ? first : last - 1,
      max: last,
      minInterval: 1,
      axisLabel: { formatter: (v: number) => String(v) },
    },
    yAxis: { type: 'value', scale: true, name: s.unit, nameGap: 8 },
    series: [
      {
        type: 'line',
        name: '线性进度',
        data: line,
        symbol: 'none',
        itemStyle: { color: LATE_GREY },
        lineStyle: { type: 'dashed', width: 1.5 },
      },
      {
        type: 'line',
        name: '报送值',
        data: values.map((v) => [v.year, v.value]),
        symbolSize: 7,
        itemStyle: { color: PRIMARY },
        lineStyle: { width: 2 },
      },
    ],
  };
}
