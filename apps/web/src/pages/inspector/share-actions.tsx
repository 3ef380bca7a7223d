import { useMutation } from '@apollo/client/react';
import type { ResultOf } from '@graphql-typed-document-node/core';
import { App, Button, Form, InputNumber, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ReasonDialog } from '../../components/reason-dialog';
import { graphql } from '../../gql';
import { ESCALATION_ACTION_LABEL } from '../../labels';

const ESCALATE_NOW = graphql(`
  mutation EscalateNow($assignmentId: ID!, $reason: String!) {
    escalateNow(assignmentId: $assignmentId, reason: $reason) {
      id
      action
    }
  }
`);

const SKIP_LEVEL = graphql(`
  mutation SkipEscalationLevel($assignmentId: ID!, $reason: String!) {
    skipEscalationLevel(assignmentId: $assignmentId, reason: $reason) {
      id
      action
    }
  }
`);

const OPEN_NOTICE = graphql(`
  mutation OpenSupervisionNotice($input: OpenSupervisionNoticeInput!) {
    openSupervisionNotice(input: $input) {
      id
      code
    }
  }
`);

/** What the 督查室's pages show of a share (spread as `...SupervisedShare`): unit, task, light, deadline, next step. */
export const SUPERVISED_SHARE = graphql(`
  fragment SupervisedShare on Assignment {
    id
    status
    light
    daysOverdue
    dueAt
    lastReportAt
    orgUnit {
      id
      name
    }
    task {
      id
      code
      title
    }
    nextEscalation {
      label
    }
    escalateNowTo
  }
`);

export type SupervisedShare = ResultOf<typeof SUPERVISED_SHARE>;

export type ShareAction = 'escalate' | 'skip' | 'notice';

/** The inspector's levers on a share (立即升级, 跳过, 开具督办单): each a form with its required reason. */
export function useShareActions(onDone: () => void) {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [target, setTarget] = useState<{ action: ShareAction; share: SupervisedShare } | null>(null);
  const [escalate] = useMutation(ESCALATE_NOW);
  const [skip] = useMutation(SKIP_LEVEL);
  const [openNotice] = useMutation(OPEN_NOTICE);
  const close = () => setTarget(null);

  let dialog = null;
  if (target) {
    const { action, share } = target;
    const intro = (
      <Typography.Paragraph style={{ marginBottom: 0 }}>
        {share.task.title} · {share.orgUnit.name}
        <br />
        <Typography.Text type="secondary">
          {action !== 'notice' && share.escalateNowTo
            ? `${action === 'escalate' ? '将升级至' : '将跳过'}：${ESCALATION_ACTION_LABEL[share.escalateNowTo]}`
            : (share.nextEscalation?.label ?? '督办流程没有下一级')}
        </Typography.Text>
      </Typography.Paragraph>
    );
    if (action === 'notice') {
      dialog = (
        <ReasonDialog<{ reason: string; responseWorkdays: number }>
          title="开具督办单"
          intro={intro}
          okText="开具"
          reasonLabel="督办事由"
          reasonPlaceholder="如：逾期未完成，请说明原因并提出整改措施"
          maxLength={2000}
          initialValues={{ responseWorkdays: 3 }}
          onClose={close}
          onConflict={onDone}
          onSubmit={async ({ reason, responseWorkdays }) => {
            const { data } = await openNotice({
              variables: { input: { assignmentId: share.id, reason, responseWorkdays } },
            });
            const notice = data!.openSupervisionNotice;
            close();
            onDone();
            void message.success({
              content: (
                <span>
                  已开具督办单{notice.code}，已通知承办单位。
                  {/* Messages render outside the router: navigate by hand rather than with a Link. */}
                  <Button
                    type="link"
                    size="small"
                    onClick={() => void navigate(`/supervision-notices/${notice.id}`)}
                  >
                    查看督办单
                  </Button>
                </span>
              ),
              duration: 8,
            });
          }}
        >
          <Form.Item
            name="responseWorkdays"
            label="答复时限（工作日）"
            rules={[{ required: true, type: 'integer', min: 1, max: 30, message: '请填写 1–30 个工作日' }]}
          >
            <InputNumber min={1} max={30} precision={0} style={{ width: 120 }} />
          </Form.Item>
        </ReasonDialog>
      );
    } else {
      const escalating = action === 'escalate';
      dialog = (
        <ReasonDialog
          title={escalating ? '立即升级' : '跳过下一级'}
          intro={intro}
          okText={escalating ? '立即升级' : '跳过'}
          reasonLabel={escalating ? '升级理由' : '跳过理由'}
          reasonPlaceholder="理由记入操作日志"
          maxLength={1000}
          danger={escalating}
          onClose={close}
          onConflict={onDone}
          onSubmit={async ({ reason }) => {
            const variables = { assignmentId: share.id, reason };
            const result = escalating
              ? (await escalate({ variables })).data?.escalateNow
              : (await skip({ variables })).data?.skipEscalationLevel;
            close();
            onDone();
            const level = result ? ESCALATION_ACTION_LABEL[result.action] : '';
            void message.success(`${escalating ? '已升级' : '已跳过'}：${level}（理由已记入操作日志）`);
          }}
        />
      );
    }
  }
  return { act: (action: ShareAction, share: SupervisedShare) => setTarget({ action, share }), dialog };
}
