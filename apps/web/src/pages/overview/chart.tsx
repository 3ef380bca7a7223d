import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapPiecewiseComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import ReactECharts from 'echarts-for-react/esm/core';
import { useMemo } from 'react';
import { REDUCED_MOTION } from '../../motion';
import type { OverviewChartOption } from './charts';

// Only what these pages draw: bars, lines, the light grid, their axes, legend, tooltip, the screen-reader
// description, SVG output. Loaded with this folder's route chunk, so no other page pays for ECharts.
echarts.use([
  BarChart,
  LineChart,
  HeatmapChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapPiecewiseComponent,
  AriaComponent,
  SVGRenderer,
]);

/** What a click on a chart hands over: the data item (with the unit's `id`), or an axis label's value. */
export interface ChartClick {
  componentType?: string;
  data?: { id?: string } | null;
  value?: unknown;
}

/** A chart drawn as SVG, `name` marking it for tests and print styles. */
export function Chart({
  name,
  option,
  height,
  onClick,
}: {
  name: string;
  option: OverviewChartOption;
  height: number;
  onClick?: (event: ChartClick) => void;
}) {
  const drawn = useMemo(() => ({ ...option, animation: !REDUCED_MOTION }), [option]);
  return (
    <div className="overview-chart" data-chart={name}>
      <ReactECharts
        echarts={echarts}
        option={drawn}
        style={{ height, width: '100%' }}
        opts={{ renderer: 'svg' }}
        notMerge
        onEvents={onClick ? { click: onClick } : undefined}
      />
    </div>
  );
}
