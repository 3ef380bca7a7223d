import { useQuery } from '@apollo/client/react';
import { Button, Card, Col, Descriptions, Empty, Row, Space, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { useSearchParams } from 'react-router';
import { KeysetPager, useKeysetPages } from '../../components/pager';
import { PlanSelect } from '../../components/plan-select';
import { classifyError } from '../../errors';
import { graphql } from '../../gql';
import type { IndicatorBoardQuery, IndicatorKind, Light } from '../../gql/graphql';
import { LIGHT_COLOR } from '../../labels';
import { ForbiddenPage } from '../forbidden';
import { Chart } from './chart';
import { indicatorOption } from './charts';
import { NO_LIGHT_COLOR } from './unit-light';

const INDICATOR_BOARD = graphql(`
  query IndicatorBoard($planId: ID!, $first: Int!, $after: String) {
    indicatorBoard(planId: $planId, first: $first, after: $after) {
      totalCount
      pageInfo {
        ...PageCursor
      }
      edges {
        node {
          targetTitle
          expected
          onTrack
          latest {
            year
            value
          }
          values {
            year
            value
          }
          indicator {
            id
            name
            kind
            comparator
            unit
            baselineYear
            baselineValue
            targetYear
            targetValue
          }
        }
      }
    }
  }
`);

type Status = IndicatorBoardQuery['indicatorBoard']['edges'][number]['node'];

const PAGE = 12;
const KIND_LABEL: Record<IndicatorKind, string> = { BINDING: '约束性', EXPECTED: '预期性' };

/** On track is green, behind the straight line yellow (UI.md: 黄 behind schedule), nothing reported grey. */
function TrackLabel({ status }: { status: Status }) {
  const light: Light | null = status.onTrack === null ? null : status.onTrack ? 'GREEN' : 'YELLOW';
  const word = status.onTrack === null ? '未报送' : status.onTrack ? '达到线性进度' : '落后于线性进度';
  return (
    <span className="light">
      <span
        className="light-dot"
        style={{ background: light ? LIGHT_COLOR[light] : NO_LIGHT_COLOR }}
        aria-hidden
      />
      {word}
    </span>
  );
}

/** 53%, 1,200 万人: a value in the indicator's unit. */
const amount = (value: number, unit: string) => `${value.toLocaleString('zh-CN')}${unit}`;

function IndicatorCard({ status }: { status: Status }) {
  const { indicator: i, latest, expected } = status;
  return (
    <Card
      size="small"
      className="indicator-card"
      title={
        <Space size={8}>
          <span>{i.name}</span>
          <Tag>{KIND_LABEL[i.kind]}</Tag>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary" ellipsis style={{ marginBottom: 8 }}>
        {status.targetTitle}
      </Typography.Paragraph>
      <Descriptions
        size="small"
        column={1}
        items={[
          {
            key: 'target',
            label: '目标',
            children: `${amount(i.targetValue, i.unit)}（${i.comparator ? `${i.comparator}，` : ''}${i.targetYear} 年）`,
          },
          {
            key: 'baseline',
            label: '基期',
            children:
              i.baselineYear != null && i.baselineValue != null
                ? `${i.baselineYear} 年 ${amount(i.baselineValue, i.unit)}`
                : '—',
          },
          {
            key: 'latest',
            label: '最新值',
            children: latest
              ? `${latest.year} 年 ${amount(latest.value, i.unit)}` +
                (expected != null ? `（应达 ${amount(Math.round(expected * 100) / 100, i.unit)}）` : '')
              : '未报送',
          },
          { key: 'track', label: '进度', children: <TrackLabel status={status} /> },
        ]}
      />
      {status.values.length ? (
        <Chart
          name="indicator"
          option={indicatorOption({ ...i, values: status.values }, i.name)}
          height={160}
        />
      ) : (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description="尚未报送，暂无走势"
          style={{ height: 160, margin: 0, paddingTop: 24 }}
        />
      )}
    </Card>
  );
}

/** 指标: a plan's quantitative indicators, each with its target, latest value, on-track state and chart. */
export default function IndicatorsPage() {
  const [params, setParams] = useSearchParams();
  const planId = params.get('plan') ?? undefined;
  const pages = useKeysetPages();
  const { restart } = pages;
  useEffect(() => restart(), [planId, restart]);
  const { data, previousData, error, loading, refetch } = useQuery(INDICATOR_BOARD, {
    variables: { planId: planId ?? '', first: PAGE, after: pages.after },
    skip: !planId,
    fetchPolicy: 'cache-and-network',
  });
  if (error && classifyError(error).kind === 'forbidden') return <ForbiddenPage />;
  const board = (data ?? previousData)?.indicatorBoard;
  const rows = board?.edges.map((e) => e.node) ?? [];

  let body;
  if (error) {
    body = (
      <Empty description={classifyError(error).message}>
        <Button onClick={() => void refetch()}>重试</Button>
      </Empty>
    );
  } else if (!board) {
    body = <Card loading={loading || !planId} />;
  } else if (!rows.length) {
    body = <Empty description="该计划没有量化指标；在“分解”中导入规划纲要后，其中的指标会列在这里。" />;
  } else {
    body = (
      <>
        <Row gutter={[12, 12]}>
          {rows.map((status) => (
            <Col key={status.indicator.id} xs={24} md={12} xl={8}>
              <IndicatorCard status={status} />
            </Col>
          ))}
        </Row>
        {board.totalCount > PAGE && <KeysetPager pages={pages} connection={board} />}
      </>
    );
  }

  return (
    <section>
      <div className="page-head">
        <h1 className="page-title">指标</h1>
        <PlanSelect
          required
          value={planId}
          onChange={(plan) => setParams(plan ? { plan } : {}, { replace: true })}
          style={{ width: 280, maxWidth: '100%' }}
        />
      </div>
      <Typography.Paragraph type="secondary">
        虚线为从基期到目标的线性进度，圆点为历年报送值；最新值不低于（控制类指标不高于）当年应达值即为达到线性进度。
      </Typography.Paragraph>
      {body}
    </section>
  );
}
