import { Button, Space } from 'antd';
import { useCallback, useState } from 'react';
import { graphql } from '../gql';

/** What the pager reads of a connection's page: spread into `pageInfo { ...PageCursor }`. */
export const PAGE_CURSOR = graphql(`
  fragment PageCursor on PageInfo {
    endCursor
    hasNextPage
  }
`);

/** Keyset paging over a cursor connection: the cursor each page starts after (page 1 starts at the top). */
export function useKeysetPages() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return {
    page: cursors.length,
    after: cursors[cursors.length - 1],
    /** Back to page 1, as after any change of filter (stable, so effects may depend on it). */
    restart: useCallback(() => setCursors([null]), []),
    back: () => setCursors((c) => c.slice(0, -1)),
    forward: (cursor: string | null | undefined) => setCursors((c) => [...c, cursor ?? null]),
  };
}

/** 上一页 · 第 2 页 · 共 1,234 条 · 下一页 under a list. */
export function KeysetPager({
  pages,
  connection,
}: {
  pages: ReturnType<typeof useKeysetPages>;
  connection:
    | { totalCount: number; pageInfo: { endCursor?: string | null; hasNextPage: boolean } }
    | undefined;
}) {
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
        onClick={() => pages.forward(connection?.pageInfo.endCursor)}
      >
        下一页
      </Button>
    </Space>
  );
}
