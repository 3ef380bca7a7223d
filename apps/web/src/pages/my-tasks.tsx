import { useQuery } from '@apollo/client/react';
import { Button, Card, Empty, Grid, Input, List, Progress, Select, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { classifyError } from '../errors';
import { graphql } from '../gql';
import type { AssignmentStatus, Light, MyTasksQuery } from '../gql/graphql';
import { nextStep, STATUS_LABEL } from '../labels';
import { ForbiddenPage } from './forbidden';
import { DueDate, LightLabel, StatusTag, useWorkCalendar } from './signals';

const MY_TASKS = graphql(`
  query MyTasks($filter: UnitBoardFilter, $status: AssignmentStatus, $first: Int!, $after: String) {
    unitBoard(filter: $filter) {
      orgUnit {
        id
        name
      }
      columns {
        status
        count
      }
      items(status: $status, first: $first, after: $after) {
        totalCount
        pageInfo {
          endCursor
          hasNextPage
        }
        edges {
          node {
            id
            status
            light
            daysOverdue
            dueAt
            progressPercent
            lastReportAt
            version
            role
            nextEscalation {
              label
            }
            task {
              id
              code
              title
            }
          }
        }
      }
    }
  }
`);

type Row = MyTasksQuery['unitBoard']['items']['edges'][number]['node'];

const PAGE_SIZE = 20;

export default function MyTasksPage() {
  const [light, setLight] = useState<Light | undefined>();
  const [status, setStatus] = useState<AssignmentStatus | undefined>();
  const [search, setSearch] = useState('');
  // Keyset paging: the cursor each page starts after (page 1 starts at the top).
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const page = cursors.length;
  const phone = !Grid.useBreakpoint().md;
  const calendar = useWorkCalendar();

  const { data, loading, error } = useQuery(MY_TASKS, {
    variables: {
      filter: { light, search: search || undefined },
      status,
      first: PAGE_SIZE,
      after: cursors[cursors.length - 1],
    },
    fetchPolicy: 'cache-and-network',
  });
  const board = data?.unitBoard;
  const rows = useMemo(() => board?.items.edges.map((e) => e.node) ?? [], [board]);
  const restart = () => setCursors([null]);

  if (error && classifyError(error).kind === 'forbidden') return <ForbiddenPage />;

  const columns: ColumnsType<Row> = [
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
    { title: '红黄绿灯', key: 'light', width: 120, render: (_, row) => <LightLabel assignment={row} /> },
    {
      title: '完成时限',
      key: 'due',
      width: 210,
      render: (_, row) => <DueDate assignment={row} calendar={calendar} />,
    },
    {
      title: '进度',
      key: 'progress',
      width: 120,
      render: (_, row) => <Progress percent={row.progressPercent} size="small" aria-label="进度" />,
    },
    {
      title: '状态',
      key: 'status',
      width: 110,
      render: (_, row) => <StatusTag status={row.status} />,
    },
    {
      title: '下一步',
      key: 'next',
      render: (_, row) => nextStep(row.nextEscalation),
    },
    {
      title: '最近报送',
      key: 'report',
      width: 110,
      render: (_, row) => (row.lastReportAt ? row.lastReportAt.slice(0, 10) : '未报送'),
    },
  ];

  const filters = (
    <Space wrap style={{ marginBottom: 16 }}>
      <Select<Light | undefined>
        aria-label="按红黄绿灯筛选"
        placeholder="红黄绿灯"
        allowClear
        style={{ width: 130 }}
        value={light}
        onChange={(v) => {
          setLight(v);
          restart();
        }}
        options={[
          { value: 'RED', label: '红灯（逾期）' },
          { value: 'YELLOW', label: '黄灯（临期）' },
          { value: 'GREEN', label: '绿灯（正常）' },
        ]}
      />
      <Select<AssignmentStatus | undefined>
        aria-label="按状态筛选"
        placeholder="状态"
        allowClear
        style={{ width: 150 }}
        value={status}
        onChange={(v) => {
          setStatus(v);
          restart();
        }}
        options={(board?.columns ?? []).map((c) => ({
          value: c.status,
          label: `${STATUS_LABEL[c.status]}（${c.count}）`,
        }))}
      />
      <Input.Search
        aria-label="搜索任务名称和内容"
        placeholder="搜索任务名称、内容"
        allowClear
        style={{ width: 240 }}
        onSearch={(v) => {
          setSearch(v.trim());
          restart();
        }}
      />
    </Space>
  );

  const pager = (
    <Space style={{ marginTop: 16 }} wrap>
      <Button disabled={page === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
        上一页
      </Button>
      <span>
        第 {page} 页 · 共 {(board?.items.totalCount ?? 0).toLocaleString('zh-CN')} 条
      </span>
      <Button
        disabled={!board?.items.pageInfo.hasNextPage}
        onClick={() => setCursors((c) => [...c, board?.items.pageInfo.endCursor ?? null])}
      >
        下一页
      </Button>
    </Space>
  );

  // No answer is not an empty list: say why nothing is shown.
  const empty = error ? (
    <Empty description={classifyError(error).message} />
  ) : (
    <Empty
      description={
        light || status || search
          ? '没有符合条件的任务，请调整筛选条件'
          : '本单位暂无任务；交办后会出现在这里'
      }
    />
  );

  return (
    <section>
      <h1 className="page-title">我的任务{board ? ` · ${board.orgUnit.name}` : ''}</h1>
      {filters}
      {phone ? (
        <List
          loading={loading && !data}
          dataSource={rows}
          locale={{ emptyText: empty }}
          renderItem={(row) => (
            <List.Item>
              <Card
                size="small"
                style={{ width: '100%' }}
                title={<Link to={`/tasks/${row.id}`}>{row.task.title}</Link>}
              >
                <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                  <Space wrap>
                    <LightLabel assignment={row} />
                    <StatusTag status={row.status} />
                  </Space>
                  <DueDate assignment={row} calendar={calendar} />
                  <Progress percent={row.progressPercent} size="small" aria-label="进度" />
                  {row.nextEscalation && (
                    <Typography.Text type="secondary">{row.nextEscalation.label}</Typography.Text>
                  )}
                </Space>
              </Card>
            </List.Item>
          )}
        />
      ) : (
        <Table<Row>
          rowKey="id"
          size="middle"
          loading={loading && !data}
          columns={columns}
          dataSource={rows}
          pagination={false}
          locale={{ emptyText: empty }}
        />
      )}
      {pager}
    </section>
  );
}
