import type { AssignmentStatus, Light, SortDirection, UnitBoardOrder } from '../../gql/graphql';
import { STATUS_LABEL } from '../../labels';

/**
 * What 我的任务 shows — view, filters, order, page size — kept in the address (`?light=RED&sort=-updated`), so
 * a reload, the back button and a shared link show the same list. Parsing accepts only known values: the
 * address is typed by people.
 */
export interface ListState {
  view: 'table' | 'kanban';
  planId?: string;
  light?: Light;
  status?: AssignmentStatus;
  /** Beijing dates, YYYY-MM-DD, both inclusive. */
  dueFrom?: string;
  dueTo?: string;
  search?: string;
  sort: SortKey;
  pageSize: PageSize;
  /** Another unit's list (a leader's unit board, from the path); the viewer's own unit when absent. */
  orgUnitId?: string;
}

export const PAGE_SIZES = [20, 50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

/** The orders people choose from, in the words of the list; the first is the default. */
export const SORTS = [
  { key: 'due', label: '完成时限（近→远）', orderBy: 'DUE_AT', direction: 'ASC' },
  { key: '-due', label: '完成时限（远→近）', orderBy: 'DUE_AT', direction: 'DESC' },
  { key: 'light', label: '红黄绿灯（红灯在前）', orderBy: 'LIGHT', direction: 'ASC' },
  { key: 'progress', label: '进度（低→高）', orderBy: 'PROGRESS', direction: 'ASC' },
  { key: '-progress', label: '进度（高→低）', orderBy: 'PROGRESS', direction: 'DESC' },
  { key: '-updated', label: '最近更新在前', orderBy: 'UPDATED_AT', direction: 'DESC' },
] as const satisfies readonly {
  key: string;
  label: string;
  orderBy: UnitBoardOrder;
  direction: SortDirection;
}[];
export type SortKey = (typeof SORTS)[number]['key'];

export const DEFAULT_STATE: ListState = { view: 'table', sort: 'due', pageSize: 20 };

const LIGHTS: readonly Light[] = ['RED', 'YELLOW', 'GREEN'];
const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const oneOf = <T extends string>(values: readonly T[], value: string | null): T | undefined =>
  values.find((v) => v === value);

export function parseListState(params: URLSearchParams): ListState {
  const day = (name: string) => {
    const value = params.get(name);
    return value && DAY.test(value) ? value : undefined;
  };
  const plan = params.get('plan');
  const search = params.get('q')?.trim().slice(0, 50);
  const size = Number(params.get('size'));
  return {
    view: params.get('view') === 'kanban' ? 'kanban' : 'table',
    planId: plan && UUID.test(plan) ? plan : undefined,
    light: oneOf(LIGHTS, params.get('light')),
    status: oneOf(Object.keys(STATUS_LABEL) as AssignmentStatus[], params.get('status')),
    dueFrom: day('from'),
    dueTo: day('to'),
    search: search || undefined,
    sort:
      oneOf(
        SORTS.map((s) => s.key),
        params.get('sort'),
      ) ?? DEFAULT_STATE.sort,
    pageSize: PAGE_SIZES.find((s) => s === size) ?? DEFAULT_STATE.pageSize,
  };
}

/** The address of a state: only what differs from the default, in a fixed order. */
export function listStateParams(state: ListState): URLSearchParams {
  const entries: [string, string | undefined][] = [
    ['view', state.view === DEFAULT_STATE.view ? undefined : state.view],
    ['plan', state.planId],
    ['light', state.light],
    ['status', state.status],
    ['from', state.dueFrom],
    ['to', state.dueTo],
    ['q', state.search],
    ['sort', state.sort === DEFAULT_STATE.sort ? undefined : state.sort],
    ['size', state.pageSize === DEFAULT_STATE.pageSize ? undefined : String(state.pageSize)],
  ];
  return new URLSearchParams(entries.filter((e): e is [string, string] => e[1] !== undefined));
}

/** How many filters narrow the list (the view, order and page size do not). */
export function activeFilters(state: ListState): number {
  return [state.planId, state.light, state.status, state.dueFrom ?? state.dueTo, state.search].filter(Boolean)
    .length;
}

export function clearFilters(state: ListState): ListState {
  return { view: state.view, sort: state.sort, pageSize: state.pageSize };
}

/** The start of a Beijing day, or the last millisecond of it, as an instant. */
const beijing = (day: string, end: boolean) =>
  new Date(`${day}T${end ? '23:59:59.999' : '00:00:00.000'}+08:00`).toISOString();

/** The unit board's filter and the items' order for the API; the status is the items' own argument. */
export function listVariables(state: ListState) {
  const sort = SORTS.find((s) => s.key === state.sort) ?? SORTS[0];
  return {
    orgUnitId: state.orgUnitId,
    filter: {
      planId: state.planId,
      light: state.light,
      search: state.search,
      dueFrom: state.dueFrom && beijing(state.dueFrom, false),
      dueTo: state.dueTo && beijing(state.dueTo, true),
    },
    orderBy: sort.orderBy,
    direction: sort.direction,
  };
}

export type TableOrder = 'ascend' | 'descend' | null;

/** The table's sortable columns and the order each sorts by, ascending. */
const COLUMN_ORDER = { due: 'DUE_AT', light: 'LIGHT', progress: 'PROGRESS', updated: 'UPDATED_AT' } as const;
export type SortableColumn = keyof typeof COLUMN_ORDER;

/** The sort a click on a column header asks for; no order (the third click) is the default order again. */
export function sortFromColumn(column: SortableColumn, order: TableOrder): SortKey {
  if (!order) return DEFAULT_STATE.sort;
  const direction = order === 'ascend' ? 'ASC' : 'DESC';
  const match = SORTS.find((s) => s.orderBy === COLUMN_ORDER[column] && s.direction === direction);
  // An order the menu does not offer (green first) is the column's other one.
  return match?.key ?? SORTS.find((s) => s.orderBy === COLUMN_ORDER[column])!.key;
}

/** Which column header shows the current order, and how. */
export function columnOrder(sort: SortKey, column: SortableColumn): TableOrder {
  const s = SORTS.find((x) => x.key === sort)!;
  if (s.orderBy !== COLUMN_ORDER[column]) return null;
  return s.direction === 'ASC' ? 'ascend' : 'descend';
}
