import { Card, Space, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router';
import { percent } from '../../components/figure-cards';
import { ResponsiveList } from '../../components/responsive-list';
import type { UnitRankFragment } from '../../gql/graphql';
import { Chart, type ChartClick } from './chart';
import { unitBarsHeight, unitBarsOption } from './charts';
import { UnitLightLabel } from './unit-light-label';

const count = (
  title: string,
  key: keyof UnitRankFragment,
  width = 88,
): ColumnsType<UnitRankFragment>[number] => ({
  title,
  key,
  width,
  align: 'right',
  render: (_, u) => (u[key] as number).toLocaleString('zh-CN'),
});

/**
 * One kind's ranking (departments, or subdistricts and towns): a table (cards on a phone) with score, rank and
 * light, then each unit's shares as a stacked bar, in rank order; a unit's name or bar opens its board.
 */
export function Ranking({
  title,
  units,
  total,
  unitPath,
  onOpen,
}: {
  title: string;
  units: readonly UnitRankFragment[];
  total: number;
  unitPath: (id: string) => string;
  onOpen: (id: string | undefined) => void;
}) {
  const name = (u: UnitRankFragment) => <Link to={unitPath(u.orgUnitId)}>{u.orgUnit.name}</Link>;
  const columns: ColumnsType<UnitRankFragment> = [
    { title: '排名', key: 'rank', width: 64, align: 'right', render: (_, u) => u.rank },
    { title: '单位', key: 'unit', render: (_, u) => name(u) },
    { title: '得分', key: 'score', width: 72, align: 'right', render: (_, u) => u.score.toFixed(1) },
    { title: '红黄绿灯', key: 'light', width: 120, render: (_, u) => <UnitLightLabel figures={u} /> },
    count('交办', 'assigned', 72),
    count('按期销号', 'closedOnTime'),
    count('在办', 'open', 72),
    count('逾期未办结', 'overdue', 100),
    {
      title: '按期办结率',
      key: 'rate',
      width: 100,
      align: 'right',
      render: (_, u) => `${percent(u.onTimeRate)}%`,
    },
    count('未办结督办单', 'openNotices', 116),
  ];
  const idByName = new Map(units.map((u) => [u.orgUnit.name, u.orgUnitId]));
  // A bar or the unit's name on the axis.
  const open = (e: ChartClick) => onOpen(e.data?.id ?? idByName.get(String(e.value)));

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <ResponsiveList<UnitRankFragment>
        rows={units}
        rowKey={(u) => u.orgUnitId}
        columns={columns}
        card={(u) => ({
          // The whole title is the link (a link inside text would need more than its colour to stand out).
          title: (
            <Link to={unitPath(u.orgUnitId)}>
              第 {u.rank} 名 · {u.orgUnit.name}
            </Link>
          ),
          extra: `${u.score.toFixed(1)} 分`,
          children: (
            <Space orientation="vertical" size={4}>
              <UnitLightLabel figures={u} />
              <Typography.Text type="secondary">
                交办 {u.assigned.toLocaleString('zh-CN')} · 在办 {u.open.toLocaleString('zh-CN')} · 逾期{' '}
                {u.overdue.toLocaleString('zh-CN')} · 按期办结率 {percent(u.onTimeRate)}%
              </Typography.Text>
            </Space>
          ),
        })}
        loading={false}
        error={undefined}
        emptyText="所选计划中暂无交办到这类单位的任务"
      />
      {total > units.length && (
        <Typography.Text type="secondary">
          共 {total.toLocaleString('zh-CN')} 个单位，显示得分前 {units.length} 名。
        </Typography.Text>
      )}
      {units.length > 0 && (
        <Card size="small" title={`${title}：任务构成（点击单位查看）`}>
          <Chart
            name="unit-bars"
            option={unitBarsOption(
              units.map((u) => ({ ...u, id: u.orgUnitId, name: u.orgUnit.name })),
              title,
            )}
            height={unitBarsHeight(units.length)}
            onClick={open}
          />
        </Card>
      )}
    </Space>
  );
}
