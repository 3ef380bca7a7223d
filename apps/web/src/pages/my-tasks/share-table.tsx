import { useQuery } from '@apollo/client/react';
import { Button, List, Progress, Select, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { SorterResult } from 'antd/es/table/interface';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { ShareRowFragment } from '../../gql/graphql';
import { nextStep } from '../../labels';
import { shortDate, type SpecialDay } from '../../workdays';
import { DueDate, LightLabel, StatusTag } from '../signals';
import {
  columnOrder,
  listVariables,
  PAGE_SIZES,
  sortFromColumn,
  type ListState,
  type PageSize,
  type SortableColumn,
  type SortKey,
} from './list-state';
import { SHARE_ITEMS } from './queries';
import { ShareCard } from './share-card';

interface Props {
  state: ListState;
  calendar: SpecialDay[] | undefined;
  phone: boolean;
  onSort: (sort: SortKey) => void;
  onPageSize: (size: PageSize) => void;
  /** What to show when the page has no rows (it is told whether the API answered). */
  empty: (error: unknown, retry: () => void) => ReactNode;
}

/**
 * The list a page at a time, paged on the server by cursor in the order chosen: a unit's 1,000 shares are 10 to
 * 50 pages of a few dozen rows, never 1,000 rows in the page. Mount it with a `key` of the filters and order,
 * so that a change starts again at page 1.
 */
export function ShareTable({ state, calendar, phone, onSort, onPageSize, empty }: Props) {
  // The cursor each page starts after (page 1 starts at the top).
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const { data, previousData, loading, error, refetch } = useQuery(SHARE_ITEMS, {
    variables: {
      ...listVariables(state),
      status: state.status,
      first: state.pageSize,
      after: cursors.at(-1),
    },
    fetchPolicy: 'cache-and-network',
  });
  // While the next page loads, the last one stays (no flash of an empty table).
  const items = (data ?? previousData)?.unitBoard.items;
  const rows = items?.edges.map((e) => e.node) ?? [];
  const emptyText = empty(error, () => void refetch());

  const sortable = (column: SortableColumn, directions: ('ascend' | 'descend')[]) => ({
    sorter: true,
    sortDirections: directions,
    sortOrder: columnOrder(state.sort, column),
  });
  const columns: ColumnsType<ShareRowFragment> = [
    {
      title: '任务',
      key: 'task',
      render: (_, row) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/tasks/${row.id}`}>{row.task.title}</Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {row.task.code} · {row.role === 'LEAD' ? '牵头单位' : '配合单位'}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: '红黄绿灯',
      key: 'light',
      width: 116,
      ...sortable('light', ['ascend']),
      render: (_, row) => <LightLabel assignment={row} />,
    },
    {
      title: '完成时限',
      key: 'due',
      width: 200,
      ...sortable('due', ['ascend', 'descend']),
      render: (_, row) => <DueDate assignment={row} calendar={calendar} />,
    },
    {
      title: '进度',
      key: 'progress',
      width: 130,
      ...sortable('progress', ['ascend', 'descend']),
      render: (_, row) => <Progress percent={row.progressPercent} size="small" aria-label="进度" />,
    },
    { title: '状态', key: 'status', width: 104, render: (_, row) => <StatusTag status={row.status} /> },
    { title: '下一步', key: 'next', width: 150, render: (_, row) => nextStep(row.nextEscalation) },
    {
      title: '最近报送',
      key: 'report',
      width: 100,
      render: (_, row) => (row.lastReportAt ? shortDate(row.lastReportAt) : '未报送'),
    },
    {
      title: '更新时间',
      key: 'updated',
      width: 112,
      ...sortable('updated', ['descend']),
      render: (_, row) => shortDate(row.updatedAt),
    },
  ];

  const total = items?.totalCount ?? 0;
  const pager = (
    <Space className="list-pager" wrap>
      <Button disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
        上一页
      </Button>
      <span aria-live="polite">
        第 {cursors.length} 页 · 共 {total.toLocaleString('zh-CN')} 条
      </span>
      <Button
        disabled={!items?.pageInfo.hasNextPage}
        onClick={() => setCursors((c) => [...c, items?.pageInfo.endCursor ?? null])}
      >
        下一页
      </Button>
      <Select<PageSize>
        aria-label="每页条数"
        value={state.pageSize}
        onChange={onPageSize}
        options={PAGE_SIZES.map((n) => ({ value: n, label: `每页 ${n} 条` }))}
        style={{ width: 120 }}
      />
    </Space>
  );

  return (
    <>
      {phone ? (
        <List
          className="share-cards"
          loading={loading && !data}
          dataSource={rows}
          locale={{ emptyText }}
          renderItem={(row) => (
            <List.Item>
              <ShareCard share={row} calendar={calendar} />
            </List.Item>
          )}
        />
      ) : (
        <Table<ShareRowFragment>
          rowKey="id"
          size="middle"
          loading={loading && !data}
          columns={columns}
          dataSource={rows}
          pagination={false}
          locale={{ emptyText }}
          showSorterTooltip={false}
          onChange={(_, __, sorter) => {
            const { columnKey, order } = sorter as SorterResult<ShareRowFragment>;
            onSort(sortFromColumn(columnKey as SortableColumn, order ?? null));
          }}
        />
      )}
      {total > 0 && pager}
    </>
  );
}
