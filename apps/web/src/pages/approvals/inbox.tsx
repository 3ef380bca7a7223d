import { useQuery } from '@apollo/client/react';
import { Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router';
import { KeysetPager, useKeysetPages } from '../../components/pager';
import { ResponsiveList } from '../../components/responsive-list';
import { classifyError } from '../../errors';
import { graphql } from '../../gql';
import type { InboxItemFragment } from '../../gql/graphql';
import { APPROVAL_KIND_LABEL } from '../../labels';
import { shortDateTime } from '../../workdays';
import { ForbiddenPage } from '../forbidden';
import { requestSubject, requestUnit, stepLabel } from './summary';

export const INBOX_ITEM = graphql(`
  fragment InboxItem on ApprovalRequest {
    id
    kind
    createdAt
    currentStep
    steps {
      id
      position
      name
    }
    task {
      id
      title
    }
    plan {
      id
      title
    }
    assignment {
      id
      orgUnit {
        id
        name
      }
    }
    requestedBy {
      id
      displayName
      orgUnit {
        id
        name
      }
    }
  }
`);

export const APPROVAL_INBOX = graphql(`
  query ApprovalInbox($first: Int!, $after: String) {
    myApprovalInbox(first: $first, after: $after) {
      totalCount
      pageInfo {
        ...PageCursor
      }
      edges {
        node {
          ...InboxItem
        }
      }
    }
  }
`);

const PAGE_SIZE = 20;

const KindTag = ({ row }: { row: InboxItemFragment }) => (
  <Tag className={`approval-kind kind-${row.kind}`}>{APPROVAL_KIND_LABEL[row.kind]}</Tag>
);

const SubjectLink = ({ row }: { row: InboxItemFragment }) => (
  <Link to={`/approvals/${row.id}`}>{requestSubject(row)}</Link>
);

const columns: ColumnsType<InboxItemFragment> = [
  { title: '类型', key: 'kind', width: 130, render: (_, row) => <KindTag row={row} /> },
  { title: '承办单位', key: 'unit', width: 160, render: (_, row) => requestUnit(row) },
  { title: '任务', key: 'subject', render: (_, row) => <SubjectLink row={row} /> },
  {
    title: '提交时间',
    key: 'createdAt',
    width: 160,
    render: (_, row) => shortDateTime(row.createdAt),
  },
  { title: '当前步骤', key: 'step', width: 260, render: (_, row) => stepLabel(row) },
  {
    title: '操作',
    key: 'action',
    width: 90,
    render: (_, row) => (
      <Link to={`/approvals/${row.id}`} aria-label={`审批：${requestSubject(row)}`}>
        审批
      </Link>
    ),
  },
];

/** 待我审批: what waits for the signed-in user's decision, oldest first (the API's order). */
export default function ApprovalInboxPage() {
  const pages = useKeysetPages();
  const { data, loading, error } = useQuery(APPROVAL_INBOX, {
    variables: { first: PAGE_SIZE, after: pages.after },
    fetchPolicy: 'cache-and-network',
  });
  const inbox = data?.myApprovalInbox;
  const rows = inbox?.edges.map((e) => e.node) ?? [];

  if (error && classifyError(error).kind === 'forbidden') return <ForbiddenPage />;

  return (
    <section>
      <h1 className="page-title">待我审批{inbox?.totalCount ? `（${inbox.totalCount}）` : ''}</h1>
      <ResponsiveList<InboxItemFragment>
        rows={rows}
        rowKey={(row) => row.id}
        columns={columns}
        loading={loading && !data}
        error={error}
        emptyText="没有待您审批的申请。承办单位提交销号、延期等申请后会出现在这里，铃铛也会提醒。"
        card={(row) => ({
          title: <SubjectLink row={row} />,
          children: (
            <Space orientation="vertical" size={4}>
              <Space wrap>
                <KindTag row={row} />
                <span>{requestUnit(row)}</span>
              </Space>
              <Typography.Text type="secondary">提交于 {shortDateTime(row.createdAt)}</Typography.Text>
              <span>{stepLabel(row)}</span>
            </Space>
          ),
        })}
      />
      {(inbox?.pageInfo.hasNextPage || pages.page > 1) && <KeysetPager pages={pages} connection={inbox} />}
    </section>
  );
}
