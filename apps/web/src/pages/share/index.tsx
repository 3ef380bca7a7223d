import { DownOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Drawer,
  Dropdown,
  Empty,
  Grid,
  Progress,
  Result,
  Row,
  Space,
  Spin,
  Table,
  Timeline,
  Typography,
} from 'antd';
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useSession } from '../../auth';
import { classifyError, CONFLICT_MESSAGE } from '../../errors';
import { graphql } from '../../gql';
import { formatDue, nextStep } from '../../labels';
import { longDate, shortDate } from '../../workdays';
import { ForbiddenPage } from '../forbidden';
import { DueDate, LightLabel, StatusTag, useWorkCalendar } from '../signals';
import { ACTION_LABEL, availableActions, type ShareAction } from './actions';
import { AnswerForm } from './answer-form';
import { CloseOutForm } from './close-out-form';
import { ExtensionForm } from './extension-form';
import { ProgressForm } from './progress-form';
import { AFTER_CHANGE, SHARE, type ActionFormProps, type Outcome, type Share } from './share-query';
import { SplitForm } from './split-form';
import { TimelineCard } from './timeline-card';
import { useSubmit } from './use-submit';

const ACCEPT = graphql(`
  mutation AcceptShare($input: AssignmentTransitionInput!) {
    acceptAssignment(input: $input) {
      id
      version
      status
    }
  }
`);

interface Banner {
  type: 'success' | 'warning';
  text: string;
  next?: ShareAction;
}

type FormAction = Exclude<ShareAction, 'accept'>;

function ActionForm({ action, phone, ...props }: ActionFormProps & { action: FormAction; phone: boolean }) {
  switch (action) {
    case 'report':
      return <ProgressForm {...props} phone={phone} />;
    case 'closeOut':
      return <CloseOutForm {...props} />;
    case 'extend':
      return <ExtensionForm {...props} />;
    case 'answer':
      return <AnswerForm {...props} />;
    case 'split':
      return <SplitForm {...props} />;
  }
}

/** The actions as buttons: a card under the title, or at phone width a bar fixed to the bottom. */
function ActionBar({
  actions,
  phone,
  busy,
  onPick,
}: {
  actions: ShareAction[];
  phone: boolean;
  busy: boolean;
  onPick: (action: ShareAction) => void;
}) {
  const button = (action: ShareAction, primary: boolean) => (
    <Button
      key={action}
      type={primary ? 'primary' : 'default'}
      loading={busy && action === 'accept'}
      disabled={busy}
      onClick={() => onPick(action)}
      style={phone ? { flex: 1 } : undefined}
    >
      {ACTION_LABEL[action]}
    </Button>
  );
  if (!phone) {
    return (
      <Card size="small" title="办理" style={{ marginBottom: 16 }}>
        <Space wrap>{actions.map((a, i) => button(a, i === 0))}</Space>
      </Card>
    );
  }
  // Two buttons fit beside each other at 390 px; the rest go into 更多.
  const [first, second, ...rest] = actions;
  return (
    <nav aria-label="办理" className="action-bar">
      {button(first, true)}
      {second && button(second, false)}
      {rest.length > 0 && (
        <Dropdown
          trigger={['click']}
          menu={{
            items: rest.map((a) => ({ key: a, label: ACTION_LABEL[a] })),
            onClick: ({ key }) => onPick(key as ShareAction),
          }}
        >
          <Button disabled={busy} aria-label="更多办理事项">
            更多 <DownOutlined aria-hidden />
          </Button>
        </Dropdown>
      )}
    </nav>
  );
}

const leaderName = (leader: Share['task']['responsibleLeader']) =>
  leader ? `${leader.displayName}${leader.title ? `（${leader.title}）` : ''}` : '—';

function ShareCard({ share, calendar }: { share: Share; calendar: ReturnType<typeof useWorkCalendar> }) {
  const pending = share.approvalRequests.filter((r) => r.status === 'PENDING');
  return (
    <Card title="本单位承办" size="small">
      <Descriptions column={{ xs: 1, md: 2 }} size="small">
        <Descriptions.Item label="承办单位">{share.orgUnit.name}</Descriptions.Item>
        <Descriptions.Item label="状态">
          <StatusTag status={share.status} />
        </Descriptions.Item>
        <Descriptions.Item label="红黄绿灯">
          <LightLabel assignment={share} />
        </Descriptions.Item>
        <Descriptions.Item label="完成时限">
          <DueDate assignment={share} calendar={calendar} />
        </Descriptions.Item>
        <Descriptions.Item label="原完成时限">
          {share.originalDueAt ? longDate(share.originalDueAt) : '未延期'}
        </Descriptions.Item>
        <Descriptions.Item label="延期次数">{share.extensionCount}</Descriptions.Item>
        <Descriptions.Item label="进度">
          <Progress percent={share.progressPercent} size="small" style={{ width: 160 }} aria-label="进度" />
        </Descriptions.Item>
        <Descriptions.Item label="下一步">{nextStep(share.nextEscalation)}</Descriptions.Item>
        {share.parent && (
          <Descriptions.Item label="分解自">
            {share.parent.orgUnit.name}（完成时限 {formatDue(share.parent, shortDate)}）
          </Descriptions.Item>
        )}
        <Descriptions.Item label="最近报送">
          {share.lastReportAt ? shortDate(share.lastReportAt) : '未报送'}
        </Descriptions.Item>
      </Descriptions>
      {pending.map((r) => {
        const step = r.steps.find((s) => s.position === r.currentStep);
        const kind = r.kind === 'CLOSE_OUT' ? '销号' : r.kind === 'EXTENSION' ? '延期' : '调整';
        return (
          <Alert
            key={r.id}
            type="info"
            showIcon
            style={{ marginTop: 12 }}
            title={`${kind}审批中${step ? `：第 ${step.position} 步 ${step.name}` : ''}`}
          />
        );
      })}
    </Card>
  );
}

function TaskCard({ task }: { task: Share['task'] }) {
  const names = (units: { name: string }[]) => units.map((u) => u.name).join('、') || '—';
  return (
    <Card title="任务" size="small">
      <Descriptions column={1} size="small">
        <Descriptions.Item label="编号">{task.code}</Descriptions.Item>
        <Descriptions.Item label="任务内容">
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
            {task.description}
          </Typography.Paragraph>
        </Descriptions.Item>
        <Descriptions.Item label="牵头单位">{names(task.leadUnits)}</Descriptions.Item>
        <Descriptions.Item label="配合单位">{names(task.supportUnits)}</Descriptions.Item>
        <Descriptions.Item label="责任领导">{leaderName(task.responsibleLeader)}</Descriptions.Item>
        <Descriptions.Item label="完成时限">{formatDue(task, longDate)}</Descriptions.Item>
      </Descriptions>
      <Typography.Title level={2} style={{ fontSize: 14, margin: '12px 0 8px' }}>
        时间节点
      </Typography.Title>
      {task.milestones.length ? (
        <Timeline
          items={task.milestones.map((m) => ({ key: m.id, content: `${longDate(m.dueAt)}　${m.title}` }))}
        />
      ) : (
        <Empty description="未设时间节点" image={Empty.PRESENTED_IMAGE_SIMPLE} />
      )}
    </Card>
  );
}

/** The subdistricts a department's share was split to, one row each, in aligned columns. */
function PartsCard({ parts }: { parts: Share['children'] }) {
  type Part = Share['children'][number];
  return (
    <Card title={`分解情况（${parts.length} 个街镇）`} size="small">
      <Table<Part>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={parts}
        columns={[
          {
            title: '街镇',
            key: 'unit',
            render: (_, part) => <Link to={`/tasks/${part.id}`}>{part.orgUnit.name}</Link>,
          },
          { title: '状态', key: 'status', render: (_, part) => <StatusTag status={part.status} /> },
          { title: '完成时限', key: 'due', render: (_, part) => formatDue(part, shortDate) },
          {
            title: '进度',
            key: 'progress',
            width: 120,
            render: (_, part) => (
              <Progress percent={part.progressPercent} size="small" aria-label={`${part.orgUnit.name}进度`} />
            ),
          },
        ]}
      />
    </Card>
  );
}

export default function SharePage() {
  const { id = '' } = useParams();
  const { viewer } = useSession();
  const calendar = useWorkCalendar();
  const phone = !Grid.useBreakpoint().md;
  const [active, setActive] = useState<FormAction | null>(null);
  const [banner, setBanner] = useState<Banner | null>(null);
  const { data, loading, error, refetch } = useQuery(SHARE, { variables: { id }, errorPolicy: 'all' });
  const [accept] = useMutation(ACCEPT, AFTER_CHANGE);
  const share = data?.assignment;
  const actions = share && viewer ? availableActions(share, viewer) : [];

  /** After a conflict: the fresh share, and if the form's action is no longer allowed, the form closes. */
  const reload = async () => {
    const fresh = (await refetch()).data?.assignment;
    if (fresh && viewer && active && !availableActions(fresh, viewer).includes(active)) {
      setActive(null);
      setBanner({ type: 'warning', text: `${CONFLICT_MESSAGE}；该操作已不可办理` });
    }
  };
  const accepting = useSubmit(
    null,
    () => null,
    async () => {
      setBanner({ type: 'warning', text: CONFLICT_MESSAGE });
      await refetch();
    },
  );

  if (loading && !data) return <Spin />;
  if (!share) {
    const mapped = classifyError(error);
    if (mapped.kind === 'forbidden') return <ForbiddenPage message={mapped.message} />;
    return <Result status="warning" title="无法载入该任务" subTitle={mapped.message} />;
  }

  const pick = async (action: ShareAction) => {
    setBanner(null);
    if (action !== 'accept') {
      setActive(action);
      return;
    }
    const ok = await accepting.run(() =>
      accept({ variables: { input: { assignmentId: share.id, version: share.version } } }),
    );
    if (ok) setBanner({ type: 'success', text: '已签收；下一步可报送进展', next: 'report' });
  };

  const done = (outcome: Outcome) => {
    setActive(null);
    setBanner({ type: 'success', ...outcome, text: outcome.message });
  };

  const next = banner?.next && actions.includes(banner.next) ? banner.next : undefined;
  const bannerActions = (
    <Space wrap>
      {next && (
        <Button size="small" type="primary" onClick={() => void pick(next)}>
          下一步：{ACTION_LABEL[next]}
        </Button>
      )}
      <Link to="/tasks">返回我的任务</Link>
    </Space>
  );
  // At phone width the next step goes under the message, which would otherwise be squeezed beside it.
  const bannerView: ReactNode = banner && (
    <Alert
      type={banner.type}
      showIcon
      closable={{ 'aria-label': '关闭提示' }}
      onClose={() => setBanner(null)}
      role={banner.type === 'warning' ? 'alert' : 'status'}
      style={{ marginBottom: 16 }}
      title={banner.text}
      description={phone ? bannerActions : undefined}
      action={phone ? undefined : bannerActions}
    />
  );

  return (
    <section className={phone && actions.length ? 'with-action-bar' : undefined}>
      <Space style={{ marginBottom: 8 }}>
        <Link to="/tasks">← 返回我的任务</Link>
      </Space>
      <h1 className="page-title">{share.task.title}</h1>
      {bannerView}
      {actions.length > 0 && (
        <ActionBar actions={actions} phone={phone} busy={accepting.sending} onPick={(a) => void pick(a)} />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <ShareCard share={share} calendar={calendar} />
            {share.children.length > 0 && <PartsCard parts={share.children} />}
            <TaskCard task={share.task} />
          </Space>
        </Col>
        <Col xs={24} lg={10}>
          <TimelineCard share={share} audit={data.auditTrail ?? []} />
        </Col>
      </Row>
      <Drawer
        open={active !== null}
        title={active ? ACTION_LABEL[active] : ''}
        placement={phone ? 'bottom' : 'right'}
        size={phone ? '90%' : 560}
        destroyOnHidden
        onClose={() => setActive(null)}
      >
        {active && (
          <ActionForm
            action={active}
            phone={phone}
            share={share}
            reload={reload}
            onDone={done}
            onCancel={() => setActive(null)}
          />
        )}
      </Drawer>
    </section>
  );
}
