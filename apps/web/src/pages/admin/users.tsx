import { DownOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@apollo/client/react';
import {
  App,
  Button,
  Card,
  Dropdown,
  Empty,
  Form,
  Grid,
  Input,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useSession } from '../../auth';
import { KeysetPager, useKeysetPages } from '../../components/pager';
import { FormModal } from '../../components/form-modal';
import { useReportError } from '../../components/report-error';
import { UnitSelect } from '../../components/unit-select';
import { graphql } from '../../gql';
import type { AdminUsersQuery, Role } from '../../gql/graphql';
import { ROLE_LABEL } from '../../labels';
import { ROLE_UNIT_KINDS } from './admin-labels';

const USERS = graphql(`
  query AdminUsers($filter: UserFilter, $first: Int!, $after: String) {
    users(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
      edges {
        node {
          id
          username
          displayName
          role
          title
          phone
          email
          active
          mustChangePassword
          orgUnit {
            id
            name
          }
        }
      }
    }
  }
`);

const CREATE = graphql(`
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      temporaryPassword
      user {
        id
        username
      }
    }
  }
`);

const UPDATE = graphql(`
  mutation UpdateUser($input: UpdateUserInput!) {
    updateUser(input: $input) {
      id
      displayName
      role
      title
      phone
      email
      orgUnit {
        id
        name
      }
    }
  }
`);

const DISABLE = graphql(`
  mutation DisableUser($id: ID!) {
    disableUser(id: $id) {
      id
      active
    }
  }
`);

const ENABLE = graphql(`
  mutation EnableUser($id: ID!) {
    enableUser(id: $id) {
      id
      active
    }
  }
`);

const RESET = graphql(`
  mutation ResetUserPassword($id: ID!, $password: String) {
    resetUserPassword(id: $id, password: $password) {
      temporaryPassword
      user {
        id
        mustChangePassword
      }
    }
  }
`);

const UNLOCK = graphql(`
  mutation UnlockUser($id: ID!) {
    unlockUser(id: $id) {
      id
    }
  }
`);

type UserRow = AdminUsersQuery['users']['edges'][number]['node'];

const ROLES = Object.keys(ROLE_LABEL) as Role[];
const PAGE_SIZE = 20;

interface UserValues {
  username: string;
  displayName: string;
  role: Role;
  orgUnitId: string;
  title?: string;
  phone?: string;
  email?: string;
  password?: string;
}

/** Empty optional text means "none": the API clears it with null. */
const orNull = (text?: string) => (text?.trim() ? text.trim() : null);

function UserForm({
  user,
  onClose,
  onSaved,
}: {
  user: UserRow | null;
  onClose(): void;
  onSaved(username: string): void;
}) {
  const [form] = Form.useForm<UserValues>();
  const [create, { loading: creating }] = useMutation(CREATE);
  const [update, { loading: updating }] = useMutation(UPDATE);
  const report = useReportError();
  const { message, modal } = App.useApp();
  const role = Form.useWatch('role', form);

  const submit = async (v: UserValues) => {
    const contact = { title: orNull(v.title), phone: orNull(v.phone), email: orNull(v.email) };
    try {
      if (user) {
        await update({
          variables: {
            input: {
              id: user.id,
              displayName: v.displayName,
              role: v.role,
              orgUnitId: v.orgUnitId,
              ...contact,
            },
          },
        });
        void message.success(`已保存 ${v.displayName}（${user.username}）`);
        onSaved(user.username);
        return;
      }
      const { data } = await create({
        variables: {
          input: {
            username: v.username.trim(),
            displayName: v.displayName,
            role: v.role,
            orgUnitId: v.orgUnitId,
            password: v.password || null,
            ...contact,
          },
        },
      });
      const created = data!.createUser;
      if (created.temporaryPassword) {
        modal.success({
          title: `已创建用户 ${created.user.username}`,
          content: (
            <div>
              <p>临时密码（仅此一次显示，请当面或另行告知本人；首次登录须修改）：</p>
              <Typography.Text code copyable className="temporary-password">
                {created.temporaryPassword}
              </Typography.Text>
            </div>
          ),
        });
      } else {
        void message.success(`已创建用户 ${created.user.username}；首次登录须修改密码`);
      }
      onSaved(created.user.username);
    } catch (error) {
      report(error, { form });
    }
  };

  return (
    <FormModal
      title={user ? `修改用户：${user.displayName}（${user.username}）` : '新建用户'}
      form={form}
      loading={creating || updating}
      onClose={onClose}
      width={620}
    >
      <Form<UserValues>
        form={form}
        layout="vertical"
        initialValues={
          user
            ? {
                ...user,
                orgUnitId: user.orgUnit.id,
                title: user.title ?? '',
                phone: user.phone ?? '',
                email: user.email ?? '',
              }
            : { role: 'SUBDISTRICT_OFFICER' }
        }
        onFinish={(v) => void submit(v)}
      >
        {!user && (
          <Form.Item
            name="username"
            label="用户名"
            rules={[{ required: true, message: '请填写用户名' }]}
            extra="登录用，3–64 位字母、数字、点、下划线或连字符，如 zgc.wang"
          >
            <Input maxLength={64} autoComplete="off" />
          </Form.Item>
        )}
        <Form.Item
          name="displayName"
          label="姓名"
          rules={[{ required: true, whitespace: true, message: '请填写姓名' }]}
        >
          <Input maxLength={64} />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item name="role" label="角色" rules={[{ required: true }]}>
            <Select
              style={{ width: 180 }}
              options={ROLES.map((r) => ({ value: r, label: ROLE_LABEL[r] }))}
              onChange={() => form.setFieldValue('orgUnitId', undefined)}
            />
          </Form.Item>
          <Form.Item
            name="orgUnitId"
            label="所属单位"
            rules={[{ required: true, message: '请选择单位' }]}
            extra={role ? '只列出该角色可属的单位' : undefined}
          >
            <UnitSelect kinds={role ? ROLE_UNIT_KINDS[role] : undefined} style={{ width: 280 }} />
          </Form.Item>
        </Space>
        <Form.Item name="title" label="职务">
          <Input maxLength={64} placeholder="如：副区长、科长" />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item name="phone" label="手机号">
            <Input maxLength={20} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="email" label="电子邮箱" extra="用于邮件通知">
            <Input maxLength={200} style={{ width: 280 }} />
          </Form.Item>
        </Space>
        {!user && (
          <Form.Item
            name="password"
            label="初始密码"
            extra="留空则生成临时密码。至少 10 位，不能包含用户名，不能是常见密码；用户首次登录须修改。"
          >
            <Input.Password maxLength={256} autoComplete="new-password" />
          </Form.Item>
        )}
      </Form>
    </FormModal>
  );
}

function ResetForm({ user, onClose }: { user: UserRow; onClose(): void }) {
  const [form] = Form.useForm<{ password?: string }>();
  const [reset, { loading }] = useMutation(RESET);
  const report = useReportError();
  const { message, modal } = App.useApp();

  const submit = async ({ password }: { password?: string }) => {
    try {
      const { data } = await reset({ variables: { id: user.id, password: password || null } });
      const temporary = data!.resetUserPassword.temporaryPassword;
      onClose();
      if (temporary) {
        modal.success({
          title: `已重置 ${user.username} 的密码`,
          content: (
            <div>
              <p>临时密码（仅此一次显示）；该用户已退出所有设备，下次登录须修改密码：</p>
              <Typography.Text code copyable className="temporary-password">
                {temporary}
              </Typography.Text>
            </div>
          ),
        });
      } else {
        void message.success(`已重置 ${user.username} 的密码；该用户已退出所有设备，下次登录须修改密码`);
      }
    } catch (error) {
      report(error, { form });
    }
  };

  return (
    <FormModal
      title={`重置密码：${user.displayName}（${user.username}）`}
      form={form}
      loading={loading}
      onClose={onClose}
      okText="重置"
      danger
    >
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item
          name="password"
          label="新的临时密码"
          extra="留空则生成。至少 10 位，不能包含用户名，不能是常见密码。重置后该用户的登录即时失效。"
        >
          <Input.Password maxLength={256} autoComplete="new-password" />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

function StatusTags({ user }: { user: UserRow }) {
  return (
    <Space size={4} wrap>
      <Tag className={`status ${user.active ? 'status-ACCEPTED' : 'status-RETURNED'}`}>
        {user.active ? '在用' : '已停用'}
      </Tag>
      {user.mustChangePassword && <Tag className="status status-ASSIGNED">须改密码</Tag>}
    </Space>
  );
}

export default function UsersPage() {
  const { viewer } = useSession();
  const phone = !Grid.useBreakpoint().md;
  const [search, setSearch] = useState('');
  const [role, setRole] = useState<Role | undefined>();
  const [unit, setUnit] = useState<string | undefined>();
  const [state, setState] = useState<'active' | 'disabled' | undefined>();
  const pages = useKeysetPages();
  const [editing, setEditing] = useState<UserRow | 'new' | null>(null);
  const [resetting, setResetting] = useState<UserRow | null>(null);
  const report = useReportError();
  const { message, modal } = App.useApp();
  const { data, loading, error, refetch } = useQuery(USERS, {
    variables: {
      filter: {
        search: search || undefined,
        role,
        orgUnitId: unit,
        disabled: state === undefined ? undefined : state === 'disabled',
      },
      first: PAGE_SIZE,
      after: pages.after,
    },
    fetchPolicy: 'cache-and-network',
  });
  const [disable] = useMutation(DISABLE);
  const [enable] = useMutation(ENABLE);
  const [unlock] = useMutation(UNLOCK);
  const list = data?.users;
  const rows = list?.edges.map((e) => e.node) ?? [];
  const filtered = Boolean(search || role || unit || state);

  const act = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      void message.success(done);
      await refetch();
    } catch (err) {
      report(err);
    }
  };

  const onDisable = (u: UserRow) =>
    modal.confirm({
      title: `停用 ${u.displayName}（${u.username}）？`,
      content: '停用后该用户立即退出所有设备，不能再登录；可随时重新启用。',
      okText: '停用',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: () => act(() => disable({ variables: { id: u.id } }), `已停用 ${u.username}`),
    });

  const actions = (u: UserRow) => (
    <Space size={4} wrap>
      <Button size="small" onClick={() => setEditing(u)}>
        修改
      </Button>
      <Dropdown
        menu={{
          items: [
            { key: 'reset', label: '重置密码' },
            { key: 'unlock', label: '解除登录锁定' },
            u.active
              ? { key: 'disable', label: '停用', danger: true, disabled: u.id === viewer?.id }
              : { key: 'enable', label: '重新启用' },
          ],
          onClick: ({ key }) => {
            if (key === 'reset') setResetting(u);
            if (key === 'unlock')
              void act(() => unlock({ variables: { id: u.id } }), `已解除 ${u.username} 的登录锁定`);
            if (key === 'disable') onDisable(u);
            if (key === 'enable')
              void act(() => enable({ variables: { id: u.id } }), `已重新启用 ${u.username}`);
          },
        }}
      >
        <Button size="small" aria-label={`${u.username}的更多操作`}>
          更多 <DownOutlined />
        </Button>
      </Dropdown>
    </Space>
  );

  const columns: ColumnsType<UserRow> = [
    { title: '用户名', dataIndex: 'username' },
    { title: '姓名', dataIndex: 'displayName' },
    { title: '角色', key: 'role', render: (_, u) => ROLE_LABEL[u.role] },
    { title: '所属单位', key: 'unit', render: (_, u) => u.orgUnit.name },
    { title: '职务', key: 'title', render: (_, u) => u.title ?? '—' },
    { title: '状态', key: 'status', render: (_, u) => <StatusTags user={u} /> },
    { title: '操作', key: 'actions', width: 170, render: (_, u) => actions(u) },
  ];

  const empty = (
    <Empty
      description={
        error
          ? '用户列表未能载入，请稍后重试'
          : filtered
            ? '没有符合条件的用户，请调整筛选条件'
            : '还没有用户；新建一个'
      }
    />
  );

  return (
    <section>
      <h1 className="page-title">用户</h1>
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          aria-label="按用户名或姓名查找"
          placeholder="用户名或姓名"
          allowClear
          style={{ width: 200 }}
          value={search}
          onChange={(e) => {
            if (!e.target.value) {
              setSearch('');
              pages.restart();
            } else setSearch(e.target.value);
          }}
          onSearch={(v) => {
            setSearch(v.trim());
            pages.restart();
          }}
        />
        <Select<Role | undefined>
          aria-label="按角色筛选"
          placeholder="全部角色"
          allowClear
          style={{ width: 150 }}
          value={role}
          options={ROLES.map((r) => ({ value: r, label: ROLE_LABEL[r] }))}
          onChange={(v) => {
            setRole(v);
            pages.restart();
          }}
        />
        <UnitSelect
          aria-label="按单位筛选"
          placeholder="全部单位"
          allowClear
          style={{ width: 220 }}
          value={unit}
          onChange={(v: string | undefined) => {
            setUnit(v);
            pages.restart();
          }}
        />
        <Select<'active' | 'disabled' | undefined>
          aria-label="按状态筛选"
          placeholder="在用和停用"
          allowClear
          style={{ width: 130 }}
          value={state}
          options={[
            { value: 'active', label: '在用' },
            { value: 'disabled', label: '已停用' },
          ]}
          onChange={(v) => {
            setState(v);
            pages.restart();
          }}
        />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          新建用户
        </Button>
      </Space>
      {phone ? (
        <div className="card-list">
          {rows.length === 0 && !loading && empty}
          {rows.map((u) => (
            <Card key={u.id} size="small" title={`${u.displayName}（${u.username}）`}>
              <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                <span>
                  {ROLE_LABEL[u.role]} · {u.orgUnit.name}
                  {u.title ? ` · ${u.title}` : ''}
                </span>
                <StatusTags user={u} />
                {actions(u)}
              </Space>
            </Card>
          ))}
        </div>
      ) : (
        <Table<UserRow>
          rowKey="id"
          size="middle"
          loading={loading && !data}
          columns={columns}
          dataSource={rows}
          pagination={false}
          locale={{ emptyText: empty }}
        />
      )}
      <KeysetPager pages={pages} connection={list} />
      {editing && (
        <UserForm
          user={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(username) => {
            // A new user is listed last (by creation): find them at once instead.
            if (editing === 'new') {
              setSearch(username);
              setRole(undefined);
              setUnit(undefined);
              setState(undefined);
              pages.restart();
            }
            setEditing(null);
            void refetch();
          }}
        />
      )}
      {resetting && <ResetForm user={resetting} onClose={() => setResetting(null)} />}
    </section>
  );
}
