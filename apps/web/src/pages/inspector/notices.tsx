import { useQuery } from '@apollo/client/react';
import { Space, Switch, Tabs, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link } from 'react-router';
import { KeysetPager, useKeysetPages } from '../../components/pager';
import { ResponsiveList } from '../../components/responsive-list';
import { classifyError } from '../../errors';
import { graphql } from '../../gql';
import type { SupervisionNoticesQuery, SupervisionNoticeStatus } from '../../gql/graphql';
import { shortDate } from '../../workdays';
import { ForbiddenPage } from '../forbidden';
import { UnitFilter } from '../../components/unit-select';
import { NoticeStatusTag, ResponseDue } from './parts';

const NOTICES = graphql(`
  query SupervisionNotices(
    $status: SupervisionNoticeStatus
    $orgUnitId: ID
    $overdueOnly: Boolean
    $first: Int!
    $after: String
  ) {
    supervisionNotices(
      status: $status
      orgUnitId: $orgUnitId
      overdueOnly: $overdueOnly
      first: $first
      after: $after
    ) {
      totalCount
      pageInfo {
        ...PageCursor
      }
      edges {
        node {
          id
          code
          status
          returnCount
          openedAt
          openedById
          responseDueAt
          assignment {
            id
            orgUnit {
              id
              name
            }
            task {
              id
              title
            }
          }
        }
      }
    }
    open: supervisionNotices(status: OPEN, orgUnitId: $orgUnitId, first: 1) {
      totalCount
    }
    answered: supervisionNotices(status: ANSWERED, orgUnitId: $orgUnitId, first: 1) {
      totalCount
    }
    closed: supervisionNotices(status: CLOSED, orgUnitId: $orgUnitId, first: 1) {
      totalCount
    }
  }
`);

type Row = SupervisionNoticesQuery['supervisionNotices']['edges'][number]['node'];
type TabKey = 'ALL' | SupervisionNoticeStatus;

const PAGE_SIZE = 20;

/** 督办单: every notice, newest first, by state; the answered ones are the inspector's to review. */
export default function SupervisionNoticesPage() {
  const [tab, setTab] = useState<TabKey>('ALL');
  const [orgUnitId, setOrgUnitId] = useState<string | undefined>();
  const [overdueOnly, setOverdueOnly] = useState(false);
  const pages = useKeysetPages();

  const { data, loading, error } = useQuery(NOTICES, {
    variables: {
      status: tab === 'ALL' ? undefined : tab,
      orgUnitId,
      overdueOnly: overdueOnly || undefined,
      first: PAGE_SIZE,
      after: pages.after,
    },
    fetchPolicy: 'cache-and-network',
  });
  if (error && classifyError(error).kind === 'forbidden') return <ForbiddenPage />;
  const notices = data?.supervisionNotices;
  const rows = notices?.edges.map((e) => e.node) ?? [];
  const count = (n: { totalCount: number } | undefined) =>
    n ? `（${n.totalCount.toLocaleString('zh-CN')}）` : '';

  const columns: ColumnsType<Row> = [
    {
      title: '编号',
      key: 'code',
      width: 150,
      render: (_, row) => <Link to={`/supervision-notices/${row.id}`}>{row.code}</Link>,
    },
    {
      title: '任务',
      key: 'task',
      render: (_, row) => <Link to={`/tasks/${row.assignment.id}`}>{row.assignment.task.title}</Link>,
    },
    { title: '承办单位', key: 'unit', width: 150, render: (_, row) => row.assignment.orgUnit.name },
    { title: '状态', key: 'status', width: 90, render: (_, row) => <NoticeStatusTag notice={row} /> },
    {
      title: '开具',
      key: 'opened',
      width: 150,
      render: (_, row) => `${shortDate(row.openedAt)} ${row.openedById ? '督查室' : '自动'}`,
    },
    { title: '答复时限', key: 'due', width: 170, render: (_, row) => <ResponseDue notice={row} /> },
    { title: '退回次数', key: 'returns', width: 90, align: 'right', render: (_, row) => row.returnCount },
  ];

  return (
    <section>
      <h1 className="page-title">督办单</h1>
      <Tabs
        activeKey={tab}
        onChange={(key) => {
          setTab(key as TabKey);
          pages.restart();
        }}
        items={[
          { key: 'ALL', label: '全部' },
          { key: 'ANSWERED', label: `已答复待审核${count(data?.answered)}` },
          { key: 'OPEN', label: `待答复${count(data?.open)}` },
          { key: 'CLOSED', label: `已办结${count(data?.closed)}` },
        ]}
      />
      <Space wrap style={{ marginBottom: 16 }}>
        <UnitFilter
          value={orgUnitId}
          onChange={(v) => {
            setOrgUnitId(v);
            pages.restart();
          }}
        />
        <Space size={6}>
          <Switch
            checked={overdueOnly}
            aria-label="只看答复逾期"
            onChange={(v) => {
              setOverdueOnly(v);
              pages.restart();
            }}
          />
          <span aria-hidden>只看答复逾期</span>
        </Space>
      </Space>
      <ResponsiveList<Row>
        rows={rows}
        rowKey={(row) => row.id}
        columns={columns}
        loading={loading && !data}
        error={error}
        emptyText={
          tab === 'ALL' && !orgUnitId && !overdueOnly
            ? '还没有督办单；在“督查”页可对逾期任务开具督办单'
            : '没有符合条件的督办单，请调整筛选条件'
        }
        card={(row) => ({
          title: <Link to={`/supervision-notices/${row.id}`}>{row.code}</Link>,
          extra: <NoticeStatusTag notice={row} />,
          children: (
            <Space orientation="vertical" size={4}>
              <span>{row.assignment.task.title}</span>
              <Typography.Text type="secondary">{row.assignment.orgUnit.name}</Typography.Text>
              <span>
                答复时限 <ResponseDue notice={row} />
              </span>
            </Space>
          ),
        })}
      />
      <KeysetPager pages={pages} connection={notices} />
    </section>
  );
}
