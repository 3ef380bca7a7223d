import { Card, Grid, List, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { ReactNode } from 'react';

/** A list as a table at desktop width and as cards at phone width (UI.md), with one empty state for both. */
export function ResponsiveList<Row extends { id: string }>({
  rows,
  columns,
  cardTitle,
  cardBody,
  loading,
  empty,
}: {
  rows: Row[];
  columns: ColumnsType<Row>;
  cardTitle(row: Row): ReactNode;
  cardBody(row: Row): ReactNode;
  loading: boolean;
  empty: ReactNode;
}) {
  const phone = !Grid.useBreakpoint().md;
  if (phone) {
    return (
      <List
        loading={loading}
        dataSource={rows}
        locale={{ emptyText: empty }}
        renderItem={(row) => (
          <List.Item>
            <Card size="small" style={{ width: '100%' }} title={cardTitle(row)}>
              {cardBody(row)}
            </Card>
          </List.Item>
        )}
      />
    );
  }
  return (
    <Table<Row>
      rowKey="id"
      size="middle"
      loading={loading}
      columns={columns}
      dataSource={rows}
      pagination={false}
      locale={{ emptyText: empty }}
    />
  );
}
