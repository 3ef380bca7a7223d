import { AppstoreOutlined, FilterOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { Badge, Button, DatePicker, Input, Segmented, Select, Space } from 'antd';
import dayjs from 'dayjs';
import { useState, type ReactNode } from 'react';
import { PlanSelect } from '../../components/plan-select';
import type { AssignmentStatus, Light } from '../../gql/graphql';
import type { StatusCount } from './queries';
import { STATUS_LABEL } from '../../labels';
import { activeFilters, clearFilters, SORTS, type ListState, type SortKey } from './list-state';

const LIGHT_OPTIONS: { value: Light; label: string }[] = [
  { value: 'RED', label: '红灯（逾期/督办）' },
  { value: 'YELLOW', label: '黄灯（临期/滞后）' },
  { value: 'GREEN', label: '绿灯（正常）' },
];

interface Props {
  /** The page's title, which shares its row with the view and the order on a wide screen. */
  heading: ReactNode;
  state: ListState;
  columns: readonly StatusCount[];
  phone: boolean;
  /** Applies an edit to the list's current state. */
  onChange: (edit: (current: ListState) => ListState) => void;
}

/**
 * View, filters and order. On a wide screen the view and the order sit beside the title and the filters make one
 * row; on a phone the filters and the order fold behind 筛选 (with how many filters are on), so the list starts
 * near the top of the screen.
 */
export function Toolbar({ heading, state, columns, phone, onChange }: Props) {
  const [open, setOpen] = useState(false);
  const set = (patch: Partial<ListState>) => onChange((current) => ({ ...current, ...patch }));
  const active = activeFilters(state);

  const view = (
    <Segmented<ListState['view']>
      aria-label="显示方式"
      value={state.view}
      onChange={(v) => set({ view: v })}
      options={[
        { value: 'table', label: '列表', icon: <UnorderedListOutlined /> },
        { value: 'kanban', label: '看板', icon: <AppstoreOutlined /> },
      ]}
    />
  );
  const search = (
    <Input.Search
      // A new value from outside (清除筛选) resets what is typed.
      key={state.search ?? ''}
      aria-label="搜索任务名称和内容"
      placeholder="搜索任务名称、内容"
      allowClear
      maxLength={50}
      defaultValue={state.search}
      style={{ width: phone ? '100%' : 220 }}
      onSearch={(v) => set({ search: v.trim() || undefined })}
    />
  );
  const width = (desktop: number) => (phone ? '100%' : desktop);
  const sort = (
    <Select<SortKey>
      aria-label="排序"
      prefix="排序"
      style={{ width: width(210) }}
      value={state.sort}
      onChange={(sort) => set({ sort })}
      options={SORTS.map((s) => ({ value: s.key, label: s.label }))}
    />
  );
  const filters = (
    <>
      <PlanSelect value={state.planId} onChange={(planId) => set({ planId })} style={{ width: width(200) }} />
      <Select<Light | undefined>
        aria-label="按红黄绿灯筛选"
        placeholder="红黄绿灯"
        allowClear
        style={{ width: width(150) }}
        value={state.light}
        onChange={(light) => set({ light })}
        options={LIGHT_OPTIONS}
      />
      <Select<AssignmentStatus | undefined>
        aria-label="按状态筛选"
        placeholder="状态"
        allowClear
        style={{ width: width(150) }}
        value={state.status}
        onChange={(status) => set({ status })}
        options={columns.map((c) => ({ value: c.status, label: `${STATUS_LABEL[c.status]}（${c.count}）` }))}
      />
      <DatePicker.RangePicker
        aria-label="按完成时限筛选"
        placeholder={['时限从', '时限至']}
        allowEmpty={[true, true]}
        style={{ width: width(250) }}
        value={[state.dueFrom ? dayjs(state.dueFrom) : null, state.dueTo ? dayjs(state.dueTo) : null]}
        onChange={(range) =>
          set({ dueFrom: range?.[0]?.format('YYYY-MM-DD'), dueTo: range?.[1]?.format('YYYY-MM-DD') })
        }
      />
      {active > 0 && <Button onClick={() => onChange(clearFilters)}>清除筛选</Button>}
    </>
  );

  if (!phone) {
    return (
      <>
        <div className="page-head">
          {heading}
          <Space wrap>
            {view}
            {sort}
          </Space>
        </div>
        <Space wrap className="list-toolbar">
          {search}
          {filters}
        </Space>
      </>
    );
  }
  return (
    <div className="list-toolbar">
      {heading}
      <div className="list-toolbar-row">
        {view}
        <Badge count={active} size="small">
          <Button icon={<FilterOutlined />} aria-expanded={open} onClick={() => setOpen(!open)}>
            筛选
          </Button>
        </Badge>
      </div>
      {search}
      {open && (
        <div className="list-toolbar-filters">
          {filters}
          {sort}
        </div>
      )}
    </div>
  );
}
