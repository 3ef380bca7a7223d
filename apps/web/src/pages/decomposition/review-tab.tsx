import { CombinedGraphQLErrors } from '@apollo/client';
import { useMutation } from '@apollo/client/react';
import { Alert, App, Button, Card, Empty, Input, List, Space, Steps, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { useReportError } from '../../components/report-error';
import type { ReviewProgressFragment } from '../../gql/graphql';
import { APPROVAL_STATUS_LABEL, DECISION_LABEL, STEP_STATUS_LABEL } from '../../labels';
import { shortDateTime } from '../../workdays';
import { submitProblems, type DraftProblem } from './drafts';
import { SUBMIT } from './queries';

const STEP_STATE = {
  APPROVED: 'finish',
  REJECTED: 'error',
  PENDING: 'process',
} as const;

/** A 分解审定's steps: who approves each, what they decided and when. */
export function ReviewProgress({ review }: { review: ReviewProgressFragment }) {
  const steps = [...review.steps].sort((a, b) => a.position - b.position);
  return (
    <Card
      size="small"
      title={`分解审定：${APPROVAL_STATUS_LABEL[review.status]}`}
      extra={<Link to={`/approvals/${review.id}`}>审批详情</Link>}
      data-testid="review-progress"
    >
      <Typography.Paragraph type="secondary">提交于 {shortDateTime(review.createdAt)}</Typography.Paragraph>
      <Steps
        direction="vertical"
        size="small"
        items={steps.map((step) => {
          const nameOf = new Map(step.approvers.map((u) => [u.id, u.displayName]));
          return {
            title: `${step.name} · ${STEP_STATUS_LABEL[step.status]}`,
            status: STEP_STATE[step.status as keyof typeof STEP_STATE] ?? 'wait',
            description: (
              <>
                {step.approvers.length > 0 && (
                  <div>审批人：{step.approvers.map((u) => u.displayName).join('、')}</div>
                )}
                {step.decisions.map((d) => (
                  <div key={d.id}>
                    {nameOf.get(d.approverId) ?? '审批人'} {DECISION_LABEL[d.decision]} ·{' '}
                    {shortDateTime(d.decidedAt)}
                    {d.comment && `：${d.comment}`}
                  </div>
                ))}
              </>
            ),
          };
        })}
      />
    </Card>
  );
}

/** The problems that block submitting, each leading to its draft. */
export function ProblemList({ problems, open }: { problems: DraftProblem[]; open(draftId: string): void }) {
  return (
    <List
      size="small"
      bordered
      dataSource={problems}
      rowKey={(p) => `${p.draftId}:${p.field}:${p.message}`}
      pagination={problems.length > 10 ? { pageSize: 10, size: 'small' } : false}
      renderItem={(p) => (
        <List.Item
          actions={[
            <Button key="open" type="link" onClick={() => open(p.draftId)}>
              去修改
            </Button>,
          ]}
        >
          <span>
            <Typography.Text strong>第 {p.code} 项</Typography.Text> {p.title}：{p.message}
          </span>
        </List.Item>
      )}
    />
  );
}

/**
 * 提交审定: the problems listed first (what the drafts show, and what a refused submission names), a note for the
 * approvers, and once submitted the approval's progress.
 */
export function ReviewTab({
  planId,
  problems,
  draftCount,
  review,
  titleOf,
  open: openDraft,
  onSubmitted,
}: {
  planId: string;
  problems: DraftProblem[];
  draftCount: number;
  review: ReviewProgressFragment | undefined;
  titleOf(id: string): string;
  open(draftId: string): void;
  onSubmitted(): unknown;
}) {
  const [comment, setComment] = useState('');
  const [refused, setRefused] = useState<DraftProblem[]>([]);
  const [submit, { loading }] = useMutation(SUBMIT);
  const { modal, message } = App.useApp();
  const report = useReportError();
  const pending = review?.status === 'PENDING';
  // Nothing left to submit once every draft is published (or before any exists).
  const open = !pending && draftCount > 0;
  const listed = problems.length ? problems : refused;

  const send = async () => {
    try {
      await submit({ variables: { input: { planId, comment } } });
      setRefused([]);
      void message.success('已提交任务分解审定');
      await onSubmitted();
    } catch (e) {
      const found = CombinedGraphQLErrors.is(e) ? submitProblems(e.errors[0]?.extensions, titleOf) : [];
      if (found.length) setRefused(found);
      else report(e);
    }
  };
  const confirm = () =>
    modal.confirm({
      title: `提交 ${draftCount} 条任务草稿审定？`,
      content: '审定期间草稿不能修改；审定通过后生成任务并交办到各单位。',
      okText: '提交审定',
      onOk: send,
    });

  return (
    <Space direction="vertical" style={{ width: '100%' }} size={16}>
      {review && <ReviewProgress review={review} />}
      {!open && !pending && (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={review ? '草稿已全部发布为任务，各单位已在“我的任务”中收到' : '该计划没有任务草稿'}
        />
      )}
      {open && (
        <Card size="small" title={`提交前的问题（${listed.length}）`}>
          {listed.length ? (
            <>
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 12 }}
                title="以下问题需先处理：指定单位或责任领导，或删除不作为任务的草稿"
              />
              <ProblemList problems={listed} open={openDraft} />
            </>
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有需要处理的问题，可以提交审定" />
          )}
        </Card>
      )}
      {open && (
        <Card size="small" title="提交任务分解审定" className="with-action-bar">
          <Input.TextArea
            aria-label="提交说明"
            placeholder="提交说明（可不填）"
            maxLength={2000}
            autoSize={{ minRows: 2, maxRows: 4 }}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
          <div className="action-bar" style={{ marginTop: 12 }}>
            <Button
              type="primary"
              loading={loading}
              disabled={problems.length > 0 || !draftCount}
              onClick={() => void confirm()}
            >
              提交审定
            </Button>
          </div>
        </Card>
      )}
    </Space>
  );
}
