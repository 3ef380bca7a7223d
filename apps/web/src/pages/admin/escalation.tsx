import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  App,
  Button,
  Card,
  Collapse,
  Empty,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Radio,
  Select,
  Space,
  Spin,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { FormModal } from '../../components/form-modal';
import { useReportError } from '../../components/report-error';
import { graphql } from '../../gql';
import type {
  EscalationAction,
  EscalationLevelInput,
  EscalationPoliciesQuery,
  EscalationRecipient,
} from '../../gql/graphql';
import { ESCALATION_ACTION_LABEL } from '../../labels';
import { shortDate } from '../../workdays';
import { RECIPIENT_LABEL } from './admin-labels';
import { levelsChanged, offsetWords, repeatWords, type Level } from './escalation-levels';

const POLICIES = graphql(`
  query EscalationPolicies {
    escalationPolicies {
      id
      name
      description
      isDefault
      version
      currentVersion
      versions {
        id
        number
        createdAt
        noticeResponseWorkdays
        levels {
          offsetWorkdays
          offsetDuration
          action
          recipients
          repeatWorkdays
          repeatDuration
        }
      }
    }
  }
`);

const CREATE = graphql(`
  mutation CreateEscalationPolicy($input: CreateEscalationPolicyInput!) {
    createEscalationPolicy(input: $input) {
      id
      currentVersion
    }
  }
`);

const UPDATE = graphql(`
  mutation UpdateEscalationPolicy($input: UpdateEscalationPolicyInput!) {
    updateEscalationPolicy(input: $input) {
      id
      version
      currentVersion
    }
  }
`);

const MIGRATE = graphql(`
  mutation MigrateEscalationPolicy($policyId: ID!) {
    migrateEscalationPolicy(policyId: $policyId)
  }
`);

type Policy = EscalationPoliciesQuery['escalationPolicies'][number];
type Version = Policy['versions'][number];

const ACTIONS = Object.keys(ESCALATION_ACTION_LABEL) as EscalationAction[];
const RECIPIENTS = Object.keys(RECIPIENT_LABEL) as EscalationRecipient[];

function LevelTable({ levels }: { levels: readonly Level[] }) {
  return (
    <Table<Level & { key: number }>
      size="small"
      pagination={false}
      rowKey="key"
      dataSource={levels.map((l, key) => ({ ...l, key }))}
      scroll={{ x: 560 }}
      columns={[
        { title: '级次', key: 'n', width: 56, render: (_, __, i) => `第${i + 1}级` },
        { title: '时间', key: 'offset', render: (_, l) => offsetWords(l) },
        {
          title: '动作',
          key: 'action',
          width: 72,
          render: (_, l) => <Tag className="status">{ESCALATION_ACTION_LABEL[l.action]}</Tag>,
        },
        {
          title: '接收对象',
          key: 'recipients',
          render: (_, l) => l.recipients.map((r) => RECIPIENT_LABEL[r]).join('、'),
        },
        { title: '重复', key: 'repeat', render: (_, l) => repeatWords(l) },
      ]}
    />
  );
}

interface FormValues {
  name: string;
  description: string;
  isDefault: boolean;
  noticeResponseWorkdays: number;
  timing: 'WORKDAYS' | 'DURATION';
  levels: Level[];
}

/** What the form's levels send: the timing chosen for the whole ladder, empty repeats as none. */
function toInput(values: FormValues): EscalationLevelInput[] {
  return values.levels.map((l) => ({
    action: l.action,
    recipients: [...l.recipients],
    ...(values.timing === 'DURATION'
      ? { offsetDuration: l.offsetDuration?.trim(), repeatDuration: l.repeatDuration?.trim() || null }
      : { offsetWorkdays: l.offsetWorkdays, repeatWorkdays: l.repeatWorkdays || null }),
  }));
}

function PolicyForm({
  policy,
  onClose,
  onSaved,
}: {
  policy: Policy | null;
  onClose(): void;
  onSaved(): void;
}) {
  const [form] = Form.useForm<FormValues>();
  const report = useReportError();
  const { message } = App.useApp();
  const [create, { loading: creating }] = useMutation(CREATE);
  const [update, { loading: updating }] = useMutation(UPDATE);
  const current = policy?.versions.find((v) => v.number === policy.currentVersion);
  const values = Form.useWatch([], form) as FormValues | undefined;
  const timing = values?.timing ?? 'WORKDAYS';

  const changesLevels =
    !!current &&
    !!values?.levels &&
    (levelsChanged(current.levels, toInput(values)) ||
      values.noticeResponseWorkdays !== current.noticeResponseWorkdays);

  const submit = async (v: FormValues) => {
    try {
      if (!policy) {
        const { data } = await create({
          variables: {
            input: {
              name: v.name,
              description: v.description,
              noticeResponseWorkdays: v.noticeResponseWorkdays,
              levels: toInput(v),
            },
          },
        });
        void message.success(
          `已新建督办流程“${v.name}”（第${data!.createEscalationPolicy.currentVersion}版）`,
        );
      } else {
        const levels = toInput(v);
        const newLevels = levelsChanged(current!.levels, levels);
        const { data } = await update({
          variables: {
            input: {
              id: policy.id,
              version: policy.version,
              name: v.name,
              description: v.description,
              ...(v.isDefault && !policy.isDefault && { isDefault: true }),
              ...(newLevels && { levels }),
              ...(v.noticeResponseWorkdays !== current!.noticeResponseWorkdays && {
                noticeResponseWorkdays: v.noticeResponseWorkdays,
              }),
            },
          },
        });
        const made = data!.updateEscalationPolicy.currentVersion;
        void message.success(
          made > policy.currentVersion
            ? `已保存为第${made}版：新交办的分工使用第${made}版，进行中的分工仍按原版本（可“迁移进行中的分工”）`
            : '已保存',
          6,
        );
      }
      onSaved();
    } catch (error) {
      report(error, { form, reload: onSaved });
    }
  };

  const initial: FormValues = {
    name: policy?.name ?? '',
    description: policy?.description ?? '',
    isDefault: policy?.isDefault ?? false,
    noticeResponseWorkdays: current?.noticeResponseWorkdays ?? 3,
    timing: current?.levels.some((l) => l.offsetDuration) ? 'DURATION' : 'WORKDAYS',
    levels: current?.levels.map((l) => ({ ...l, recipients: [...l.recipients] })) ?? [
      { offsetWorkdays: -3, action: 'REMIND', recipients: ['UNIT_OFFICERS'] },
      { offsetWorkdays: 0, action: 'URGE', recipients: ['UNIT_OFFICERS', 'UNIT_HEAD'] },
    ],
  };

  return (
    <FormModal
      title={policy ? `修改督办流程：${policy.name}` : '新建督办流程'}
      form={form}
      loading={creating || updating}
      onClose={onClose}
      width={880}
    >
      {policy && (
        <Alert
          className="version-preview"
          type={changesLevels ? 'warning' : 'info'}
          showIcon
          style={{ marginBottom: 16 }}
          title={
            changesLevels
              ? `保存后将生成第${policy.currentVersion + 1}版（现为第${policy.currentVersion}版）：新交办的分工使用新版本，进行中的分工仍按其开始时的版本。`
              : `级次未改：保存不生成新版本，仍为第${policy.currentVersion}版。`
          }
        />
      )}
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={(v) => void submit(v)}
      >
        <Space wrap align="start">
          <Form.Item
            name="name"
            label="名称"
            rules={[{ required: true, whitespace: true, message: '请填写名称' }]}
            style={{ width: 320 }}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="noticeResponseWorkdays" label="督办单答复时限（工作日）">
            <InputNumber min={1} max={30} precision={0} />
          </Form.Item>
          {policy && (
            <Form.Item name="isDefault" label="默认流程" valuePropName="checked">
              <Switch disabled={policy.isDefault} aria-label="设为默认流程" />
            </Form.Item>
          )}
        </Space>
        <Form.Item name="description" label="说明">
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
        <Form.Item name="timing" label="计时方式">
          <Radio.Group
            options={[
              { value: 'WORKDAYS', label: '按工作日（相对完成时限）' },
              { value: 'DURATION', label: '按时长（以小时计的紧急任务，如 -PT2H 为到期前 2 小时）' },
            ]}
          />
        </Form.Item>
        <Form.List name="levels">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, i) => (
                <Card
                  key={field.key}
                  size="small"
                  className="level-card"
                  title={`第${i + 1}级`}
                  extra={
                    <Button
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={`删除第${i + 1}级`}
                      disabled={fields.length === 1}
                      onClick={() => remove(field.name)}
                    />
                  }
                >
                  <Space wrap align="start">
                    {timing === 'WORKDAYS' ? (
                      <Form.Item
                        name={[field.name, 'offsetWorkdays']}
                        label="相对完成时限（工作日）"
                        tooltip="负数为到期前，0 为到期当天，正数为逾期后"
                        rules={[{ required: true, message: '请填写' }]}
                      >
                        <InputNumber min={-60} max={120} precision={0} />
                      </Form.Item>
                    ) : (
                      <Form.Item
                        name={[field.name, 'offsetDuration']}
                        label="相对完成时刻（ISO 8601）"
                        rules={[{ required: true, message: '请填写，如 -PT2H' }]}
                      >
                        <Input placeholder="-PT2H" style={{ width: 120 }} maxLength={32} />
                      </Form.Item>
                    )}
                    <Form.Item name={[field.name, 'action']} label="动作" rules={[{ required: true }]}>
                      <Select
                        style={{ width: 100 }}
                        options={ACTIONS.map((a) => ({ value: a, label: ESCALATION_ACTION_LABEL[a] }))}
                      />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'recipients']}
                      label="接收对象"
                      rules={[{ required: true, message: '至少选择一个接收对象' }]}
                    >
                      <Select
                        mode="multiple"
                        style={{ minWidth: 260 }}
                        options={RECIPIENTS.map((r) => ({ value: r, label: RECIPIENT_LABEL[r] }))}
                      />
                    </Form.Item>
                    {timing === 'WORKDAYS' ? (
                      <Form.Item
                        name={[field.name, 'repeatWorkdays']}
                        label="重复间隔（工作日）"
                        tooltip="未签收或未答复时重复；空为不重复"
                      >
                        <InputNumber min={1} max={30} precision={0} placeholder="不重复" />
                      </Form.Item>
                    ) : (
                      <Form.Item name={[field.name, 'repeatDuration']} label="重复间隔（ISO 8601）">
                        <Input placeholder="不重复，如 PT30M" style={{ width: 140 }} maxLength={32} />
                      </Form.Item>
                    )}
                  </Space>
                </Card>
              ))}
              <Button
                icon={<PlusOutlined />}
                disabled={fields.length >= 10}
                onClick={() => add({ action: 'URGE', recipients: ['UNIT_HEAD'] })}
              >
                增加一级
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </FormModal>
  );
}

function Versions({ versions, current }: { versions: readonly Version[]; current: number }) {
  const older = versions.filter((v) => v.number !== current);
  if (!older.length) return null;
  return (
    <Collapse
      size="small"
      style={{ marginTop: 12 }}
      items={[
        {
          key: 'history',
          label: `历史版本（${older.length}）`,
          children: older.map((v) => (
            <div key={v.id} style={{ marginBottom: 12 }}>
              <Typography.Text strong>
                第{v.number}版 · {shortDate(v.createdAt)} · 督办单答复时限 {v.noticeResponseWorkdays} 个工作日
              </Typography.Text>
              <LevelTable levels={v.levels} />
            </div>
          )),
        },
      ]}
    />
  );
}

export default function EscalationPage() {
  const { data, loading, refetch } = useQuery(POLICIES, { fetchPolicy: 'cache-and-network' });
  const [editing, setEditing] = useState<Policy | 'new' | null>(null);
  const [migrate] = useMutation(MIGRATE);
  const report = useReportError();
  const { message } = App.useApp();
  const policies = data?.escalationPolicies ?? [];

  const onMigrate = async (policy: Policy) => {
    try {
      const { data: result } = await migrate({ variables: { policyId: policy.id } });
      void message.success(
        `已将 ${result!.migrateEscalationPolicy} 项进行中的分工迁移到第${policy.currentVersion}版`,
      );
    } catch (error) {
      report(error);
    }
  };

  return (
    <section>
      <h1 className="page-title">督办流程</h1>
      <Space style={{ marginBottom: 16 }} wrap>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          新建督办流程
        </Button>
        <Typography.Text type="secondary">
          提醒 → 催办 → 督办 → 通报 → 约谈：到期前后各级的时间、动作和接收对象。修改级次生成新版本。
        </Typography.Text>
      </Space>
      {loading && !data ? (
        <Spin />
      ) : policies.length === 0 ? (
        <Empty description="还没有督办流程；新建一个，任务可选用它" />
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          {policies.map((p) => {
            const current = p.versions.find((v) => v.number === p.currentVersion);
            return (
              <Card
                key={p.id}
                title={
                  <Space wrap>
                    <span>{p.name}</span>
                    {p.isDefault && <Tag className="status status-ACCEPTED">默认</Tag>}
                    <Tag className="status">第{p.currentVersion}版</Tag>
                  </Space>
                }
                extra={
                  <Space wrap>
                    {p.currentVersion > 1 && (
                      <Popconfirm
                        title={`把进行中的分工改按第${p.currentVersion}版计算？`}
                        description="从现在起按新版本重新计算下一步督办，已发出的不撤回。"
                        okText="迁移"
                        cancelText="取消"
                        onConfirm={() => void onMigrate(p)}
                      >
                        <Button>迁移进行中的分工</Button>
                      </Popconfirm>
                    )}
                    <Button onClick={() => setEditing(p)}>修改</Button>
                  </Space>
                }
              >
                {p.description && <Typography.Paragraph>{p.description}</Typography.Paragraph>}
                {current && (
                  <>
                    <Typography.Paragraph type="secondary">
                      第{current.number}版，{shortDate(current.createdAt)} 起用；督办单答复时限{' '}
                      {current.noticeResponseWorkdays} 个工作日
                    </Typography.Paragraph>
                    <LevelTable levels={current.levels} />
                  </>
                )}
                <Versions versions={p.versions} current={p.currentVersion} />
              </Card>
            );
          })}
        </Space>
      )}
      {editing && (
        <PolicyForm
          policy={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void refetch();
          }}
        />
      )}
    </section>
  );
}
