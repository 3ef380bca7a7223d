import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@apollo/client/react';
import { App, Button, Grid, Input, Progress, Select, Space, Tag, Typography, type CardProps } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { SorterResult } from 'antd/es/table/interface';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { downloadFile } from '../../components/download';
import { KeysetPager, useKeysetPages } from '../../components/pager';
import { useSession } from '../../auth';
import { PlanSelect } from '../../components/plan-select';
import { ResponsiveList } from '../../components/responsive-list';
import { UnitFilter } from '../../components/unit-select';
import { classifyError } from '../../errors';
import type { PlanTasksQuery, TaskOrder, TaskStatus } from '../../gql/graphql';
import { ASSIGNER_ROLES, TASK_STATUS_LABEL } from '../../labels';
import { shortDate } from '../../workdays';
import { ForbiddenPage } from '../forbidden';
import { LightLabel } from '../signals';
import { PLAN_TASKS } from './queries';
import { columnOrder, orderOf, taskLight, type SortColumn } from './task-form';

type Row = PlanTasksQuery['tasks']['edges'][number]['node'];

const PAGE_SIZE = 20;

const names = (units: readonly { name: string }[]) =>
  units.length ? units.map((u) => u.name).join('、') : '—';

function TaskLight({ row }: { row: Row }) {
  if (row.status === 'UNASSIGNED') return <Typography.Text type="secondary">待交办</Typography.Text>;
  return <LightLabel assignment={taskLight(row.assignments)} />;
}

function TaskStatusTag({ status }: { status: TaskStatus }) {
  return <Tag className={`status status-${status}`}>{TASK_STATUS_LABEL[status]}</Tag>;
}

/** 任务: a plan's tasks with who leads them, their deadline, progress and light; Excel of the plan or one unit. */
export default function TaskListPage() {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { viewer } = useSession();
  const assigner = viewer ? ASSIGNER_ROLES.includes(viewer.role) : false;
  const phone = !Grid.useBreakpoint().md;
  // A link may name the plan (?plan=, from a task's page); the choice then stays with the page.
  const [params] = useSearchParams();
  const [planId, setPlanId] = useState<string | undefined>(() => params.get('plan') ?? undefined);
  const [orgUnitId, setOrgUnitId] = useState<string | undefined>();
  const [status, setStatus] = useState<TaskStatus | undefined>();
  const [search, setSearch] = useState('');
  const [order, setOrder] = useState<TaskOrder>('DUE_AT_ASC');
  const [downloading, setDownloading] = useState(false);
  const pages = useKeysetPages();

  const { data, previousData, loading, error } = useQuery(PLAN_TASKS, {
    variables: {
      filter: { planId, orgUnitId, status, search: search || undefined },
      orderBy: order,
      first: PAGE_SIZE,
      after: pages.after,
    },
    skip: !planId,
    fetchPolicy: 'cache-and-network',
  });
  if (error && classifyError(error).kind === 'forbidden') return <ForbiddenPage />;
  const connection = (data ?? previousData)?.tasks;
  const rows = connection?.edges.map((e) => e.node) ?? [];
  const filtered = Boolean(orgUnitId || status || search);
  const changed =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      pages.restart();
    };

  const download = async () => {
    if (!planId) return;
    setDownloading(true);
    try {
      const query = orgUnitId ? `?unit=${orgUnitId}` : '';
      const name = await downloadFile(`/plans/${planId}/task-list.xlsx${query}`, '任务清单.xlsx');
      void message.success(`已下载 ${name}`);
    } catch (failure) {
      void message.error(failure instanceof Error ? failure.message : '下载失败');
    } finally {
      setDownloading(false);
    }
  };

  const sortable = (column: SortColumn, directions: ('ascend' | 'descend')[]) => ({
    sorter: true,
    sortDirections: directions,
    sortOrder: columnOrder(order, column),
  });
  const columns: ColumnsType<Row> = [
    { title: '序号', key: 'code', width: 64, render: (_, row) => row.code },
    {
      title: '任务',
      key: 'title',
      render: (_, row) => <Link to={`/plan-tasks/${row.id}`}>{row.title}</Link>,
    },
    {
      title: '牵头单位',
      key: 'lead',
      width: 170,
      render: (_, row) => (
        <Space orientation="vertical" size={0}>
          {names(row.leadUnits)}
          {row.supportUnits.length > 0 && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              配合：{names(row.supportUnits)}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: '责任领导',
      key: 'leader',
      width: 96,
      render: (_, row) => row.responsibleLeader?.displayName ?? '—',
    },
    {
      title: '完成时限',
      key: 'due',
      width: 116,
      ...sortable('due', ['ascend', 'descend']),
      render: (_, row) => shortDate(row.dueAt),
    },
    {
      title: '进度',
      key: 'progress',
      width: 130,
      ...sortable('progress', ['ascend', 'descend']),
      render: (_, row) => <Progress percent={row.progressPercent} size="small" aria-label="进度" />,
    },
    { title: '红黄绿灯', key: 'light', width: 110, render: (_, row) => <TaskLight row={row} /> },
    { title: '状态', key: 'status', width: 90, render: (_, row) => <TaskStatusTag status={row.status} /> },
    {
      title: '更新时间',
      key: 'updated',
      width: 112,
      ...sortable('updated', ['descend']),
      render: (_, row) => shortDate(row.updatedAt),
    },
  ];

  return (
    <section className="with-action-bar">
      <h1 className="page-title">任务</h1>
      <Space wrap style={{ marginBottom: 16 }}>
        <PlanSelect required style={{ width: 280 }} value={planId} onChange={changed(setPlanId)} />
        <UnitFilter value={orgUnitId} onChange={changed(setOrgUnitId)} />
        <Select<TaskStatus | undefined>
          aria-label="按状态筛选"
          placeholder="状态"
          allowClear
          style={{ width: 120 }}
          value={status}
          onChange={changed(setStatus)}
          options={Object.entries(TASK_STATUS_LABEL).map(([value, label]) => ({
            value: value as TaskStatus,
            label,
          }))}
        />
        <Input.Search
          aria-label="搜索任务序号、名称和内容"
          placeholder="搜索序号、名称、内容"
          allowClear
          style={{ width: 220 }}
          onSearch={(v) => changed(setSearch)(v.trim())}
        />
        {phone && (
          <Select<TaskOrder>
            aria-label="排序"
            style={{ width: 170 }}
            value={order}
            onChange={changed(setOrder)}
            options={[
              { value: 'DUE_AT_ASC', label: '完成时限由近及远' },
              { value: 'DUE_AT_DESC', label: '完成时限由远及近' },
              { value: 'PROGRESS_ASC', label: '进度由低到高' },
              { value: 'PROGRESS_DESC', label: '进度由高到低' },
              { value: 'UPDATED_AT_DESC', label: '最近更新的在前' },
            ]}
          />
        )}
      </Space>
      <div className="action-bar">
        <Space wrap>
          {assigner && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => void navigate(`/plan-tasks/new${planId ? `?plan=${planId}` : ''}`)}
            >
              新建任务
            </Button>
          )}
          <Button
            icon={<DownloadOutlined />}
            loading={downloading}
            disabled={!planId}
            onClick={() => void download()}
          >
            {orgUnitId ? '导出本单位清单' : '导出 Excel'}
          </Button>
        </Space>
      </div>
      <ResponsiveList<Row>
        rows={rows}
        rowKey={(row) => row.id}
        columns={columns}
        loading={loading && !connection}
        error={error}
        emptyText={
          filtered
            ? '没有符合条件的任务，请调整筛选条件'
            : '该计划还没有任务：点“新建任务”新建并交办，或在“分解”中把规划分解为任务'
        }
        card={taskCard}
        tableProps={{
          showSorterTooltip: false,
          onChange: (_, __, sorter) => {
            const { columnKey, order: direction } = sorter as SorterResult<Row>;
            changed(setOrder)(orderOf(columnKey as SortColumn, direction));
          },
        }}
      />
      {rows.length > 0 && <KeysetPager pages={pages} connection={connection} />}
    </section>
  );
}

/** A task as a card at phone width: the same signals as the table's row. */
function taskCard(row: Row): CardProps {
  return {
    className: 'plan-task-card',
    title: (
      <Link to={`/plan-tasks/${row.id}`}>
        {row.code}. {row.title}
      </Link>
    ),
    children: (
      <Space orientation="vertical" size={4} style={{ width: '100%' }}>
        <Space wrap size={8}>
          <TaskLight row={row} />
          <TaskStatusTag status={row.status} />
        </Space>
        <span>牵头：{names(row.leadUnits)}</span>
        {row.supportUnits.length > 0 && <span>配合：{names(row.supportUnits)}</span>}
        <span>
          完成时限 {shortDate(row.dueAt)}
          {row.responsibleLeader ? ` · 责任领导 ${row.responsibleLeader.displayName}` : ''}
        </span>
        <Progress percent={row.progressPercent} size="small" aria-label="进度" />
      </Space>
    ),
  };
}
