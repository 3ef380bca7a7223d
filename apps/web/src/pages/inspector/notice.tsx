import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, App, Button, Card, Descriptions, Empty, Result, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useSession } from '../../auth';
import { ReasonDialog } from '../../components/reason-dialog';
import { classifyError } from '../../errors';
import { graphql } from '../../gql';
import { UNIT_ROLES } from '../../labels';
import { longDate, shortDate } from '../../workdays';
import { ForbiddenPage } from '../forbidden';
import { LightLabel } from '../signals';
import { NoticeStatusTag, ResponseDue } from './parts';

const NOTICE = graphql(`
  query SupervisionNotice($id: ID!) {
    supervisionNotice(id: $id) {
      id
      code
      status
      version
      reason
      openedAt
      openedById
      responseDueAt
      responseWorkdays
      response
      newPlan
      answeredAt
      returnCount
      returnReason
      closedAt
      assignment {
        ...SupervisedShare
      }
    }
  }
`);

const ACCEPT_ANSWER = graphql(`
  mutation AcceptSupervisionAnswer($input: ReviewSupervisionNoticeInput!) {
    acceptSupervisionAnswer(input: $input) {
      id
      status
      version
    }
  }
`);

const RETURN_ANSWER = graphql(`
  mutation ReturnSupervisionAnswer($input: ReviewSupervisionNoticeInput!) {
    returnSupervisionAnswer(input: $input) {
      id
      status
      version
    }
  }
`);

const preWrap = { whiteSpace: 'pre-wrap' } as const;

/** A 督办单: why it was opened, the unit's answer, and for the 督查室 退回 or 接受. */
export default function SupervisionNoticePage() {
  const { id = '' } = useParams();
  const { viewer } = useSession();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const [returning, setReturning] = useState(false);
  const { data, loading, error, refetch } = useQuery(NOTICE, {
    variables: { id },
    fetchPolicy: 'cache-and-network',
  });
  const [accept, { loading: accepting }] = useMutation(ACCEPT_ANSWER);
  const [sendBack] = useMutation(RETURN_ANSWER);

  if (error) {
    const ui = classifyError(error);
    if (ui.kind === 'forbidden') return <ForbiddenPage />;
    return <Result status="warning" title="无法打开督办单" subTitle={ui.message} />;
  }
  const notice = data?.supervisionNotice;
  if (!notice) return loading ? <Spin /> : null;
  const share = notice.assignment;
  const reviewer = viewer?.role === 'INSPECTOR' || viewer?.role === 'ADMIN';
  const unit = viewer ? UNIT_ROLES.includes(viewer.role) : false;

  const confirmAccept = () =>
    modal.confirm({
      title: '接受答复并办结督办单？',
      content: '接受后督办单办结，承办单位会收到通知；此操作不能撤回。',
      okText: '接受',
      cancelText: '取消',
      onOk: async () => {
        try {
          await accept({ variables: { input: { noticeId: notice.id, version: notice.version } } });
          await refetch();
          void message.success(`已接受答复，督办单${notice.code}办结`);
        } catch (failure) {
          const ui = classifyError(failure);
          void message.error(ui.message);
          if (ui.kind === 'conflict') void refetch();
        }
      },
    });

  return (
    <section>
      <Link to="/supervision-notices">← 返回督办单</Link>
      <h1 className="page-title" style={{ marginTop: 8 }}>
        督办单 {notice.code} <NoticeStatusTag notice={notice} />
      </h1>
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label="任务" span={2}>
          <Link to={`/tasks/${share.id}`}>{share.task.title}</Link>
          <Typography.Text type="secondary"> · 序号 {share.task.code}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label="承办单位">{share.orgUnit.name}</Descriptions.Item>
        <Descriptions.Item label="红黄绿灯">
          <LightLabel assignment={share} />
        </Descriptions.Item>
        <Descriptions.Item label="完成时限">{longDate(share.dueAt)}</Descriptions.Item>
        <Descriptions.Item label="开具">
          {shortDate(notice.openedAt)} · {notice.openedById ? '督查室开具' : '督办流程自动开具'}
        </Descriptions.Item>
        <Descriptions.Item label="督办事由" span={2}>
          <span style={preWrap}>{notice.reason}</span>
        </Descriptions.Item>
        <Descriptions.Item label="答复时限">
          <ResponseDue notice={notice} />
          <Typography.Text type="secondary"> （{notice.responseWorkdays} 个工作日）</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label="退回次数">{notice.returnCount}</Descriptions.Item>
      </Descriptions>

      {notice.returnReason && notice.status === 'OPEN' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={`答复已退回（第 ${notice.returnCount} 次），请于${longDate(notice.responseDueAt)}前重新答复`}
          description={<span style={preWrap}>退回理由：{notice.returnReason}</span>}
        />
      )}

      <Card title="单位答复" size="small" style={{ marginBottom: 16 }}>
        {notice.response ? (
          <Descriptions size="small" column={1}>
            <Descriptions.Item label="整改说明">
              <span style={preWrap}>{notice.response}</span>
            </Descriptions.Item>
            <Descriptions.Item label="新的推进计划">
              <span style={preWrap}>{notice.newPlan}</span>
            </Descriptions.Item>
            {notice.answeredAt && (
              <Descriptions.Item label="答复时间">{shortDate(notice.answeredAt)}</Descriptions.Item>
            )}
          </Descriptions>
        ) : (
          <Empty description={`单位尚未答复；答复时限为${longDate(notice.responseDueAt)}`} />
        )}
        {notice.response && notice.status === 'OPEN' && (
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
            以上为被退回的答复，等待单位重新答复。
          </Typography.Paragraph>
        )}
      </Card>

      {reviewer && notice.status === 'ANSWERED' && (
        <Space className="action-bar" wrap>
          <Button type="primary" loading={accepting} onClick={() => void confirmAccept()}>
            接受答复
          </Button>
          <Button danger onClick={() => setReturning(true)}>
            退回
          </Button>
        </Space>
      )}
      {unit && notice.status === 'OPEN' && (
        <Space className="action-bar">
          <Button type="primary" onClick={() => void navigate(`/tasks/${share.id}`)}>
            去答复
          </Button>
        </Space>
      )}
      {notice.status === 'CLOSED' && notice.closedAt && (
        <Typography.Paragraph type="secondary">
          督办单已于{longDate(notice.closedAt)}办结。
        </Typography.Paragraph>
      )}

      {returning && (
        <ReasonDialog
          title="退回答复"
          intro={`退回后，${share.orgUnit.name}须在 ${notice.responseWorkdays} 个工作日内重新答复。`}
          okText="退回"
          reasonLabel="退回理由"
          reasonPlaceholder="说明答复哪里不足、需要补充什么"
          maxLength={2000}
          danger
          onClose={() => setReturning(false)}
          onConflict={() => void refetch()}
          onSubmit={async ({ reason }) => {
            await sendBack({
              variables: { input: { noticeId: notice.id, version: notice.version, reason } },
            });
            // The new answer window and the return's reason, as the API now has them.
            await refetch();
            setReturning(false);
            void message.success(`已退回，已通知${share.orgUnit.name}重新答复`);
          }}
        />
      )}
    </section>
  );
}
