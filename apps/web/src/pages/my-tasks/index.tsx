import { useQuery } from '@apollo/client/react';
import { Grid } from 'antd';
import { useMemo, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { classifyError } from '../../errors';
import { ForbiddenPage } from '../forbidden';
import { useWorkCalendar } from '../signals';
import { Kanban } from './kanban';
import {
  activeFilters,
  clearFilters,
  listStateParams,
  listVariables,
  parseListState,
  type ListState,
} from './list-state';
import { BOARD } from './queries';
import { ListEmpty } from './share-card';
import { ShareTable } from './share-table';
import { Toolbar } from './toolbar';

/**
 * 我的任务: the unit's shares as a table or a kanban by status, filtered and sorted on the server; what is shown
 * lives in the address, so a reload or a shared link shows the same list.
 */
export default function MyTasksPage({
  orgUnitId,
  title = '我的任务',
  summary,
}: {
  /** Another unit's list (a leader's unit board); the viewer's own unit when absent. */
  orgUnitId?: string;
  title?: string;
  /** Shown between the toolbar and the list (a unit board's figures). */
  summary?: ReactNode;
}) {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => ({ ...parseListState(params), orgUnitId }), [params, orgUnitId]);
  // Edits what the address says now, not what was last rendered: React renders a navigation as a transition,
  // so a second click can come before the page shows the first (清除筛选, then 看板, brought the filters back).
  const change = (edit: (current: ListState) => ListState) =>
    void setParams(
      () =>
        listStateParams(edit({ ...parseListState(new URLSearchParams(window.location.search)), orgUnitId })),
      { replace: true },
    );
  const phone = !Grid.useBreakpoint().md;
  const calendar = useWorkCalendar();
  const { filter } = listVariables(state);
  const board = useQuery(BOARD, { variables: { filter, orgUnitId }, fetchPolicy: 'cache-and-network' });

  if (board.error && classifyError(board.error).kind === 'forbidden') return <ForbiddenPage />;

  const columns = board.data?.unitBoard.columns ?? [];
  const total = columns.reduce((n, c) => n + c.count, 0);
  const filtered = activeFilters(state) > 0;
  const empty = (error: unknown, retry: () => void) => (
    <ListEmpty error={error} filtered={filtered} onClear={() => change(clearFilters)} onRetry={retry} />
  );
  // A new filter or order starts the list again from its first page.
  const listKey = JSON.stringify([orgUnitId, filter, state.status, state.sort, state.pageSize]);

  return (
    <section>
      <Toolbar
        heading={
          <h1 className="page-title">
            {title}
            {board.data ? ` · ${board.data.unitBoard.orgUnit.name}` : ''}
          </h1>
        }
        state={state}
        columns={columns}
        phone={phone}
        onChange={change}
      />
      {summary}
      {state.view === 'kanban' ? (
        board.data && total === 0 ? (
          empty(board.error, () => void board.refetch())
        ) : (
          <Kanban key={listKey} state={state} columns={columns} calendar={calendar} />
        )
      ) : (
        <ShareTable
          key={listKey}
          state={state}
          calendar={calendar}
          phone={phone}
          onSort={(sort) => change((s) => ({ ...s, sort }))}
          onPageSize={(pageSize) => change((s) => ({ ...s, pageSize }))}
          empty={empty}
        />
      )}
    </section>
  );
}
