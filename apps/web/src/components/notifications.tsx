import { BellOutlined } from '@ant-design/icons';
import { useApolloClient, useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { App, Badge, Button, Empty, List, Popover, Space, Tag, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { classifyError } from '../errors';
import { graphql } from '../gql';
import type { NotificationItemFragment } from '../gql/graphql';
import { NOTIFICATION_KIND_LABEL } from '../labels';
import { shortDateTime } from '../workdays';
import { notificationPath } from './notification-link';

export const NOTIFICATION_ITEM = graphql(`
  fragment NotificationItem on Notification {
    id
    kind
    title
    body
    createdAt
    readAt
    subjectType
    subjectId
    link
  }
`);

export const UNREAD = graphql(`
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

const LATEST = graphql(`
  query BellNotifications {
    myNotifications(first: 5) {
      edges {
        node {
          ...NotificationItem
        }
      }
    }
  }
`);

const MARK_READ = graphql(`
  mutation MarkNotificationsRead($ids: [ID!]!) {
    markNotificationsRead(ids: $ids) {
      id
      readAt
    }
  }
`);

const MARK_ALL_READ = graphql(`
  mutation MarkAllNotificationsRead {
    markAllNotificationsRead
  }
`);

/** The queries that show notifications or what they announce: asked again when one arrives or is read. */
const LIVE_QUERIES = ['UnreadCount', 'BellNotifications', 'Notifications', 'ApprovalInbox'];

/** Refetches those of the live queries that are on screen (others are fetched when they next mount). */
function useRefetchLive() {
  const client = useApolloClient();
  return () =>
    client.refetchQueries({
      include: 'active',
      onQueryUpdated: (query) => LIVE_QUERIES.includes(query.queryName ?? ''),
    });
}

/**
 * Marking read, one or all, with the bell's count and the lists following at once. A failure is said where the
 * user is (a lost network or session has its banner or sign-in already).
 */
export function useMarkRead() {
  const { message } = App.useApp();
  const refetchLive = useRefetchLive();
  const [markRead] = useMutation(MARK_READ);
  const [markAll, { loading: markingAll }] = useMutation(MARK_ALL_READ);
  const failed = (error: unknown) => {
    const mapped = classifyError(error);
    if (mapped.kind !== 'network' && mapped.kind !== 'unauthenticated') void message.error(mapped.message);
  };
  return {
    markingAll,
    async markRead(ids: string[]) {
      try {
        await markRead({ variables: { ids } });
        await refetchLive();
      } catch (error) {
        failed(error);
      }
    },
    async markAllRead() {
      try {
        const { data } = await markAll();
        await refetchLive();
        void message.success(`已将 ${data?.markAllNotificationsRead ?? 0} 条通知标为已读`);
      } catch (error) {
        failed(error);
      }
    },
  };
}

/**
 * One notification: 未读 as a word (not colour alone), its title opening what it is about — marking it read —,
 * its text and when it came.
 */
export function NotificationEntry({
  notification: n,
  onOpen,
  extra,
}: {
  notification: NotificationItemFragment;
  onOpen(n: NotificationItemFragment): void;
  extra?: ReactNode;
}) {
  const path = notificationPath(n);
  const unread = !n.readAt;
  const title = (
    <Typography.Text strong={unread} className="notification-title">
      {n.title}
    </Typography.Text>
  );
  return (
    <List.Item
      className={unread ? 'notification unread' : 'notification'}
      actions={extra ? [extra] : undefined}
    >
      <List.Item.Meta
        title={
          <Space size={6} align="start">
            {unread && <Tag className="unread-tag">未读</Tag>}
            {path ? (
              <Link to={path} onClick={() => onOpen(n)}>
                {title}
              </Link>
            ) : (
              title
            )}
          </Space>
        }
        description={
          <>
            <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ marginBottom: 4 }}>
              {n.body}
            </Typography.Paragraph>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {NOTIFICATION_KIND_LABEL[n.kind]} · {shortDateTime(n.createdAt)}
            </Typography.Text>
          </>
        }
      />
    </List.Item>
  );
}

function BellPanel({ close }: { close(): void }) {
  const { data, loading } = useQuery(LATEST, { fetchPolicy: 'cache-and-network' });
  const { markRead } = useMarkRead();
  const items = data?.myNotifications.edges.map((e) => e.node) ?? [];
  const open = (n: NotificationItemFragment) => {
    if (!n.readAt) void markRead([n.id]);
    close();
  };
  return (
    <div className="bell-panel">
      <List
        size="small"
        loading={loading && !data}
        dataSource={items}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无通知" /> }}
        renderItem={(n) => <NotificationEntry notification={n} onOpen={open} />}
      />
      <div className="bell-footer">
        <Link to="/notifications" onClick={close}>
          查看全部通知
        </Link>
      </div>
    </div>
  );
}

/** The header's bell: the unread count, updated live (notificationAdded), opening the latest notifications. */
export function NotificationBell() {
  const [open, setOpen] = useState(false);
  const refetchLive = useRefetchLive();
  const { data } = useQuery(UNREAD, { fetchPolicy: 'cache-and-network' });
  useSubscription(NOTIFICATION_ADDED, { onData: () => void refetchLive() });
  const unread = data?.unreadNotificationCount ?? 0;
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      placement="bottomRight"
      title="通知"
      content={<BellPanel close={() => setOpen(false)} />}
    >
      <Badge count={unread} overflowCount={99} size="small">
        <Button
          type="text"
          shape="circle"
          icon={<BellOutlined />}
          aria-label={`通知，${unread} 条未读`}
          aria-haspopup="dialog"
          aria-expanded={open}
        />
      </Badge>
    </Popover>
  );
}
