import { useMutation, useQuery } from '@apollo/client/react';
import { Button, Card, Col, Row, Space, Statistic, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ResponsiveList } from '../../components/responsive-list';
import { useReportError } from '../../components/report-error';
import type { ApprovalStatus, IngestPlanDocumentMutation, PlanKind } from '../../gql/graphql';
import { APPROVAL_STATUS_LABEL } from '../../labels';
import { shortDate } from '../../workdays';
import { FileUpload } from './file-upload';
import { INGEST_PLAN, PLAN_REVIEWS, PLANS } from './queries';

export const PLAN_KIND_LABEL: Record<PlanKind, string> = { OUTLINE: '规划纲要', TASK_LIST: '折子工程' };
const REVIEW_COLOR: Record<ApprovalStatus, string> = {
  PENDING: 'processing',
  APPROVED: 'success',
  REJECTED: 'error',
  WITHDRAWN: 'default',
};

type Ingested = IngestPlanDocumentMutation['ingestPlan'];

/** The result of reading a plan, in numbers, and where to go next. */
function IngestedCard({ result }: { result: Ingested }) {
  const figures: [string, number][] = [
    ['章', result.chapterCount],
    ['节', result.sectionCount],
    ['条', result.itemCount],
    ['措施', result.measureCount],
    ['指标', result.indicatorCount],
    ['任务草稿', result.draftTaskCount],
  ];
  return (
    <Card
      size="small"
      title={`已导入：${result.plan.title}`}
      style={{ marginTop: 16 }}
      data-testid="ingested"
    >
      <Row gutter={[16, 8]}>
        {figures.map(([label, value]) => (
          <Col key={label} xs={8} md={4}>
            <Statistic title={label} value={value} />
          </Col>
        ))}
      </Row>
      <Space wrap style={{ marginTop: 12 }}>
        <Link to={`/decomposition/${result.plan.id}?tab=tree`}>
          <Button type="primary">查看目标树</Button>
        </Link>
        <Link to={`/decomposition/${result.plan.id}?tab=drafts`}>
          <Button>编辑任务草稿</Button>
        </Link>
      </Space>
    </Card>
  );
}

/** 任务分解: the plans and task lists with the state of their decomposition, and a plan document to upload. */
export default function PlansPage() {
  const { data, loading, error, refetch } = useQuery(PLANS, { fetchPolicy: 'cache-and-network' });
  const reviewed = useQuery(PLAN_REVIEWS, { fetchPolicy: 'cache-and-network' });
  const [ingest] = useMutation(INGEST_PLAN);
  const [result, setResult] = useState<Ingested | null>(null);
  const report = useReportError();
  const navigate = useNavigate();

  // The latest 分解审定 of each plan.
  const reviews = new Map<
    string,
    { status: ApprovalStatus; currentStep?: number | null; createdAt: string }
  >();
  for (const { node } of reviewed.data?.approvalRequests.edges ?? []) {
    const seen = node.planId ? reviews.get(node.planId) : undefined;
    if (node.planId && (!seen || seen.createdAt < node.createdAt)) reviews.set(node.planId, node);
  }
  const rows = (data?.plans.edges ?? []).map(({ node }) => ({ ...node, review: reviews.get(node.id) }));
  const reviewTag = (review: (typeof rows)[number]['review']) =>
    review ? (
      <Tag color={REVIEW_COLOR[review.status]}>
        分解审定{APPROVAL_STATUS_LABEL[review.status]}
        {review.status === 'PENDING' && review.currentStep ? `（第 ${review.currentStep} 步）` : ''}
      </Tag>
    ) : (
      <Tag>未提交审定</Tag>
    );

  const onUploaded = async (uploadId: string) => {
    try {
      const { data: done } = await ingest({ variables: { input: { file: { uploadId } } } });
      if (done) setResult(done.ingestPlan);
      void refetch();
    } catch (e) {
      report(e);
    }
  };

  return (
    <>
      <div className="page-head">
        <h1 className="page-title">任务分解</h1>
        <Link to="/decomposition/import">
          <Button>导入折子工程 Excel</Button>
        </Link>
      </div>
      <Card size="small" title="上传规划文件" style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary">
          上传规划纲要或任务分工方案，系统识别章、节、条与措施，读出指标和完成时限，并为每条措施生成任务草稿。
        </Typography.Paragraph>
        <FileUpload
          accept=".docx,.txt,.md"
          hint="支持 .docx、.txt、.md，单个文件不超过 32 MB"
          readingText="正在识别章节、指标与任务…"
          onUploaded={onUploaded}
        />
        {result && <IngestedCard result={result} />}
      </Card>
      <h2 style={{ fontSize: 16 }}>规划与折子工程</h2>
      <ResponsiveList
        rows={rows}
        rowKey={(r) => r.id}
        loading={loading && !data}
        error={error}
        emptyText="还没有规划：上传规划文件或导入折子工程 Excel"
        columns={[
          {
            title: '名称',
            dataIndex: 'title',
            render: (title: string, r) => <Link to={`/decomposition/${r.id}`}>{title}</Link>,
          },
          { title: '类别', dataIndex: 'kind', width: 100, render: (k: PlanKind) => PLAN_KIND_LABEL[k] },
          {
            title: '期限',
            width: 210,
            render: (_, r) => `${shortDate(r.periodStart)} 至 ${shortDate(r.periodEnd)}`,
          },
          { title: '分解状态', width: 190, render: (_, r) => reviewTag(r.review) },
        ]}
        card={(r) => ({
          title: r.title,
          onClick: () => void navigate(`/decomposition/${r.id}`),
          children: (
            <Space wrap>
              <span>{PLAN_KIND_LABEL[r.kind]}</span>
              {reviewTag(r.review)}
            </Space>
          ),
        })}
      />
    </>
  );
}
