import { Card, Empty, Grid, List, Table, type CardProps, type TableProps } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { classifyError } from '../errors';

/**
 * A list as a table on a desk and as cards on a phone (UI.md), with one empty state for both: why nothing is
 * shown when the API did not answer, else what to do next.
 */
export function ResponsiveList<T extends object>(props: {
  rows: readonly T[];
  rowKey: (row: T) => string;
  columns: ColumnsType<T>;
  /** The card of a row at phone width. */
  card: (row: T) => CardProps;
  loading: boolean;
  error: unknown;
  emptyText: string;
  bordered?: boolean;
  /** More for the table at desk width (a sorter's onChange, its tooltip). */
  tableProps?: Omit<TableProps<T>, 'columns' | 'dataSource' | 'rowKey' | 'loading'>;
}) {
  const phone = !Grid.useBreakpoint().md;
  const empty = <Empty description={props.error ? classifyError(props.error).message : props.emptyText} />;
  if (phone) {
    return (
      <List
        loading={props.loading}
        dataSource={[...props.rows]}
        rowKey={props.rowKey}
        locale={{ emptyText: empty }}
        renderItem={(row) => (
          <List.Item>
            <Card size="small" style={{ width: '100%' }} {...props.card(row)} />
          </List.Item>
        )}
      />
    );
  }
  return (
    <Table<T>
      rowKey={props.rowKey}
      size="middle"
      bordered={props.bordered}
      loading={props.loading}
      columns={props.columns}
      dataSource={[...props.rows]}
      pagination={false}
      locale={{ emptyText: empty }}
      {...props.tableProps}
    />
  );
}
