import { useQuery } from '@apollo/client/react';
import { Alert, Select, Space, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { KeysetPager, useKeysetPages } from '../../components/pager';
import { ResponsiveList } from '../../components/responsive-list';
import { classifyError } from '../../errors';
import { graphql } from '../../gql';
import type { MissingReportsQuery } from '../../gql/graphql';
import { shortDate } from '../../workdays';
import { ForbiddenPage } from '../forbidden';
import { LightLabel } from '../signals';
import { UnitFilter } from '../../components/unit-select';
import { lastReport, ShareTask } from './parts';
import { endedPeriods, periodLabel } from './periods';

const MISSING_REPORTS = graphql(`
  query MissingReports($period: String!, $orgUnitId: ID, $first: Int!, $after: String) {
    missingReports(period: $period, orgUnitId: $orgUnitId, first: $first, after: $after) {
      totalCount
      pageInfo {
        ...PageCursor
      }
      edges {
        node {
          ...SupervisedShare
        }
      }
    }
  }
`);

type Row = MissingReportsQuery['missingReports']['edges'][number]['node'];

const PAGE_SIZE = 50;

/** The page's rows by unit (units in order of first appearance), so each unit's list reads as one block. */
function byUnit(rows: readonly Row[]): { row: Row; span: number }[] {
  const groups = new Map<string, Row[]>();
  for (const row of rows) groups.set(row.orgUnit.id, [...(groups.get(row.orgUnit.id) ?? []), row]);
  return [...groups.values()].flatMap((group) =>
    group.map((row, i) => ({ row, span: i === 0 ? group.length : 0 })),
  );
}

/**
 * 催报: the shares with no progress report for an ended period, by unit. The period is in the address
 * (`?period=2026-11`), as the 督查室's summary notification links to it.
 */
export default function MissingReportsPage() {
  const [params, setParams] = useSearchParams();
  const choices = useMemo(() => endedPeriods(new Date()), []);
  const period = params.get('period') ?? choices.monthly[0].value;
  const orgUnitId = params.get('unit') ?? undefined;
  const pages = useKeysetPages();
  const choose = (key: 'period' | 'unit', value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
    pages.restart();
  };

  const { data, loading, error } = useQuery(MISSING_REPORTS, {
    variables: { period, orgUnitId, first: PAGE_SIZE, after: pages.after },
    fetchPolicy: 'cache-and-network',
  });
  if (error && classifyError(error).kind === 'forbidden') return <ForbiddenPage />;
  const missing = data?.missingReports;
  const rows = byUnit(missing?.edges.map((e) => e.node) ?? []);
  const periodOptions = [
    { label: '月报', title: '月报', options: choices.monthly },
    { label: '周报（紧急任务）', title: '周报', options: choices.weekly },
  ];
  // A period from a link that is not among the recent ones is still shown by its name.
  const known = [...choices.monthly, ...choices.weekly].some((o) => o.value === period);

  const columns: ColumnsType<{ row: Row; span: number }> = [
    {
      title: '承办单位',
      key: 'unit',
      width: 170,
      onCell: ({ span }) => ({ rowSpan: span }),
      render: (_, { row }) => row.orgUnit.name,
    },
    {
      title: '任务',
      key: 'task',
      render: (_, { row }) => <ShareTask share={row} />,
    },
    { title: '红黄绿灯', key: 'light', width: 110, render: (_, { row }) => <LightLabel assignment={row} /> },
    { title: '完成时限', key: 'due', width: 110, render: (_, { row }) => shortDate(row.dueAt) },
    {
      title: '最近报送',
      key: 'report',
      width: 110,
      render: (_, { row }) => lastReport(row),
    },
  ];

  return (
    <section>
      <h1 className="page-title">催报</h1>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select<string>
          aria-label="报送期"
          style={{ width: 200 }}
          value={period}
          onChange={(v) => choose('period', v)}
          options={known ? periodOptions : [{ value: period, label: periodLabel(period) }, ...periodOptions]}
        />
        <UnitFilter value={orgUnitId} onChange={(v) => choose('unit', v)} />
      </Space>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title={`${periodLabel(period)}未报送进展的任务：共 ${(missing?.totalCount ?? 0).toLocaleString('zh-CN')} 项`}
        description="系统每个工作日自动催报：报送日前提醒承办单位，过了报送日通知单位经办人和负责人并计入考核，宽限期后向督查室汇总。"
      />
      <ResponsiveList
        rows={rows}
        rowKey={({ row }) => row.id}
        columns={columns}
        bordered
        loading={loading && !data}
        error={error}
        emptyText={`${periodLabel(period)}的报送已齐，没有未报送的任务`}
        card={({ row }) => ({
          title: row.orgUnit.name,
          children: (
            <Space orientation="vertical" size={4}>
              <Link to={`/tasks/${row.id}`}>{row.task.title}</Link>
              <Space wrap>
                <LightLabel assignment={row} />
                <span>完成时限 {shortDate(row.dueAt)}</span>
              </Space>
              <Typography.Text type="secondary">最近报送 {lastReport(row)}</Typography.Text>
            </Space>
          ),
        })}
      />
      <KeysetPager pages={pages} connection={missing} />
    </section>
  );
}
