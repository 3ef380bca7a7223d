import { useQuery } from '@apollo/client/react';
import { Badge, Breadcrumb, Spin, Tabs, Typography } from 'antd';
import { useMemo } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { problemsOf } from './drafts';
import { DraftsTab } from './drafts-tab';
import { PLAN_REVIEWS, PLAN_TREE, REVIEW } from './queries';
import { ReviewTab } from './review-tab';
import { TreeView } from './tree-view';
import { useAllDrafts } from './use-drafts';

const TABS = ['tree', 'drafts', 'review'] as const;
type Tab = (typeof TABS)[number];

/** One plan: its target tree, its drafts, and submitting them for 分解审定 (`?tab=` keeps the place). */
export default function PlanPage() {
  const { planId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const tab: Tab = TABS.find((t) => t === params.get('tab')) ?? 'drafts';
  const editing = params.get('draft');
  const { data } = useQuery(PLAN_TREE, { variables: { id: planId } });
  const reviews = useQuery(PLAN_REVIEWS, { fetchPolicy: 'cache-and-network' });
  const drafts = useAllDrafts(planId);
  const problems = useMemo(() => problemsOf(drafts.drafts ?? []), [drafts.drafts]);
  const latest = (reviews.data?.approvalRequests.edges ?? [])
    .map((e) => e.node)
    .filter((r) => r.planId === planId)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  const detail = useQuery(REVIEW, {
    variables: { id: latest?.id ?? '' },
    skip: !latest,
    fetchPolicy: 'cache-and-network',
  });
  const review = latest && detail.data?.approvalRequest;
  const locked = (review ?? latest)?.status === 'PENDING';
  const unpublished = (drafts.drafts ?? []).filter((d) => !d.taskId).length;

  const go = (next: Tab, draft?: string) => setParams(draft ? { tab: next, draft } : { tab: next });
  const setEditing = (id: string | null) => go('drafts', id ?? undefined);

  return (
    <>
      <Breadcrumb
        items={[{ title: <Link to="/decomposition">任务分解</Link> }, { title: data?.plan.title ?? '…' }]}
      />
      <h1 className="page-title" style={{ marginTop: 8 }}>
        {data?.plan.title ?? <Spin size="small" />}
      </h1>
      {locked && (
        <Typography.Paragraph type="secondary">分解审定进行中：审定结束前草稿不能修改。</Typography.Paragraph>
      )}
      <Tabs
        activeKey={tab}
        onChange={(key) => go(key as Tab)}
        items={[
          { key: 'tree', label: '目标树', children: <TreeView planId={planId} /> },
          {
            key: 'drafts',
            label: `任务草稿（${(drafts.drafts?.length ?? 0).toLocaleString('zh-CN')}）`,
            children: <DraftsTab drafts={drafts} editing={editing} setEditing={setEditing} locked={locked} />,
          },
          {
            key: 'review',
            label: (
              <Badge count={locked ? 0 : problems.length} size="small" offset={[8, 0]} color="#d4380d">
                提交审定
              </Badge>
            ),
            children: (
              <ReviewTab
                planId={planId}
                problems={problems}
                draftCount={unpublished}
                review={review}
                titleOf={(id) => drafts.drafts?.find((d) => d.id === id)?.title ?? ''}
                open={(id) => setEditing(id)}
                onSubmitted={() => Promise.all([reviews.refetch(), drafts.reload()])}
              />
            ),
          },
        ]}
      />
    </>
  );
}
