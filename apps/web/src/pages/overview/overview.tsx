import { useQuery } from '@apollo/client/react';
import { Button, Card, Col, Empty, Grid, Row, Space, Tabs, Typography } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import { useBoardLive } from '../../components/board-live';
import { asOf, FigureCards, percent } from '../../components/figure-cards';
import { PlanSelect } from '../../components/plan-select';
import { classifyError } from '../../errors';
import { graphql } from '../../gql';
import type { UnitRankFragment } from '../../gql/graphql';
import { ForbiddenPage } from '../forbidden';
import { Chart, type ChartClick } from './chart';
import { gridHeight, localGridOption, trendOption } from './charts';
import { LEADER_OVERVIEW } from './queries';
import { Ranking } from './ranking';
import { LightLegend } from './unit-light-label';

/** The district's subdistricts and towns, also those without a share yet (the grid shows all of them). */
const DISTRICT_LOCALS = graphql(`
  query DistrictLocals {
    viewer {
      id
      orgUnit {
        id
        kind
        parentId
      }
    }
    subdistricts: orgUnits(kind: SUBDISTRICT) {
      id
      name
      parentId
    }
    towns: orgUnits(kind: TOWN) {
      id
      name
      parentId
    }
  }
`);

function useDistrictLocals() {
  const { data } = useQuery(DISTRICT_LOCALS);
  if (!data) return undefined;
  const unit = data.viewer.orgUnit;
  // A leader sits in the district government; the 督查室 is one of its offices.
  const government = unit.kind === 'GOVERNMENT' ? unit.id : unit.parentId;
  return [...data.subdistricts, ...data.towns].filter((u) => u.parentId === government);
}

/**
 * 总览 for leaders (and the 督查室): a plan's (or every plan's) totals, the trend of due vs closed, the
 * subdistricts and towns by their worst light, and the ranking of departments and of subdistricts and towns,
 * live; a unit opens its board.
 */
export default function OverviewPage() {
  const [params, setParams] = useSearchParams();
  const planId = params.get('plan') ?? undefined;
  const navigate = useNavigate();
  const phone = !Grid.useBreakpoint().md;
  const { data, error, loading, refetch } = useQuery(LEADER_OVERVIEW, {
    variables: { planId },
    fetchPolicy: 'cache-and-network',
  });
  useBoardLive(planId, refetch);
  const locals = useDistrictLocals();

  if (error && classifyError(error).kind === 'forbidden') return <ForbiddenPage />;
  const board = data?.leaderBoard;
  const choosePlan = (plan: string | undefined) => setParams(plan ? { plan } : {}, { replace: true });
  const unitPath = (id: string) => `/units/${id}${planId ? `?plan=${planId}` : ''}`;
  const openUnit = (id: string | undefined) => id && void navigate(unitPath(id));

  let body;
  if (!board) {
    body = error ? (
      <Empty description={classifyError(error).message}>
        <Button onClick={() => void refetch()}>重试</Button>
      </Empty>
    ) : (
      <Card loading={loading} />
    );
  } else {
    const t = board.totals;
    const departments = board.departments.edges.map((e) => e.node);
    const ranked = board.locals.edges.map((e) => e.node);
    const byId = new Map<string, UnitRankFragment>(ranked.map((u) => [u.orgUnitId, u]));
    // Every subdistrict and town of the district, those without shares grey; else the ranked ones.
    const cells = (locals?.length ? locals : ranked.map((u) => u.orgUnit)).map((u) => ({
      id: u.id,
      name: u.name,
      figures: byId.get(u.id),
    }));
    const columns = phone ? 3 : 5;
    body = (
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <FigureCards
          figures={[
            { title: '交办', value: t.assigned },
            { title: '按期销号', value: t.closedOnTime },
            { title: '在办', value: t.open },
            { title: '逾期未办结', value: t.overdue },
            { title: '按期办结率', value: percent(t.onTimeRate), suffix: '%' },
            { title: '未办结督办单', value: t.openNotices },
          ]}
        />
        <Row gutter={[12, 12]}>
          <Col xs={24} lg={12}>
            <Card size="small" title="到期与销号（按周累计）">
              <Chart name="trend" option={trendOption(board.trend)} height={300} />
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card size="small" title="街道、镇红黄绿灯（点击查看单位）">
              {cells.length ? (
                <Chart
                  name="local-grid"
                  option={localGridOption(cells, columns)}
                  height={gridHeight(cells.length, columns)}
                  onClick={(e: ChartClick) => openUnit(e.data?.id)}
                />
              ) : (
                <Empty description="本区暂无街道、镇" />
              )}
              <LightLegend />
            </Card>
          </Col>
        </Row>
        <Tabs
          destroyOnHidden
          items={[
            {
              key: 'departments',
              label: '委办局排名',
              units: departments,
              total: board.departments.totalCount,
            },
            { key: 'locals', label: '街道、镇排名', units: ranked, total: board.locals.totalCount },
          ].map((tab) => ({
            key: tab.key,
            label: tab.label,
            children: (
              <Ranking
                title={tab.label}
                units={tab.units}
                total={tab.total}
                unitPath={unitPath}
                onOpen={openUnit}
              />
            ),
          }))}
        />
      </Space>
    );
  }

  return (
    <section>
      <div className="page-head">
        <h1 className="page-title">总览</h1>
        <PlanSelect value={planId} onChange={choosePlan} style={{ width: 280, maxWidth: '100%' }} />
      </div>
      {board && (
        <Typography.Paragraph type="secondary">
          {`数字截至 ${asOf(board.asOf)}，有变化时自动刷新。点击单位查看其任务清单。`}
        </Typography.Paragraph>
      )}
      {body}
    </section>
  );
}
