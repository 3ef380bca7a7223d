import { BellOutlined, LogoutOutlined } from '@ant-design/icons';
import { useApolloClient, useQuery, useReactiveVar, useSubscription } from '@apollo/client/react';
import { Alert, Badge, Button, Layout, Menu, Tooltip, type MenuProps } from 'antd';
import { useEffect, useRef } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { networkDown } from './apollo';
import { useSession } from './auth';
import { graphql } from './gql';
import type { Role } from './gql/graphql';
import { ROLE_LABEL } from './labels';

const UNREAD = graphql(`
  query UnreadCount {
    unreadNotificationCount
  }
`);

const NOTIFICATION_ADDED = graphql(`
  subscription NotificationAdded {
    notificationAdded {
      id
      title
    }
  }
`);

const HEALTH = graphql(`
  query Ping {
    __typename
  }
`);

const SOON = '（即将上线）';

/** What each role may do (UI.md); pages not built yet are shown as 即将上线 and cannot be opened. */
function menuFor(role: Role): MenuProps['items'] {
  const soon = (key: string, label: string) => ({ key, label: `${label}${SOON}`, disabled: true });
  switch (role) {
    case 'DEPARTMENT_HEAD':
    case 'SUBDISTRICT_HEAD':
      return [
        { key: '/tasks', label: '我的任务' },
        soon('inbox', '待我审批'),
        { key: '/unit', label: '本单位' },
        soon('notifications', '通知'),
      ];
    case 'DEPARTMENT_OFFICER':
    case 'SUBDISTRICT_OFFICER':
      return [{ key: '/tasks', label: '我的任务' }, soon('notifications', '通知')];
    case 'LEADER':
      return ['总览', '任务', '分解', '指标', '通报', '待我审批'].map((label) => soon(label, label));
    case 'INSPECTOR':
      return ['督查', '督办单', '催报', '通报', '待我审批', '总览'].map((label) => soon(label, label));
    case 'ADMIN':
      return ['用户', '单位', '工作日历', '督办流程', '审批流程', '关键词', '通知渠道', '队列'].map((label) =>
        soon(label, label),
      );
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
  const { data, refetch } = useQuery(UNREAD, { fetchPolicy: 'cache-and-network' });
  useSubscription(NOTIFICATION_ADDED, { onData: () => void refetch() });
  if (!viewer) return null;
  const unread = data?.unreadNotificationCount ?? 0;
  const selected = ['/tasks', '/unit'].filter((key) => location.pathname.startsWith(key));

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <NetworkBanner />
      <header className="app-header">
        <span className="app-title">折子工程</span>
        <Menu
          mode="horizontal"
          selectedKeys={selected}
          items={menuFor(viewer.role)}
          onClick={({ key }) => void navigate(key)}
          aria-label="主菜单"
        />
        <div className="app-user">
          <Tooltip title={`${unread} 条未读通知（通知页即将上线）`}>
            <Badge count={unread} overflowCount={99} size="small">
              <Button
                type="text"
                shape="circle"
                icon={<BellOutlined />}
                aria-label={`通知，${unread} 条未读`}
              />
            </Badge>
          </Tooltip>
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
