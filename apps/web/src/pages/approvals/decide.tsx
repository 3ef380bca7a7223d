import { useMutation, useQuery } from '@apollo/client/react';
import { App, Button, Card, Form, Input, Result, Space, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { classifyError } from '../../errors';
import { graphql } from '../../gql';
import type { ApprovalDecisionKind, RequestDetailFragment } from '../../gql/graphql';
import { APPROVAL_KIND_LABEL, DECISION_LABEL } from '../../labels';
import {
  approvalIsFinal,
  confirmationFor,
  decisionProblem,
  nextWaiting,
  outcomeText,
  type StepState,
} from './decision';
import { APPROVAL_INBOX } from './inbox';
import { requestSubject, stepLabel } from './summary';

const DECIDE = graphql(`
  mutation DecideApproval($input: DecideApprovalInput!) {
    decideApproval(input: $input) {
      ...RequestDetail
    }
  }
`);

/** The viewer's decision on this page's request: the page then shows what became of it and offers the next. */
export interface Decided {
  requestId: string;
  decision: ApprovalDecisionKind;
}

const COMMENT_MAX = 2000;

/** 审批意见 with 同意 / 退回; on a phone the two buttons sit in a bar at the bottom of the screen. */
export function DecisionCard({
  request,
  step,
  viewerId,
  onDecided,
  reload,
}: {
  request: RequestDetailFragment;
  step: StepState;
  viewerId: string;
  onDecided(decided: Decided): void;
  reload(): void;
}) {
  const { modal, message } = App.useApp();
  const [form] = Form.useForm<{ comment?: string }>();
  const [sending, setSending] = useState<ApprovalDecisionKind | null>(null);
  const [decide] = useMutation(DECIDE);
  const final = approvalIsFinal(request.steps, step, viewerId);

  const send = async (decision: ApprovalDecisionKind) => {
    const comment = (form.getFieldValue('comment') as string | undefined) ?? '';
    const problem = decisionProblem(decision, comment);
    form.setFields([{ name: 'comment', errors: problem ? [problem] : [] }]);
    if (problem) return;
    const confirmation = confirmationFor(decision, request.kind, final);
    if (confirmation) {
      const go = await modal.confirm({
        ...confirmation,
        cancelText: '取消',
        okButtonProps: { danger: decision === 'REJECT' },
      });
      if (!go) return;
    }
    setSending(decision);
    try {
      await decide({ variables: { input: { requestId: request.id, decision, comment: comment.trim() } } });
      void message.success(`已${DECISION_LABEL[decision]}`);
      onDecided({ requestId: request.id, decision });
    } catch (err) {
      const mapped = classifyError(err);
      if (mapped.kind === 'field' && mapped.field === 'comment') {
        form.setFields([{ name: 'comment', errors: [mapped.message] }]);
      } else if (mapped.kind === 'conflict') {
        // Someone decided first, or the request was withdrawn: show it as it is now.
        void message.warning(mapped.message);
        reload();
      } else if (mapped.kind !== 'network' && mapped.kind !== 'unauthenticated') {
        void message.error(mapped.message);
      }
    } finally {
      setSending(null);
    }
  };

  const buttons = (
    <Space>
      <Button
        type="primary"
        loading={sending === 'APPROVE'}
        disabled={sending !== null}
        onClick={() => void send('APPROVE')}
      >
        同意
      </Button>
      <Button
        danger
        loading={sending === 'REJECT'}
        disabled={sending !== null}
        onClick={() => void send('REJECT')}
      >
        退回
      </Button>
    </Space>
  );

  return (
    <Card title={`审批意见 · ${stepLabel(request)}`} size="small">
      <Form form={form} layout="vertical" disabled={sending !== null}>
        <Form.Item
          name="comment"
          label="审批意见"
          extra={final ? '这是最后一步审批。退回时必须填写意见。' : '退回时必须填写意见，申请单位将看到它。'}
        >
          <Input.TextArea
            rows={3}
            maxLength={COMMENT_MAX}
            showCount
            placeholder="同意可不填；退回请说明理由"
          />
        </Form.Item>
      </Form>
      <div className="action-bar">{buttons}</div>
    </Card>
  );
}

/** After deciding: what became of the request, and the next waiting item — or that none is left. */
export function DecidedCard({ decided, request }: { decided: Decided; request: RequestDetailFragment }) {
  const navigate = useNavigate();
  // Asked afresh: the inbox has just changed, by this decision and perhaps by others'.
  const { data, loading } = useQuery(APPROVAL_INBOX, {
    variables: { first: 2, after: null },
    fetchPolicy: 'network-only',
  });
  const next = nextWaiting(data?.myApprovalInbox.edges.map((e) => e.node) ?? [], request.id);
  let offer: ReactNode = null;
  if (next) {
    offer = (
      <Button type="primary" onClick={() => void navigate(`/approvals/${next.id}`)}>
        下一条：{APPROVAL_KIND_LABEL[next.kind]} · {requestSubject(next)}
      </Button>
    );
  } else if (data) {
    offer = (
      <Space orientation="vertical" size={4}>
        <Typography.Text>没有待审批的申请了。</Typography.Text>
        <Link to="/approvals">返回待我审批</Link>
      </Space>
    );
  }
  return (
    <Card size="small">
      <Result
        status={decided.decision === 'APPROVE' ? 'success' : 'info'}
        title={`已${DECISION_LABEL[decided.decision]}`}
        subTitle={outcomeText(request, stepLabel(request))}
        extra={loading && !data ? null : offer}
      />
    </Card>
  );
}
