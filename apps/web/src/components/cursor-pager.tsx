import type { ResultOf } from '@graphql-typed-document-node/core';
import { Button, Space } from 'antd';
import { useCallback, useState } from 'react';
import { graphql } from '../gql';

/** What a connection's pager needs (spread as `pageInfo { ...PageInfoFields }`). */
export const PAGE_INFO = graphql(`
  fragment PageInfoFields on PageInfo {
    endCursor
    hasNextPage
  }
`);

/** Keyset paging over a cursor connection: the cursor each page starts after (page 1 at the top). */
export function useCursorPages() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return {
    after: cursors[cursors.length - 1],
    page: cursors.length,
    /** Back to page 1, as after any change of filter. */
    restart: useCallback(() => setCursors([null]), []),
    previous: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
    next: (endCursor: string | null | undefined) => setCursors((c) => [...c, endCursor ?? null]),
  };
}

type Pages = ReturnType<typeof useCursorPages>;

/** 上一页 · 第 n 页 · 共 N 条 · 下一页, under a list. */
export function Pager({
  pages,
  connection,
}: {
  pages: Pages;
  connection: { totalCount: number; pageInfo: ResultOf<typeof PAGE_INFO> } | undefined;
}) {
  return (
    <Space style={{ marginTop: 16 }} wrap>
      <Button disabled={pages.page === 1} onClick={pages.previous}>
        上一页
      </Button>
      <span>
        第 {pages.page} 页 · 共 {(connection?.totalCount ?? 0).toLocaleString('zh-CN')} 条
      </span>
      <Button
        disabled={!connection?.pageInfo.hasNextPage}
        onClick={() => pages.next(connection?.pageInfo.endCursor)}
      >
        下一页
      </Button>
    </Space>
  );
}
