import { EyeInvisibleOutlined, EyeOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Form,
  Input,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useSession } from '../../auth';
import { KeysetPager, useKeysetPages } from '../../components/pager';
import { FormModal } from '../../components/form-modal';
import { useReportError } from '../../components/report-error';
import { UnitSelect } from '../../components/unit-select';
import { graphql } from '../../gql';
import type {
  ChannelDeliveriesQuery,
  ChannelKind,
  DeliveryStatus,
  UnitChannelsQuery,
} from '../../gql/graphql';
import { CHANNEL_KIND_LABEL, DELIVERY_STATUS_LABEL } from './admin-labels';

const CHANNELS = graphql(`
  query UnitChannels($orgUnitId: ID!) {
    notificationChannels(orgUnitId: $orgUnitId) {
      id
      kind
      name
      url
      active
      version
      createdAt
    }
  }
`);

const CREATE = graphql(`
  mutation CreateChannel($input: CreateNotificationChannelInput!) {
    createNotificationChannel(input: $input) {
      id
      name
    }
  }
`);

const UPDATE = graphql(`
  mutation UpdateChannel($input: UpdateNotificationChannelInput!) {
    updateNotificationChannel(input: $input) {
      id
      version
    }
  }
`);

const SEND_TEST = graphql(`
  mutation SendTestNotification($channelId: ID!) {
    sendTestNotification(channelId: $channelId) {
      id
      status
      lastError
      attemptLog {
        statusCode
      }
    }
  }
`);

const DELIVERIES = graphql(`
  query ChannelDeliveries($channelId: ID!, $first: Int!, $after: String) {
    notificationChannelDeliveries(channelId: $channelId, first: $first, after: $after) {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
      edges {
        node {
          id
          title
          status
          attempts
          lastError
          createdAt
          sentAt
          attemptLog {
            attemptedAt
            ok
            statusCode
            error
          }
        }
      }
    }
  }
`);

type Channel = UnitChannelsQuery['notificationChannels'][number];
type Delivery = ChannelDeliveriesQuery['notificationChannelDeliveries']['edges'][number]['node'];

const ROBOT_KINDS: ChannelKind[] = ['DINGTALK', 'WECOM', 'FEISHU', 'WEBHOOK'];

const KIND_HELP: Partial<Record<ChannelKind, string>> = {
  DINGTALK: '钉钉群 → 群设置 → 机器人 → 自定义机器人，复制 Webhook 地址；安全设置选“加签”并填入密钥。',
  WECOM: '企业微信群 → 添加群机器人，复制 Webhook 地址（地址中的 key 即凭证，无需密钥）。',
  FEISHU: '飞书群 → 设置 → 群机器人 → 自定义机器人，复制 Webhook 地址；开启“签名校验”并填入密钥。',
  WEBHOOK: '本单位系统的接收地址。消息以 JSON POST，带 X-Zhezi-Signature（HMAC-SHA256）签名。',
};

/** The address shown in a list: scheme and host only, as the API shows it to those who may not read it. */
function maskAddress(url: string): string {
  try {
    return `${new URL(url).origin}/***`;
  } catch {
    return '***';
  }
}

/** 2026-12-06 19:07:02, Beijing time, as dense tables write it (sv-SE is the locale that prints ISO order). */
const when = (iso: string) => new Date(iso).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' });

function DeliveryStatusTag({ status }: { status: DeliveryStatus }) {
  const css =
    status === 'SENT' ? 'status-ACCEPTED' : status === 'DEAD' ? 'status-RETURNED' : 'status-ASSIGNED';
  return <Tag className={`status ${css}`}>{DELIVERY_STATUS_LABEL[status]}</Tag>;
}

function DeliveryLog({ channel }: { channel: Channel }) {
  const pages = useKeysetPages();
  const { data, loading } = useQuery(DELIVERIES, {
    variables: { channelId: channel.id, first: 10, after: pages.after },
    fetchPolicy: 'cache-and-network',
  });
  const log = data?.notificationChannelDeliveries;
  return (
    <Card title={`投递记录：${channel.name}`} size="small" style={{ marginTop: 16 }} className="delivery-log">
      <Table<Delivery>
        rowKey="id"
        size="small"
        loading={loading && !data}
        pagination={false}
        dataSource={log?.edges.map((e) => e.node) ?? []}
        scroll={{ x: 640 }}
        locale={{ emptyText: <Empty description="还没有投递；可先发送一条测试消息" /> }}
        expandable={{
          expandedRowRender: (d) => (
            <ul className="attempt-log">
              {d.attemptLog.map((a, i) => (
                <li key={i}>
                  {when(a.attemptedAt)} · {a.ok ? '成功' : '失败'}
                  {a.statusCode !== null && ` · HTTP ${a.statusCode}`}
                  {a.error && ` · ${a.error}`}
                </li>
              ))}
            </ul>
          ),
          rowExpandable: (d) => d.attemptLog.length > 0,
        }}
        columns={[
          { title: '时间', key: 'at', width: 170, render: (_, d) => when(d.createdAt) },
          { title: '消息', dataIndex: 'title' },
          {
            title: '状态',
            key: 'status',
            width: 100,
            render: (_, d) => <DeliveryStatusTag status={d.status} />,
          },
          { title: '尝试次数', dataIndex: 'attempts', width: 90 },
          { title: '最近错误', key: 'error', render: (_, d) => d.lastError ?? '—' },
        ]}
      />
      <KeysetPager pages={pages} connection={log} />
    </Card>
  );
}

interface FormValues {
  kind: ChannelKind;
  name: string;
  url: string;
  secret?: string;
  active: boolean;
}

function ChannelForm({
  orgUnitId,
  channel,
  onClose,
  onSaved,
}: {
  orgUnitId: string;
  channel: Channel | null;
  onClose(): void;
  onSaved(): void;
}) {
  const [form] = Form.useForm<FormValues>();
  const [create, { loading: creating }] = useMutation(CREATE);
  const [update, { loading: updating }] = useMutation(UPDATE);
  const report = useReportError();
  const { message } = App.useApp();
  const kind = Form.useWatch('kind', form);

  const submit = async ({ secret, ...values }: FormValues) => {
    try {
      if (channel) {
        await update({
          variables: {
            input: { id: channel.id, version: channel.version, ...values, ...(secret && { secret }) },
          },
        });
        void message.success(`已保存“${values.name}”`);
      } else {
        const { active: _active, ...input } = values;
        await create({ variables: { input: { ...input, orgUnitId, secret: secret || null } } });
        void message.success(`已添加“${values.name}”；可发送一条测试消息检查设置`);
      }
      onSaved();
    } catch (error) {
      report(error, { form, reload: onSaved });
    }
  };

  return (
    <FormModal
      title={channel ? `修改推送渠道：${channel.name}` : '添加推送渠道'}
      form={form}
      loading={creating || updating}
      onClose={onClose}
      width={600}
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={
          channel ? { ...channel, secret: '' } : { kind: 'DINGTALK', name: '', url: '', active: true }
        }
        onFinish={(v) => void submit(v)}
      >
        <Form.Item name="kind" label="类型" extra={kind && KIND_HELP[kind]}>
          <Select
            disabled={!!channel}
            options={ROBOT_KINDS.map((k) => ({ value: k, label: CHANNEL_KIND_LABEL[k] }))}
          />
        </Form.Item>
        <Form.Item
          name="name"
          label="名称"
          rules={[{ required: true, whitespace: true, message: '请填写名称' }]}
        >
          <Input maxLength={100} placeholder="如：中关村街道工作群" />
        </Form.Item>
        <Form.Item
          name="url"
          label="推送地址"
          rules={[{ required: true, message: '请填写推送地址' }]}
          extra="地址即凭证：只有管理员和本单位负责人能看到完整地址。"
        >
          <Input maxLength={2000} placeholder="https://oapi.dingtalk.com/robot/send?access_token=…" />
        </Form.Item>
        {kind !== 'WECOM' && (
          <Form.Item
            name="secret"
            label="签名密钥"
            extra={channel ? '留空则不修改；密钥保存后不再显示。' : '密钥保存后不再显示。'}
          >
            <Input.Password maxLength={200} autoComplete="new-password" />
          </Form.Item>
        )}
        {channel && (
          <Form.Item name="active" label="启用" valuePropName="checked">
            <Switch aria-label="启用该渠道" />
          </Form.Item>
        )}
      </Form>
    </FormModal>
  );
}

export default function ChannelsPage() {
  const { viewer } = useSession();
  // A unit head manages the robots of their own unit; an admin those of any unit.
  const head = viewer && viewer.role !== 'ADMIN';
  const [chosen, setChosen] = useState<string | undefined>();
  const orgUnitId = head ? viewer.orgUnit.id : chosen;
  const { data, loading, error, refetch } = useQuery(CHANNELS, {
    variables: { orgUnitId: orgUnitId ?? '' },
    skip: !orgUnitId,
    fetchPolicy: 'cache-and-network',
  });
  const [editing, setEditing] = useState<Channel | 'new' | null>(null);
  const [logOf, setLogOf] = useState<Channel | null>(null);
  const [shown, setShown] = useState<Set<string>>(new Set());
  const [sendTest] = useMutation(SEND_TEST, { refetchQueries: ['ChannelDeliveries'] });
  const [sending, setSending] = useState<string | null>(null);
  const report = useReportError();
  const { message } = App.useApp();
  const channels = data?.notificationChannels ?? [];

  const onTest = async (channel: Channel) => {
    setSending(channel.id);
    try {
      const { data: result } = await sendTest({ variables: { channelId: channel.id } });
      const delivery = result!.sendTestNotification;
      const code = delivery.attemptLog.at(-1)?.statusCode;
      if (delivery.status === 'SENT') {
        void message.success(`测试消息已送达“${channel.name}”${code ? `（HTTP ${code}）` : ''}`);
      } else {
        void message.error(`测试消息发送失败：${delivery.lastError ?? '未知错误'}；请检查地址和密钥`, 6);
      }
      setLogOf(channel);
    } catch (err) {
      report(err);
    } finally {
      setSending(null);
    }
  };

  const toggle = (id: string) =>
    setShown((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <section>
      <h1 className="page-title">通知渠道{head ? ` · ${viewer.orgUnit.name}` : ''}</h1>
      <Typography.Paragraph type="secondary">
        单位的钉钉、企业微信、飞书群机器人或 Webhook：本单位的交办、提醒、催办、督办和审批消息同时推送到群里。
      </Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        {!head && (
          <UnitSelect
            aria-label="单位"
            placeholder="选择单位"
            style={{ width: 260 }}
            value={chosen}
            onChange={(v: string) => {
              setChosen(v);
              setLogOf(null);
            }}
          />
        )}
        <Button
          type="primary"
          icon={<PlusOutlined />}
          disabled={!orgUnitId}
          onClick={() => setEditing('new')}
        >
          添加推送渠道
        </Button>
      </Space>
      {!orgUnitId ? (
        <Empty description="选择一个单位，查看和设置它的推送渠道" />
      ) : error && !data ? (
        <Alert type="error" showIcon title="推送渠道未能载入，请稍后重试" />
      ) : (
        <Table<Channel>
          rowKey="id"
          loading={loading && !data}
          dataSource={channels}
          pagination={false}
          scroll={{ x: 760 }}
          locale={{
            emptyText: (
              <Empty description="本单位还没有推送渠道；添加一个钉钉、企业微信、飞书群机器人或 Webhook" />
            ),
          }}
          columns={[
            { title: '名称', dataIndex: 'name' },
            { title: '类型', key: 'kind', width: 140, render: (_, c) => CHANNEL_KIND_LABEL[c.kind] },
            {
              title: '推送地址',
              key: 'url',
              render: (_, c) => (
                <Space size={4}>
                  <Typography.Text className="channel-url">
                    {shown.has(c.id) ? c.url : maskAddress(c.url)}
                  </Typography.Text>
                  <Button
                    type="text"
                    size="small"
                    icon={shown.has(c.id) ? <EyeInvisibleOutlined /> : <EyeOutlined />}
                    aria-label={shown.has(c.id) ? `隐藏${c.name}的完整地址` : `显示${c.name}的完整地址`}
                    onClick={() => toggle(c.id)}
                  />
                </Space>
              ),
            },
            {
              title: '状态',
              key: 'active',
              width: 80,
              render: (_, c) => (
                <Tag className={`status ${c.active ? 'status-ACCEPTED' : ''}`}>
                  {c.active ? '启用' : '停用'}
                </Tag>
              ),
            },
            {
              title: '操作',
              key: 'actions',
              width: 300,
              render: (_, c) => (
                <Space wrap size={4}>
                  <Button size="small" loading={sending === c.id} onClick={() => void onTest(c)}>
                    发送测试消息
                  </Button>
                  <Button size="small" onClick={() => setLogOf(c)}>
                    投递记录
                  </Button>
                  <Button size="small" onClick={() => setEditing(c)}>
                    修改
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      )}
      {logOf && channels.some((c) => c.id === logOf.id) && <DeliveryLog key={logOf.id} channel={logOf} />}
      {editing && orgUnitId && (
        <ChannelForm
          orgUnitId={orgUnitId}
          channel={editing === 'new' ? null : editing}
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
