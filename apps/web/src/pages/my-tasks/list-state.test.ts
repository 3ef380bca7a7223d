import { describe, expect, it } from 'vitest';
import {
  activeFilters,
  clearFilters,
  columnOrder,
  DEFAULT_STATE,
  listStateParams,
  listVariables,
  parseListState,
  sortFromColumn,
  type ListState,
} from './list-state';

const PLAN = '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b';
const parse = (query: string) => parseListState(new URLSearchParams(query));

describe('the list state in the address', () => {
  it('is the default for an empty address', () => {
    expect(parse('')).toEqual({ ...DEFAULT_STATE });
    expect(listStateParams(DEFAULT_STATE).toString()).toBe('');
  });

  it('reads back what it wrote', () => {
    const state: ListState = {
      view: 'kanban',
      planId: PLAN,
      light: 'RED',
      status: 'IN_PROGRESS',
      dueFrom: '2026-03-01',
      dueTo: '2026-03-31',
      search: '停车',
      sort: '-updated',
      pageSize: 50,
    };
    const params = listStateParams(state);
    expect(params.toString()).toBe(
      `view=kanban&plan=${PLAN}&light=RED&status=IN_PROGRESS&from=2026-03-01&to=2026-03-31&q=%E5%81%9C%E8%BD%A6&sort=-updated&size=50`,
    );
    expect(parseListState(params)).toEqual(state);
  });

  it('drops what people mistype instead of sending it to the API', () => {
    expect(
      parse('view=grid&plan=42&light=BLUE&status=DONE&from=2026-13-01&to=yesterday&sort=name&size=1000'),
    ).toEqual({ ...DEFAULT_STATE });
    expect(parse(`q=${'长'.repeat(80)}`).search).toHaveLength(50);
    expect(parse('q=%20%20').search).toBeUndefined();
  });

  it('counts the filters and clears them, keeping the view, the order and the page size', () => {
    const state = parse(`view=kanban&light=RED&from=2026-03-01&to=2026-03-31&q=河道&sort=light&size=100`);
    expect(activeFilters(state)).toBe(3);
    expect(clearFilters(state)).toEqual({ view: 'kanban', sort: 'light', pageSize: 100 });
    expect(activeFilters(clearFilters(state))).toBe(0);
  });
});

describe('the API variables of a state', () => {
  it('turns Beijing dates into the first and last instant of those days', () => {
    expect(listVariables(parse('from=2026-03-01&to=2026-03-31')).filter).toMatchObject({
      dueFrom: '2026-02-28T16:00:00.000Z',
      dueTo: '2026-03-31T15:59:59.999Z',
    });
  });

  it('maps each order to the API order and direction', () => {
    expect(listVariables(DEFAULT_STATE)).toMatchObject({ orderBy: 'DUE_AT', direction: 'ASC' });
    expect(listVariables(parse('sort=light'))).toMatchObject({ orderBy: 'LIGHT', direction: 'ASC' });
    expect(listVariables(parse('sort=-progress'))).toMatchObject({ orderBy: 'PROGRESS', direction: 'DESC' });
    expect(listVariables(parse('sort=-updated'))).toMatchObject({ orderBy: 'UPDATED_AT', direction: 'DESC' });
  });

  it('leaves out filters that are not set', () => {
    expect(JSON.parse(JSON.stringify(listVariables(DEFAULT_STATE).filter))).toEqual({});
  });
});

describe('sorting from the table headers', () => {
  it('sorts by the clicked column, and back to the default on the third click', () => {
    expect(sortFromColumn('progress', 'descend')).toBe('-progress');
    expect(sortFromColumn('due', 'ascend')).toBe('due');
    expect(sortFromColumn('light', 'ascend')).toBe('light');
    expect(sortFromColumn('updated', 'descend')).toBe('-updated');
    expect(sortFromColumn('progress', null)).toBe('due');
  });

  it('offers only the orders the menu has', () => {
    expect(sortFromColumn('light', 'descend')).toBe('light');
    expect(sortFromColumn('updated', 'ascend')).toBe('-updated');
  });

  it('marks the header of the current order only', () => {
    expect(columnOrder('-progress', 'progress')).toBe('descend');
    expect(columnOrder('-progress', 'due')).toBeNull();
    expect(columnOrder('due', 'due')).toBe('ascend');
  });
});
