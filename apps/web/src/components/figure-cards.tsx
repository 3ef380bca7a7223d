import { Card, Col, Row, Statistic } from 'antd';
import { longDate } from '../workdays';

export interface Figure {
  title: string;
  value: number | string;
  suffix?: string;
}

/** Headline figures as a row of cards: six across a desk, two a row on a phone; counts with separators. */
export function FigureCards({ figures }: { figures: readonly Figure[] }) {
  return (
    <Row gutter={[12, 12]} className="figure-cards">
      {figures.map((s) => (
        <Col key={s.title} xs={12} md={8} xl={4}>
          <Card size="small">
            <Statistic
              title={s.title}
              value={s.value}
              suffix={s.suffix}
              formatter={(v) => (typeof v === 'number' ? v.toLocaleString('zh-CN') : v)}
            />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

/** 87 %, or 7.5 % below ten (UI.md: no decimals unless below 10 %). */
export function percent(rate: number): string {
  const p = rate * 100;
  return p < 10 && p > 0 ? p.toFixed(1) : Math.round(p).toString();
}

/** 2026年12月6日 18:31 (Beijing): when a board's figures were taken. */
export const asOf = (iso: string) =>
  `${longDate(iso)} ${new Date(iso).toLocaleTimeString('zh-CN', {
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone: 'Asia/Shanghai',
  })}`;

/** A unit's headline figures (本单位, a leader's unit board). */
export function unitFigures(f: {
  assigned: number;
  open: number;
  overdue: number;
  closed: number;
  closedOnTime: number;
  onTimeRate: number;
  score: number;
}): Figure[] {
  return [
    { title: '交办', value: f.assigned },
    { title: '在办', value: f.open },
    { title: '逾期未办结', value: f.overdue },
    { title: `已销号（按期 ${f.closedOnTime}）`, value: f.closed },
    { title: '按期办结率', value: percent(f.onTimeRate), suffix: '%' },
    { title: '考核得分', value: f.score.toFixed(1), suffix: '/ 100' },
  ];
}
