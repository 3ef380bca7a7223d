import { useQuery } from '@apollo/client/react';
import { Button, Spin, Typography } from 'antd';
import { useState } from 'react';
import type { AssignmentStatus } from '../../gql/graphql';
import type { StatusCount } from './queries';
import { STATUS_LABEL } from '../../labels';
import type { SpecialDay } from '../../workdays';
import { StatusTag } from '../signals';
import { listVariables, type ListState } from './list-state';
import { SHARE_ITEMS } from './queries';
import { ShareCard } from './share-card';

/** Cards per request: a column shows this many, and more on request. */
const CHUNK = 20;

/** The columns always shown, in the order work moves; 已退回 and 已暂停 only when they hold something. */
const FLOW: readonly AssignmentStatus[] = [
  'ASSIGNED',
  'ACCEPTED',
  'IN_PROGRESS',
  'RETURNED',
  'CLOSE_OUT_REQUESTED',
  'SUSPENDED',
  'CLOSED',
];
const OPTIONAL = new Set<AssignmentStatus>(['RETURNED', 'SUSPENDED']);

interface Props {
  state: ListState;
  columns: readonly StatusCount[];
  calendar: SpecialDay[] | undefined;
}

/**
 * The list by status: one column per status, each loading its cards a chunk at a time by cursor, in the order
 * chosen (so 1,000 shares are never 1,000 cards at once). Mount it with a `key` of the filters and order.
 */
export function Kanban({ state, columns, calendar }: Props) {
  const count = (status: AssignmentStatus) => columns.find((c) => c.status === status)?.count ?? 0;
  const shown = FLOW.filter((s) => (state.status ? s === state.status : !OPTIONAL.has(s) || count(s) > 0));
  return (
    <div className="kanban" role="list" aria-label="按状态看板">
      {shown.map((status) => (
        <section key={status} className="kanban-column" role="listitem" aria-label={STATUS_LABEL[status]}>
          <header className="kanban-header">
            <StatusTag status={status} />
            <span className="kanban-count">{count(status).toLocaleString('zh-CN')}</span>
          </header>
          {count(status) === 0 ? (
            <Typography.Text type="secondary" className="kanban-empty">
              暂无
            </Typography.Text>
          ) : (
            <ColumnChunk state={state} status={status} after={null} above={0} calendar={calendar} />
          )}
        </section>
      ))}
    </div>
  );
}

/** One chunk of a column's cards (`above` cards come before it); the next chunk mounts below it on request. */
function ColumnChunk({
  state,
  status,
  after,
  above,
  calendar,
}: {
  state: ListState;
  status: AssignmentStatus;
  after: string | null;
  above: number;
  calendar: SpecialDay[] | undefined;
}) {
  const [more, setMore] = useState(false);
  const { data, loading, error, refetch } = useQuery(SHARE_ITEMS, {
    variables: { ...listVariables(state), status, first: CHUNK, after },
    fetchPolicy: 'cache-and-network',
  });
  const items = data?.unitBoard.items;
  if (!items) {
    if (error) return <Button onClick={() => void refetch()}>载入失败，重试</Button>;
    return loading ? <Spin className="kanban-loading" /> : null;
  }
  const seen = above + items.edges.length;
  return (
    <>
      {items.edges.map(({ node }) => (
        <ShareCard key={node.id} share={node} calendar={calendar} showStatus={false} />
      ))}
      {items.pageInfo.hasNextPage &&
        (more ? (
          <ColumnChunk
            state={state}
            status={status}
            after={items.pageInfo.endCursor}
            above={seen}
            calendar={calendar}
          />
        ) : (
          <Button block onClick={() => setMore(true)}>
            加载更多（还有 {(items.totalCount - seen).toLocaleString('zh-CN')} 条）
          </Button>
        ))}
    </>
  );
}
