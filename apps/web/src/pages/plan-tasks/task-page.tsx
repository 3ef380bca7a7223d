import { useMutation, useQuery } from '@apollo/client/react';
import {
  App,
  Alert,
  Breadcrumb,
  Button,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  List,
  Progress,
  Radio,
  Result,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useSession } from '../../auth';
import { FormModal } from '../../components/form-modal';
import { ReasonDialog } from '../../components/reason-dialog';
import { ResponsiveList } from '../../components/responsive-list';
import { UnitSelect } from '../../components/unit-select';
import { classifyError } from '../../errors';
import type { AssignmentRole, OrgUnitKind, PlanTaskQuery } from '../../gql/graphql';
import {
  APPROVAL_STATUS_LABEL,
  ASSIGNER_ROLES,
  ASSIGNMENT_ROLE_LABEL,
  TASK_PRIORITY_LABEL,
  TASK_STATUS_LABEL,
} from '../../labels';
import { longDate, shortDate, shortDateTime } from '../../workdays';
import { ForbiddenPage } from '../forbidden';
import { DueDate, LightLabel, StatusTag, useWorkCalendar } from '../signals';
import { endOfBeijingDay } from '../share/rules';
import {
  AFTER_TASK_CHANGE,
  ASSIGN_TASK,
  PLAN_TASK,
  REQUEST_ADJUSTMENT,
  RESUME_SHARE,
  SUSPEND_SHARE,
  UNASSIGN_SHARE,
} from './queries';
import { adjustmentInput, type AdjustmentValues } from './task-form';

type Task = PlanTaskQuery['task'];
type Share = Task['assignments'][number];

const SHARE_KINDS: OrgUnitKind[] = ['DEPARTMENT', 'SUBDISTRICT', 'TOWN'];

type Dialog = { kind: 'suspend' | 'resume'; share: Share } | { kind: 'adjust' } | { kind: 'assign' } | null;

/** A share's role: 牵头 / 配合, or 分解 for a part a department split off to a subdistrict. */
const roleLabel = (share: Share) =>
  share.parentId ? '分解' : ASSIGNMENT_ROLE_LABEL[share.role].replace('单位', '');

function ShareDue({ share, calendar }: { share: Share; calendar: ReturnType<typeof useWorkCalendar> }) {
  return (
    <Space orientation="vertical" size={0}>
      <DueDate assignment={share} calendar={calendar} />
      {share.originalDueAt && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          原完成时限 {shortDate(share.originalDueAt)} · 延期 {share.extensionCount} 次
        </Typography.Text>
      )}
    </Space>
  );
}

/** A task's page: the task, every share and its state, and the leader's levers (调整, 暂停 / 恢复, 交办, 撤销). */
export default function TaskPage() {
  const { id = '' } = useParams();
  const { message, modal } = App.useApp();
  const calendar = useWorkCalendar();
  // Leaders and admins act on the task; the 督查室 and units read it (as the API allows).
  const { viewer } = useSession();
  const assigner = viewer ? ASSIGNER_ROLES.includes(viewer.role) : false;
  const { data, loading, error, refetch } = useQuery(PLAN_TASK, {
    variables: { id },
    fetchPolicy: 'cache-and-network',
  });
  const [dialog, setDialog] = useState<Dialog>(null);
  const [suspend] = useMutation(SUSPEND_SHARE, AFTER_TASK_CHANGE);
  const [resume] = useMutation(RESUME_SHARE, AFTER_TASK_CHANGE);
  const [unassign] = useMutation(UNASSIGN_SHARE, AFTER_TASK_CHANGE);
  const [requestAdjustment] = useMutation(REQUEST_ADJUSTMENT, AFTER_TASK_CHANGE);

  if (error && classifyError(error).kind === 'forbidden') return <ForbiddenPage />;
  if (!data) {
    return error ? (
      <Result
        status="warning"
        title={classifyError(error).message}
        extra={<Button onClick={() => void refetch()}>重试</Button>}
      />
    ) : (
      <Spin spinning={loading} />
    );
  }
  const task = data.task;
  const requests = data.approvalRequests.edges.map((e) => e.node);
  const close = () => setDialog(null);
  // 撤销 cannot be undone (the parts split off go with it): asked first.
  const withdraw = (share: Share) =>
    void modal.confirm({
      title: `撤销 ${share.orgUnit.name} 的分工？`,
      content: '连同其分解给街镇的部分一并撤销，撤销后不能恢复；如需可重新交办。',
      okText: '撤销',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: async () => {
        try {
          await unassign({ variables: { assignmentId: share.id } });
          void message.success(`已撤销 ${share.orgUnit.name} 的分工`);
        } catch (error) {
          void message.error(classifyError(error).message);
        }
      },
    });

  const actions = (share: Share) => {
    if (!assigner || share.status === 'CLOSED') return [];
    return [
      share.status === 'SUSPENDED' ? (
        <Button key="resume" type="link" size="small" onClick={() => setDialog({ kind: 'resume', share })}>
          恢复
        </Button>
      ) : (
        <Button key="suspend" type="link" size="small" onClick={() => setDialog({ kind: 'suspend', share })}>
          暂停
        </Button>
      ),
      ...(share.parentId
        ? []
        : [
            <Button key="withdraw" type="link" size="small" danger onClick={() => withdraw(share)}>
              撤销
            </Button>,
          ]),
    ];
  };

  const columns: ColumnsType<Share> = [
    {
      title: '承办单位',
      key: 'unit',
      render: (_, share) => <Link to={`/tasks/${share.id}`}>{share.orgUnit.name}</Link>,
    },
    { title: '分工', key: 'role', width: 70, render: (_, share) => roleLabel(share) },
    { title: '状态', key: 'status', width: 100, render: (_, share) => <StatusTag status={share.status} /> },
    {
      title: '完成时限',
      key: 'due',
      width: 230,
      render: (_, share) => <ShareDue share={share} calendar={calendar} />,
    },
    {
      title: '进度',
      key: 'progress',
      width: 130,
      render: (_, share) => <Progress percent={share.progressPercent} size="small" aria-label="进度" />,
    },
    { title: '红黄绿灯', key: 'light', width: 110, render: (_, share) => <LightLabel assignment={share} /> },
    {
      title: '操作',
      key: 'actions',
      width: 120,
      render: (_, share) => (
        <Space size={0} className="row-actions">
          {actions(share)}
        </Space>
      ),
    },
  ];

  const shareDialog = (kind: 'suspend' | 'resume', share: Share) => (
    <ReasonDialog<{ reason: string }>
      title={kind === 'suspend' ? '暂停分工' : '恢复分工'}
      intro={
        kind === 'suspend'
          ? `暂停 ${share.orgUnit.name} 的分工：暂停期间停止提醒和催办，恢复后回到暂停前的状态。`
          : `恢复 ${share.orgUnit.name} 的分工，回到暂停前的状态，重新按完成时限督办。`
      }
      okText={kind === 'suspend' ? '暂停' : '恢复'}
      danger={kind === 'suspend'}
      reasonLabel={kind === 'suspend' ? '暂停原因' : '恢复原因'}
      maxLength={500}
      onClose={close}
      onConflict={() => void refetch()}
      onSubmit={async ({ reason }) => {
        const input = { assignmentId: share.id, version: share.version, reason };
        if (kind === 'suspend') await suspend({ variables: { input } });
        else await resume({ variables: { input } });
        close();
        void message.success(`已${kind === 'suspend' ? '暂停' : '恢复'} ${share.orgUnit.name} 的分工`);
      }}
    />
  );

  const topShares = task.assignments.filter((s) => !s.parentId);
  return (
    <section className="with-action-bar">
      <Breadcrumb
        items={[
          { title: <Link to={`/plan-tasks?plan=${task.plan.id}`}>任务</Link> },
          { title: task.plan.title },
        ]}
      />
      <h1 className="page-title">
        {task.code}. {task.title}
      </h1>
      <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }} bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label="状态">
          <Tag className={`status status-${task.status}`}>{TASK_STATUS_LABEL[task.status]}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label="完成时限">{longDate(task.dueAt)}</Descriptions.Item>
        <Descriptions.Item label="进度">
          <Progress
            percent={task.progressPercent}
            size="small"
            aria-label="任务进度"
            style={{ width: 160 }}
          />
        </Descriptions.Item>
        <Descriptions.Item label="责任领导">
          {task.responsibleLeader
            ? `${task.responsibleLeader.displayName}${task.responsibleLeader.title ? `（${task.responsibleLeader.title}）` : ''}`
            : '未指定'}
        </Descriptions.Item>
        <Descriptions.Item label="优先级">{TASK_PRIORITY_LABEL[task.priority]}</Descriptions.Item>
        <Descriptions.Item label="对应目标">
          {task.target ? `${task.target.number} ${task.target.title}` : '—'}
        </Descriptions.Item>
      </Descriptions>
      {task.description && (
        <>
          <h2 className="section-title">任务内容</h2>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{task.description}</Typography.Paragraph>
        </>
      )}
      <h2 className="section-title">时间节点</h2>
      {task.milestones.length ? (
        <List
          size="small"
          dataSource={task.milestones}
          renderItem={(m) => (
            <List.Item>
              <span>{m.title}</span>
              <span>{longDate(m.dueAt)}</span>
            </List.Item>
          )}
        />
      ) : (
        <Typography.Paragraph type="secondary">未设时间节点</Typography.Paragraph>
      )}
      <h2 className="section-title">分工</h2>
      <ResponsiveList<Share>
        rows={task.assignments}
        rowKey={(share) => share.id}
        columns={assigner ? columns : columns.filter((c) => c.key !== 'actions')}
        loading={loading && !data}
        error={error}
        emptyText="尚未交办：点“交办单位”指定牵头单位和配合单位"
        card={(share) => ({
          title: <Link to={`/tasks/${share.id}`}>{share.orgUnit.name}</Link>,
          extra: roleLabel(share),
          actions: actions(share),
          children: (
            <Space orientation="vertical" size={4} style={{ width: '100%' }}>
              <Space wrap>
                <LightLabel assignment={share} />
                <StatusTag status={share.status} />
              </Space>
              <ShareDue share={share} calendar={calendar} />
              <Progress percent={share.progressPercent} size="small" aria-label="进度" />
            </Space>
          ),
        })}
      />
      <h2 className="section-title">调整申请</h2>
      {requests.length ? (
        <List
          size="small"
          dataSource={requests}
          renderItem={(r) => (
            <List.Item>
              <Link to={`/approvals/${r.id}`}>{r.comment || '任务调整'}</Link>
              <Space>
                <Tag className="approval-status">{APPROVAL_STATUS_LABEL[r.status]}</Tag>
                <Typography.Text type="secondary">
                  {r.requestedBy.displayName} · {shortDateTime(r.createdAt)}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      ) : (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description="没有调整申请；需改任务内容、时限或配合单位时，点“申请调整”"
        />
      )}
      {assigner && (
        <div className="action-bar">
          <Space wrap>
            <Button
              type="primary"
              onClick={() => setDialog({ kind: 'adjust' })}
              disabled={task.status === 'CLOSED'}
            >
              申请调整
            </Button>
            <Button onClick={() => setDialog({ kind: 'assign' })} disabled={task.status === 'CLOSED'}>
              交办单位
            </Button>
          </Space>
        </div>
      )}
      {dialog?.kind === 'suspend' && shareDialog('suspend', dialog.share)}
      {dialog?.kind === 'resume' && shareDialog('resume', dialog.share)}
      {dialog?.kind === 'adjust' && (
        <AdjustDialog
          task={task}
          shares={topShares}
          onClose={close}
          onConflict={() => void refetch()}
          onSubmit={async (values) => {
            await requestAdjustment({ variables: { input: adjustmentInput(task.id, values, task) } });
            close();
            void message.success('已提交调整申请，审批通过后生效');
          }}
        />
      )}
      {dialog?.kind === 'assign' && (
        <AssignDialog task={task} onClose={close} onDone={(text) => void message.success(text)} />
      )}
    </section>
  );
}

/** 申请调整: what is to change (title, content, deadline, support units added or shares withdrawn) and why. */
function AdjustDialog({
  task,
  shares,
  onClose,
  onConflict,
  onSubmit,
}: {
  task: Task;
  shares: Share[];
  onClose(): void;
  onConflict(): void;
  onSubmit(values: AdjustmentValues): Promise<void>;
}) {
  return (
    <ReasonDialog<AdjustmentValues>
      title="申请调整"
      intro="只填写需要调整的项目；审批通过后生效，并通知有关单位。"
      okText="提交申请"
      reasonLabel="调整理由"
      maxLength={2000}
      initialValues={{ title: task.title }}
      onClose={onClose}
      onConflict={onConflict}
      onSubmit={onSubmit}
    >
      <Form.Item name="title" label="任务名称">
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="description" label="任务内容（不改可不填）">
        <Input.TextArea rows={3} maxLength={20000} />
      </Form.Item>
      <Form.Item name="dueAt" label={`新的完成时限（现为 ${longDate(task.dueAt)}）`}>
        <DatePicker aria-label="新的完成时限" />
      </Form.Item>
      <Form.Item name="addSupportUnitIds" label="增加配合单位">
        <UnitSelect kinds={SHARE_KINDS} mode="multiple" aria-label="增加配合单位" />
      </Form.Item>
      <Form.Item name="removeAssignmentIds" label="撤销分工">
        <Select
          mode="multiple"
          aria-label="撤销分工"
          placeholder="选择要撤销的单位"
          options={shares.map((s) => ({ value: s.id, label: `${s.orgUnit.name}（${roleLabel(s)}）` }))}
        />
      </Form.Item>
    </ReasonDialog>
  );
}

interface AssignValues {
  role: AssignmentRole;
  orgUnitIds: string[];
  dueAt: Dayjs;
}

/** 交办单位: more lead or support units, all with one 完成时限 (not after the task's). */
function AssignDialog({
  task,
  onClose,
  onDone,
}: {
  task: Task;
  onClose(): void;
  onDone(text: string): void;
}) {
  const [form] = Form.useForm<AssignValues>();
  const [assign, { loading }] = useMutation(ASSIGN_TASK, AFTER_TASK_CHANGE);
  const [failure, setFailure] = useState<string | null>(null);
  const submit = async (values: AssignValues) => {
    setFailure(null);
    const units = values.orgUnitIds.map((orgUnitId) => ({ orgUnitId, dueAt: endOfBeijingDay(values.dueAt) }));
    try {
      await assign({
        variables: {
          input: {
            taskId: task.id,
            leadUnits: values.role === 'LEAD' ? units : [],
            supportUnits: values.role === 'SUPPORT' ? units : [],
          },
        },
      });
      onClose();
      onDone(`已交办 ${values.orgUnitIds.length} 个单位`);
    } catch (error) {
      const mapped = classifyError(error);
      if (mapped.kind === 'field') {
        form.setFields([
          { name: mapped.field.endsWith('dueAt') ? 'dueAt' : 'orgUnitIds', errors: [mapped.message] },
        ]);
      } else setFailure(mapped.message);
    }
  };
  return (
    <FormModal title="交办单位" form={form} loading={loading} onClose={onClose} okText="交办">
      {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 16 }} />}
      <Form<AssignValues>
        form={form}
        layout="vertical"
        initialValues={{ role: 'SUPPORT' }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item name="role" label="分工">
          <Radio.Group
            options={[
              { value: 'LEAD', label: '牵头单位' },
              { value: 'SUPPORT', label: '配合单位' },
            ]}
          />
        </Form.Item>
        <Form.Item name="orgUnitIds" label="单位" rules={[{ required: true, message: '请选择单位' }]}>
          <UnitSelect kinds={SHARE_KINDS} mode="multiple" aria-label="单位" />
        </Form.Item>
        <Form.Item
          name="dueAt"
          label={`完成时限（不晚于 ${longDate(task.dueAt)}）`}
          rules={[{ required: true, message: '请选择完成时限' }]}
        >
          <DatePicker
            aria-label="完成时限"
            disabledDate={(day) => day.format('YYYY-MM-DD') > shortDate(task.dueAt)}
          />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
