import { Button, Space } from 'antd';
import { useState } from 'react';

/** Keyset paging over a cursor connection: the cursor each page starts after (page 1 at the top). */
export function useCursorPages() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return {
    page: cursors.length,
    after: cursors[cursors.length - 1],
    restart: () => setCursors([null]),
    back: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
    next: (endCursor: string | null) => setCursors((c) => [...c, endCursor]),
  };
}

export type CursorPages = ReturnType<typeof useCursorPages>;

interface PagedConnection {
  totalCount: number;
  pageInfo: { endCursor?: string | null; hasNextPage: boolean };
}

/** 上一页 · 第 n 页 · 共 N 条 · 下一页 */
export function CursorPager({ pages, connection }: { pages: CursorPages; connection?: PagedConnection }) {
  return (
    <Space style={{ marginTop: 16 }} wrap>
      <Button disabled={pages.page === 1} onClick={pages.back}>
        上一页
      </Button>
      <span>
        第 {pages.page} 页 · 共 {(connection?.totalCount ?? 0).toLocaleString('zh-CN')} 条
      </span>
      <Button
        disabled={!connection?.pageInfo.hasNextPage}
        onClick={() => pages.next(connection?.pageInfo.endCursor ?? null)}
      >
        下一页
      </Button>
    </Space>
  );
}
