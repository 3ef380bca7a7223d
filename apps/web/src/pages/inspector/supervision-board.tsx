import { useQuery, useSubscription } from '@apollo/client/react';
import { Button, Input, Select, Space, Switch, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link } from 'react-router';
import { KeysetPager, useKeysetPages } from '../../components/pager';
import { ResponsiveList } from '../../components/responsive-list';
import { classifyError } from '../../errors';
import { graphql } from '../../gql';
import type { EscalationAction, InspectorBoardQuery } from '../../gql/graphql';
import { ESCALATION_ACTION_LABEL, noticeStatusLabel } from '../../labels';
import { shortDate } from '../../workdays';
import { ForbiddenPage } from '../forbidden';
import { LightLabel } from '../signals';
import { PlanSelect } from '../../components/plan-select';
import { UnitFilter } from '../../components/unit-select';
import { lastReport, ShareTask } from './parts';
import { useShareActions, type ShareAction } from './share-actions';

const INSPECTOR_BOARD = graphql(`
  query InspectorBoard($filter: InspectorBoardFilter, $first: Int!, $after: String) {
    inspectorBoard(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        ...PageCursor
      }
      edges {
        node {
          ...SupervisedShare
          levelReached
          supervisionNotices {
            id
            code
            status
            returnCount
          }
        }
      }
    }
  }
`);

const BOARD_CHANGED = graphql(`
  subscription InspectorBoardChanged($planId: ID) {
    boardChanged(planId: $planId) {
      at
    }
  }
`);

type Row = InspectorBoardQuery['inspectorBoard']['edges'][number]['node'];

const PAGE_SIZE = 20;

/** The notice in force (one at most: the API never opens a second while one is open or answered). */
const noticeInForce = (row: Row) => row.supervisionNotices.find((n) => n.status !== 'CLOSED');

function Level({ row }: { row: Row }) {
  return (
    <Space orientation="vertical" size={0}>
      {row.levelReached ? (
        <Tag className={`level level-${row.levelReached}`}>{ESCALATION_ACTION_LABEL[row.levelReached]}</Tag>
      ) : (
        <Typography.Text type="secondary">未升级</Typography.Text>
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {/* Levels whose date passed before the share existed never fire, but the 督查室 can still climb them. */}
        {row.nextEscalation?.label ?? (row.escalateNowTo ? '不自动升级，可立即升级' : '督办流程已无下一级')}
      </Typography.Text>
    </Space>
  );
}

function Notice({ row }: { row: Row }) {
  const notice = noticeInForce(row);
  if (!notice) return <Typography.Text type="secondary">无</Typography.Text>;
  return (
    <Link to={`/supervision-notices/${notice.id}`}>
      {notice.code}（{noticeStatusLabel(notice)}）
    </Link>
  );
}

/** 督查: the overdue and at-risk shares of every unit, most overdue first, and the inspector's levers on each. */
export default function SupervisionBoardPage() {
  const [orgUnitId, setOrgUnitId] = useState<string | undefined>();
  const [planId, setPlanId] = useState<string | undefined>();
  const [level, setLevel] = useState<EscalationAction | undefined>();
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [search, setSearch] = useState('');
  const pages = useKeysetPages();

  const { data, loading, error, refetch } = useQuery(INSPECTOR_BOARD, {
    variables: {
      filter: { orgUnitId, planId, level, search: search || undefined, includeAtRisk: !overdueOnly },
      first: PAGE_SIZE,
      after: pages.after,
    },
    fetchPolicy: 'cache-and-network',
  });
  // Live: a change anywhere in the plan's figures (a report, a close-out, an escalation) refreshes the list.
  useSubscription(BOARD_CHANGED, { variables: { planId }, onData: () => void refetch() });
  const { act, dialog } = useShareActions(() => void refetch());

  if (error && classifyError(error).kind === 'forbidden') return <ForbiddenPage />;
  const board = data?.inspectorBoard;
  const rows = board?.edges.map((e) => e.node) ?? [];
  const filtered = Boolean(orgUnitId || planId || level || search || overdueOnly);
  const changed =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      pages.restart();
    };

  const actions = (row: Row) => {
    const button = (action: ShareAction, label: string, disabled = false) => (
      <Button key={action} type="link" size="small" disabled={disabled} onClick={() => act(action, row)}>
        {label}
      </Button>
    );
    return [
      button('escalate', '立即升级', !row.escalateNowTo),
      button('skip', '跳过', !row.escalateNowTo),
      button('notice', '开具督办单', Boolean(noticeInForce(row))),
    ];
  };

  const columns: ColumnsType<Row> = [
    {
      title: '任务',
      key: 'task',
      render: (_, row) => <ShareTask share={row} />,
    },
    { title: '承办单位', key: 'unit', width: 120, render: (_, row) => row.orgUnit.name },
    { title: '红黄绿灯', key: 'light', width: 110, render: (_, row) => <LightLabel assignment={row} /> },
    { title: '完成时限', key: 'due', width: 110, render: (_, row) => shortDate(row.dueAt) },
    { title: '督办级别', key: 'level', width: 160, render: (_, row) => <Level row={row} /> },
    { title: '最近报送', key: 'report', width: 100, render: (_, row) => lastReport(row) },
    { title: '督办单', key: 'notice', width: 150, render: (_, row) => <Notice row={row} /> },
    {
      title: '操作',
      key: 'actions',
      width: 170,
      render: (_, row) => (
        <Space size={0} wrap className="row-actions">
          {actions(row)}
        </Space>
      ),
    },
  ];

  return (
    <section>
      <h1 className="page-title">督查</h1>
      <Space wrap style={{ marginBottom: 16 }}>
        <UnitFilter value={orgUnitId} onChange={changed(setOrgUnitId)} />
        <PlanSelect style={{ width: 280 }} value={planId} onChange={changed(setPlanId)} />
        <Select<EscalationAction | undefined>
          aria-label="按已达督办级别筛选"
          placeholder="督办级别"
          allowClear
          style={{ width: 130 }}
          value={level}
          onChange={changed(setLevel)}
          options={Object.entries(ESCALATION_ACTION_LABEL).map(([value, label]) => ({
            value: value as EscalationAction,
            label: `已${label}`,
          }))}
        />
        <Input.Search
          aria-label="搜索任务名称和内容"
          placeholder="搜索任务名称、内容"
          allowClear
          style={{ width: 220 }}
          onSearch={(v) => changed(setSearch)(v.trim())}
        />
        <Space size={6}>
          <Switch checked={overdueOnly} onChange={changed(setOverdueOnly)} aria-label="只看逾期" />
          <span aria-hidden>只看逾期</span>
        </Space>
      </Space>
      <Typography.Paragraph type="secondary">
        {overdueOnly ? '逾期' : '逾期和临期、进度滞后'}的任务，逾期最久的在前，共{' '}
        {(board?.totalCount ?? 0).toLocaleString('zh-CN')} 项。
      </Typography.Paragraph>
      <ResponsiveList<Row>
        rows={rows}
        rowKey={(row) => row.id}
        columns={columns}
        loading={loading && !data}
        error={error}
        emptyText={
          filtered ? '没有符合条件的事项，请调整筛选条件' : '目前没有逾期或临期的任务；出现时会列在这里'
        }
        card={(row) => ({
          title: <Link to={`/tasks/${row.id}`}>{row.task.title}</Link>,
          actions: actions(row),
          children: (
            <Space orientation="vertical" size={4} style={{ width: '100%' }}>
              <Space wrap>
                <LightLabel assignment={row} />
                <span>{row.orgUnit.name}</span>
              </Space>
              <span>
                完成时限 {shortDate(row.dueAt)} · 最近报送 {lastReport(row)}
              </span>
              <Space align="start">
                督办级别：
                <Level row={row} />
              </Space>
              <span>
                督办单：
                <Notice row={row} />
              </span>
            </Space>
          ),
        })}
      />
      <KeysetPager pages={pages} connection={board} />
      {dialog}
    </section>
  );
}
