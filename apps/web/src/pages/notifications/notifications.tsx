import { useQuery } from '@apollo/client/react';
import { Button, Empty, List, Segmented, Space } from 'antd';
import { useState } from 'react';
import { NotificationEntry, UNREAD, useMarkRead } from '../../components/notifications';
import { KeysetPager, useKeysetPages } from '../../components/pager';
import { classifyError } from '../../errors';
import { graphql } from '../../gql';
import type { NotificationItemFragment } from '../../gql/graphql';

const NOTIFICATIONS = graphql(`
  query Notifications($unreadOnly: Boolean!, $first: Int!, $after: String) {
    myNotifications(unreadOnly: $unreadOnly, first: $first, after: $after) {
      totalCount
      pageInfo {
        ...PageCursor
      }
      edges {
        node {
          ...NotificationItem
        }
      }
    }
  }
`);

const PAGE_SIZE = 20;

/** 通知: every notification of the signed-in user, newest first; each opens what it is about. */
export default function NotificationsPage() {
  const [unreadOnly, setUnreadOnly] = useState(false);
  const pages = useKeysetPages();
  const { data, loading, error } = useQuery(NOTIFICATIONS, {
    variables: { unreadOnly, first: PAGE_SIZE, after: pages.after },
    fetchPolicy: 'cache-and-network',
  });
  const unread = useQuery(UNREAD).data?.unreadNotificationCount ?? 0;
  const { markRead, markAllRead, markingAll } = useMarkRead();
  const list = data?.myNotifications;

  const open = (n: NotificationItemFragment) => {
    if (!n.readAt) void markRead([n.id]);
  };

  let empty = unreadOnly ? '没有未读通知' : '暂无通知。有新交办、催办、督办或审批时会在这里提醒您。';
  if (error) empty = classifyError(error).message;

  return (
    <section>
      <h1 className="page-title">通知{unread ? `（${unread} 条未读）` : ''}</h1>
      <Space wrap style={{ marginBottom: 16 }}>
        <Segmented<'all' | 'unread'>
          aria-label="显示范围"
          value={unreadOnly ? 'unread' : 'all'}
          options={[
            { value: 'all', label: '全部' },
            { value: 'unread', label: '只看未读' },
          ]}
          onChange={(v) => {
            setUnreadOnly(v === 'unread');
            pages.restart();
          }}
        />
        <Button disabled={!unread} loading={markingAll} onClick={() => void markAllRead()}>
          全部标为已读
        </Button>
      </Space>
      <List
        className="notification-list"
        loading={loading && !data}
        dataSource={list?.edges.map((e) => e.node) ?? []}
        locale={{ emptyText: <Empty description={empty} /> }}
        renderItem={(n) => (
          <NotificationEntry
            notification={n}
            onOpen={open}
            extra={
              !n.readAt && (
                <Button type="link" size="small" onClick={() => void markRead([n.id])}>
                  标为已读
                </Button>
              )
            }
          />
        )}
      />
      <KeysetPager pages={pages} connection={list} />
    </section>
  );
}
