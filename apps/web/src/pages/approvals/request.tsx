import { useQuery } from '@apollo/client/react';
import { Card, Descriptions, Empty, List, Result, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useSession } from '../../auth';
import { EvidenceLink } from '../../components/evidence-link';
import { classifyError } from '../../errors';
import { graphql } from '../../gql';
import type { RequestDetailFragment } from '../../gql/graphql';
import { APPROVAL_STATUS_LABEL, DECISION_LABEL, STEP_STATUS_LABEL } from '../../labels';
import { shortDateTime } from '../../workdays';
import { ForbiddenPage } from '../forbidden';
import { StatusTag } from '../signals';
import { DecidedCard, DecisionCard, type Decided } from './decide';
import { stepToDecide } from './decision';
import { payloadRows } from './payload';
import { requestTitle, requestUnit, stepLabel } from './summary';

/** Everything the page shows; the decision returns it too, so the page follows without another request. */
export const REQUEST_DETAIL = graphql(`
  fragment RequestDetail on ApprovalRequest {
    ...InboxItem
    status
    comment
    payload
    closedAt
    task {
      id
      code
      assignments {
        id
        orgUnit {
          id
          name
        }
      }
    }
    assignment {
      id
      status
      progressPercent
      progressReports {
        id
        period
        percent
        text
        reason
        submittedAt
        evidence {
          id
          fileName
          sizeBytes
        }
      }
    }
    steps {
      id
      mode
      status
      approverIds
      approvers {
        id
        displayName
      }
      decisions {
        id
        approverId
        decision
        comment
        decidedAt
      }
    }
  }
`);

const REQUEST = graphql(`
  query ApprovalRequestPage($id: ID!) {
    approvalRequest(id: $id) {
      ...RequestDetail
    }
  }
`);

/** How many of the share's reports the approver reads beside the request. */
const RECENT_REPORTS = 3;

/** One approver decides alone; several either all (会签) or any one of them (或签). */
function approversLabel(step: { mode: string; approvers: readonly unknown[] }): string {
  if (step.approvers.length === 1) return '审批人';
  return step.mode === 'ALL' ? '会签（每人都须同意）' : '或签（一人同意即可）';
}

const STEP_COLOR = { APPROVED: 'green', REJECTED: 'red', PENDING: 'blue' } as const;

function History({ request }: { request: RequestDetailFragment }) {
  const items = [
    {
      key: 'submitted',
      color: 'gray',
      content: (
        <>
          <Typography.Text strong>提交申请</Typography.Text>
          <div>
            {request.requestedBy.displayName}（{request.requestedBy.orgUnit.name}）·{' '}
            {shortDateTime(request.createdAt)}
          </div>
        </>
      ),
    },
    ...request.steps.map((step) => {
      const nameOf = new Map(step.approvers.map((u) => [u.id, u.displayName]));
      return {
        key: step.id,
        color: STEP_COLOR[step.status as keyof typeof STEP_COLOR] ?? 'gray',
        content: (
          <>
            <Space wrap size={6}>
              <Typography.Text strong>{step.name}</Typography.Text>
              <Tag className={`step-status step-${step.status}`}>{STEP_STATUS_LABEL[step.status]}</Tag>
            </Space>
            {step.approvers.length > 0 && (
              <div>
                <Typography.Text type="secondary">
                  {approversLabel(step)}：{step.approvers.map((u) => u.displayName).join('、')}
                </Typography.Text>
              </div>
            )}
            {step.decisions.map((d) => (
              <div key={d.id} className="decision">
                {nameOf.get(d.approverId) ?? '审批人'} {DECISION_LABEL[d.decision]} ·{' '}
                {shortDateTime(d.decidedAt)}
                {d.comment && <>：{d.comment}</>}
              </div>
            ))}
          </>
        ),
      };
    }),
  ];
  return <Timeline items={items} />;
}

function Reports({
  reports,
}: {
  reports: NonNullable<RequestDetailFragment['assignment']>['progressReports'];
}) {
  if (!reports.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚无进展报送" />;
  return (
    <List
      size="small"
      dataSource={reports.slice(0, RECENT_REPORTS)}
      renderItem={(r) => (
        <List.Item>
          <Space orientation="vertical" size={2} style={{ width: '100%' }}>
            <Typography.Text strong>
              {r.period} · 进度 {r.percent}%
            </Typography.Text>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
              {r.text}
            </Typography.Paragraph>
            {r.reason && <Typography.Text type="secondary">进度回调原因：{r.reason}</Typography.Text>}
            {r.evidence.map((e) => (
              <EvidenceLink key={e.id} evidence={e} />
            ))}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              报送于 {shortDateTime(r.submittedAt)}
            </Typography.Text>
          </Space>
        </List.Item>
      )}
    />
  );
}

/** The 佐证材料 a 销号 rests on: every file of the share's reports, newest first, each once. */
function evidenceOf(request: RequestDetailFragment) {
  const files = request.assignment?.progressReports.flatMap((r) => r.evidence) ?? [];
  return [...new Map(files.map((f) => [f.id, f])).values()];
}

/** A request as its approver reads it — contents, evidence, history, the share's reports — and the decision. */
export default function ApprovalRequestPage() {
  const { id = '' } = useParams();
  const { viewer } = useSession();
  const { data, loading, error, refetch } = useQuery(REQUEST, { variables: { id } });
  const [decided, setDecided] = useState<Decided | null>(null);

  if (loading && !data) return <Spin />;
  if (error && !data) {
    const mapped = classifyError(error);
    if (mapped.kind === 'forbidden') return <ForbiddenPage message={mapped.message} />;
    return <Result status="warning" title="无法载入该申请" subTitle={mapped.message} />;
  }
  const request = data?.approvalRequest;
  if (!request || !viewer) return null;
  const step = stepToDecide(request, viewer.id);
  const evidence = evidenceOf(request);

  return (
    <section className={step ? 'with-action-bar' : undefined}>
      <Space style={{ marginBottom: 8 }}>
        <Link to="/approvals">← 返回待我审批</Link>
      </Space>
      <h1 className="page-title">{requestTitle(request)}</h1>
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        {decided?.requestId === request.id && <DecidedCard decided={decided} request={request} />}
        <Card title="申请" size="small">
          <Descriptions column={{ xs: 1, md: 2 }} size="small">
            <Descriptions.Item label="承办单位">{requestUnit(request)}</Descriptions.Item>
            <Descriptions.Item label="申请人">{request.requestedBy.displayName}</Descriptions.Item>
            <Descriptions.Item label="提交时间">{shortDateTime(request.createdAt)}</Descriptions.Item>
            <Descriptions.Item label="审批状态">
              {APPROVAL_STATUS_LABEL[request.status]}
              {request.status === 'PENDING' && ` · ${stepLabel(request)}`}
            </Descriptions.Item>
            {request.assignment && (
              <Descriptions.Item label="分工">
                <Space wrap>
                  <Link to={`/tasks/${request.assignment.id}`}>{request.task?.title}</Link>
                  <StatusTag status={request.assignment.status} />
                  <span>进度 {request.assignment.progressPercent}%</span>
                </Space>
              </Descriptions.Item>
            )}
            {payloadRows(request).map((row) => (
              <Descriptions.Item key={row.label} label={row.label} span={{ xs: 1, md: 2 }}>
                <span style={{ whiteSpace: 'pre-wrap' }}>{row.text}</span>
              </Descriptions.Item>
            ))}
          </Descriptions>
        </Card>
        {request.kind === 'CLOSE_OUT' && (
          <Card title="佐证材料" size="small">
            {evidence.length ? (
              <Space orientation="vertical">
                {evidence.map((e) => (
                  <EvidenceLink key={e.id} evidence={e} />
                ))}
              </Space>
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="未上传佐证材料" />
            )}
          </Card>
        )}
        {step && (
          <DecisionCard
            request={request}
            step={step}
            viewerId={viewer.id}
            onDecided={(d) => {
              setDecided(d);
              // The outcome and 下一条 appear at the top of the page.
              window.scrollTo({ top: 0 });
            }}
            reload={() => void refetch()}
          />
        )}
        <Card title="审批记录" size="small">
          <History request={request} />
        </Card>
        {request.assignment && (
          <Card title="近期进展" size="small">
            <Reports reports={request.assignment.progressReports} />
          </Card>
        )}
      </Space>
    </section>
  );
}
