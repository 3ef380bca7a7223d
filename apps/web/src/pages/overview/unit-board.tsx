import { useQuery } from '@apollo/client/react';
import { Space, Typography } from 'antd';
import { Link, useParams, useSearchParams } from 'react-router';
import { useBoardLive } from '../../components/board-live';
import { FigureCards, unitFigures } from '../../components/figure-cards';
import MyTasksPage from '../my-tasks';
import { parseListState } from '../my-tasks/list-state';
import { LEADER_OVERVIEW } from './queries';
import { UnitLightLabel } from './unit-light-label';

/** The unit's figures and rank from the leader board (the query 总览 has just run: usually from the cache). */
function UnitSummary({ orgUnitId, planId }: { orgUnitId: string; planId: string | undefined }) {
  const { data, refetch } = useQuery(LEADER_OVERVIEW, {
    variables: { planId },
    fetchPolicy: 'cache-and-network',
  });
  useBoardLive(planId, refetch);
  const board = data?.leaderBoard;
  if (!board) return null;
  const kinds = [
    { label: '委办局', units: board.departments.edges },
    { label: '街道、镇', units: board.locals.edges },
  ];
  for (const { label, units } of kinds) {
    const figures = units.find((e) => e.node.orgUnitId === orgUnitId)?.node;
    if (!figures) continue;
    return (
      <Space orientation="vertical" size={12} style={{ width: '100%', marginBottom: 16 }}>
        <Space wrap size={16}>
          <UnitLightLabel figures={figures} />
          <Typography.Text>
            {label}第 {figures.rank} 名 · 考核得分 {figures.score.toFixed(1)}
          </Typography.Text>
          <Typography.Text type="secondary">未办结督办单 {figures.openNotices}</Typography.Text>
        </Space>
        <FigureCards figures={unitFigures(figures)} />
      </Space>
    );
  }
  return (
    <Typography.Paragraph type="secondary">
      该单位在所选计划中暂无交办任务，或不在得分前 100 名。
    </Typography.Paragraph>
  );
}

/**
 * A unit's board for leaders: its figures and rank, then its shares as 我的任务 lists them (filters, order,
 * table or kanban, cards on a phone); a share opens its page.
 */
export default function UnitBoardPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const { planId } = parseListState(params);
  return (
    <>
      <Link to={`/overview${planId ? `?plan=${planId}` : ''}`}>← 返回总览</Link>
      <MyTasksPage orgUnitId={id} title="单位看板" summary={<UnitSummary orgUnitId={id} planId={planId} />} />
    </>
  );
}
