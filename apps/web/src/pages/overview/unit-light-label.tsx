import { Space, Typography } from 'antd';
import type { Light } from '../../gql/graphql';
import { LIGHT_COLOR } from '../../labels';
import { NO_LIGHT_COLOR, unitLightWord, worstLight, type UnitLights } from './unit-light';

const dot = (light: Light | null) => (
  <span
    className="light-dot"
    style={{ background: light ? LIGHT_COLOR[light] : NO_LIGHT_COLOR }}
    aria-hidden
  />
);

/** A unit's worst light: the dot plus its word (逾期 3 项 / 临期 2 项 / 正常 / 无在办). */
export function UnitLightLabel({ figures }: { figures: UnitLights | undefined }) {
  return (
    <span className="light">
      {dot(worstLight(figures))}
      {unitLightWord(figures)}
    </span>
  );
}

const LEGEND: { light: Light | null; label: string }[] = [
  { light: 'RED', label: '红：有逾期或督办' },
  { light: 'YELLOW', label: '黄：有临期或滞后' },
  { light: 'GREEN', label: '绿：正常' },
  { light: null, label: '灰：无在办任务' },
];

/** What the grid's colours mean, in words under it. */
export function LightLegend() {
  return (
    <Space wrap size={[16, 4]} style={{ marginTop: 8 }}>
      {LEGEND.map(({ light, label }) => (
        <Typography.Text key={label} type="secondary" className="light">
          {dot(light)}
          {label}
        </Typography.Text>
      ))}
    </Space>
  );
}
