import { useQuery } from '@apollo/client/react';
import { Button, Card, Col, Empty, List, Row, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { useBoardLive } from '../components/board-live';
import { asOf, FigureCards, unitFigures } from '../components/figure-cards';
import { PlanSelect } from '../components/plan-select';
import { classifyError } from '../errors';
import { graphql } from '../gql';
import type { AssignmentStatus, Light } from '../gql/graphql';
import { LIGHT_COLOR, STATUS_LABEL } from '../labels';
import { ForbiddenPage } from './forbidden';
import { DEFAULT_STATE, listStateParams, type ListState } from './my-tasks/list-state';
import { DueDate, LightLabel, StatusTag, useWorkCalendar } from './signals';

const UNIT_OVERVIEW = graphql(`
  query UnitOverview($planId: ID) {
    unitBoard(filter: { planId: $planId }) {
      orgUnit {
        id
        name
      }
      columns {
        status
        count
      }
      nextDeadlines(first: 5) {
        id
        status
        light
        daysOverdue
        dueAt
        task {
          id
          title
        }
      }
    }
    leaderBoard(planId: $planId) {
      asOf
      units(first: 100) {
        edges {
          node {
            ...UnitRank
            missedReports
          }
        }
      }
    }
  }
`);

const LIGHTS: { light: Light; label: string }[] = [
  { light: 'RED', label: '红灯 · 逾期或督办中' },
  { light: 'YELLOW', label: '黄灯 · 临期或进度滞后' },
  { light: 'GREEN', label: '绿灯 · 正常' },
];

/**
 * 本单位 for unit heads: the unit's figures (counts by status and light, overdue, on-time rate, assessment
 * score) and its next deadlines, live as shares change; every count opens 我的任务 filtered to it.
 */
export default function UnitPage() {
  const [planId, setPlanId] = useState<string | undefined>();
  const calendar = useWorkCalendar();
  const { data, loading, error, refetch } = useQuery(UNIT_OVERVIEW, {
    variables: { planId },
    fetchPolicy: 'cache-and-network',
  });
  useBoardLive(planId, refetch);

  if (error && classifyError(error).kind === 'forbidden') return <ForbiddenPage />;
  const board = data?.unitBoard;
  const figures = data?.leaderBoard.units.edges.find((e) => e.node.orgUnitId === board?.orgUnit.id)?.node;
  const tasksLink = (patch: Partial<ListState>) =>
    `/tasks?${listStateParams({ ...DEFAULT_STATE, planId, ...patch }).toString()}`;

  let body;
  if (!data) {
    body = error ? (
      <Empty description={classifyError(error).message}>
        <Button onClick={() => void refetch()}>重试</Button>
      </Empty>
    ) : (
      <Card loading={loading} />
    );
  } else if (!figures?.assigned) {
    body = <Empty description="本单位在所选计划中暂无任务；上级交办后这里会显示统计。" />;
  } else {
    const count = (status: AssignmentStatus) => board?.columns.find((c) => c.status === status)?.count ?? 0;
    body = (
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <FigureCards figures={unitFigures(figures)} />
        <Row gutter={[12, 12]}>
          <Col xs={24} lg={8}>
            <Card size="small" title="红黄绿灯">
              <List
                dataSource={LIGHTS}
                renderItem={({ light, label }) => (
                  <List.Item>
                    <Link to={tasksLink({ light })} className="light">
                      <span className="light-dot" style={{ background: LIGHT_COLOR[light] }} aria-hidden />
                      {label}
                    </Link>
                    <strong>{figures[light.toLowerCase() as 'red' | 'yellow' | 'green']}</strong>
                  </List.Item>
                )}
              />
              <Typography.Text type="secondary">
                未办结督办单 {figures.openNotices} · 漏报 {figures.missedReports} 次
              </Typography.Text>
            </Card>
          </Col>
          <Col xs={24} lg={8}>
            <Card size="small" title="按状态">
              <List
                dataSource={(Object.keys(STATUS_LABEL) as AssignmentStatus[]).filter((s) => count(s) > 0)}
                renderItem={(status) => (
                  <List.Item>
                    <Link
                      to={tasksLink({ view: 'kanban', status })}
                      aria-label={`${STATUS_LABEL[status]}：看板`}
                    >
                      <StatusTag status={status} />
                    </Link>
                    <strong>{count(status)}</strong>
                  </List.Item>
                )}
              />
            </Card>
          </Col>
          <Col xs={24} lg={8}>
            <Card size="small" title="即将到期">
              <List
                dataSource={board?.nextDeadlines ?? []}
                locale={{ emptyText: '近期没有到期的任务' }}
                renderItem={(share) => (
                  <List.Item>
                    <Space orientation="vertical" size={0}>
                      <Link to={`/tasks/${share.id}`}>{share.task.title}</Link>
                      <Space size={8} wrap>
                        <LightLabel assignment={share} />
                        <DueDate assignment={share} calendar={calendar} />
                      </Space>
                    </Space>
                  </List.Item>
                )}
              />
            </Card>
          </Col>
        </Row>
      </Space>
    );
  }

  return (
    <section>
      <div className="page-head">
        <h1 className="page-title">本单位{board ? ` · ${board.orgUnit.name}` : ''}</h1>
        <PlanSelect value={planId} onChange={setPlanId} style={{ width: 240, maxWidth: '100%' }} />
      </div>
      {data && (
        <Typography.Paragraph type="secondary">
          {`数字截至 ${asOf(data.leaderBoard.asOf)}，有变化时自动刷新。考核得分按按期办结、逾期天数和漏报计算（0–100）。`}
        </Typography.Paragraph>
      )}
      {body}
    </section>
  );
}
