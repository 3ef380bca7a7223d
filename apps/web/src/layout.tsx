import { LogoutOutlined } from '@ant-design/icons';
import { useApolloClient, useQuery, useReactiveVar } from '@apollo/client/react';
import { Alert, Button, Layout, Menu, type MenuProps } from 'antd';
import { useEffect, useRef } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { networkDown } from './apollo';
import { useSession } from './auth';
import { NotificationBell } from './components/notifications';
import { graphql } from './gql';
import type { Role } from './gql/graphql';
import { ROLE_LABEL } from './labels';
import { ADMIN_PAGES, CHANNELS_PATH } from './pages/admin/admin-pages';

const HEALTH = graphql(`
  query Ping {
    __typename
  }
`);

const INBOX = { key: '/approvals', label: '待我审批' };
const NOTIFICATIONS = { key: '/notifications', label: '通知' };

/** What each role may do (UI.md). */
function menuFor(role: Role): MenuProps['items'] {
  switch (role) {
    case 'DEPARTMENT_HEAD':
    case 'SUBDISTRICT_HEAD':
      return [
        { key: '/tasks', label: '我的任务' },
        INBOX,
        { key: '/unit', label: '本单位' },
        NOTIFICATIONS,
        { key: CHANNELS_PATH, label: '通知渠道' },
      ];
    case 'DEPARTMENT_OFFICER':
    case 'SUBDISTRICT_OFFICER':
      return [{ key: '/tasks', label: '我的任务' }, NOTIFICATIONS];
    case 'LEADER':
      return [
        { key: '/overview', label: '总览' },
        { key: '/plan-tasks', label: '任务' },
        { key: '/decomposition', label: '分解' },
        { key: '/indicators', label: '指标' },
        { key: '/bulletin', label: '通报' },
        INBOX,
      ];
    case 'INSPECTOR':
      return [
        { key: '/supervision', label: '督查' },
        { key: '/supervision-notices', label: '督办单' },
        { key: '/reports/missing', label: '催报' },
        { key: '/bulletin', label: '通报' },
        INBOX,
        { key: '/overview', label: '总览' },
      ];
    case 'ADMIN':
      return ADMIN_PAGES.map((page) => ({ key: page.path, label: page.title }));
  }
}

function NetworkBanner() {
  const down = useReactiveVar(networkDown);
  // While the API does not answer, ask every few seconds; the first answer clears the flag and the banner.
  useQuery(HEALTH, { skip: !down, pollInterval: 3000, fetchPolicy: 'network-only' });
  // Back online: what failed meanwhile is asked again, so the page shows data rather than the error.
  const client = useApolloClient();
  const wasDown = useRef(false);
  useEffect(() => {
    if (wasDown.current && !down) void client.refetchQueries({ include: 'active' });
    wasDown.current = down;
  }, [down, client]);
  if (!down) return null;
  return <Alert type="error" banner role="alert" title="无法连接服务器，请检查网络；恢复后自动重试。" />;
}

export function AppLayout() {
  const { viewer, signOut } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  if (!viewer) return null;
  const items = menuFor(viewer.role) ?? [];
  // The menu item whose page (or a page under it) is open.
  const selected = items
    .map((item) => String(item?.key))
    .filter((key) => location.pathname === key || location.pathname.startsWith(`${key}/`));

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <NetworkBanner />
      <header className="app-header">
        <span className="app-title">折子工程</span>
        <Menu
          mode="horizontal"
          selectedKeys={selected}
          items={items}
          onClick={({ key }) => void navigate(key)}
          aria-label="主菜单"
        />
        <div className="app-user">
          <NotificationBell />
          <span data-testid="who">
            {viewer.orgUnit.name} · {ROLE_LABEL[viewer.role]}
            <span className="who-name"> · {viewer.displayName}</span>
          </span>
          <Button
            type="text"
            icon={<LogoutOutlined />}
            onClick={() => void signOut().then(() => navigate('/login', { replace: true }))}
          >
            退出
          </Button>
        </div>
      </header>
      <Layout.Content className="app-content">
        <Outlet />
      </Layout.Content>
    </Layout>
  );
}
