import { FixedClock } from '@zhezi/core';
import { graphql } from './gql';
import type { SortDirection, UnitBoardFilter, UnitBoardOrder, UnitBoardOrderItemsQuery } from './gql/graphql';
import { dataOf, taskOps } from './support/ops';
import { startTestApi, type TestApi } from './support/test-api';

const ITEMS = graphql(`
  query UnitBoardOrderItems(
    $filter: UnitBoardFilter
    $orderBy: UnitBoardOrder!
    $direction: SortDirection!
    $after: String
  ) {
    unitBoard(filter: $filter) {
      items(first: 2, after: $after, orderBy: $orderBy, direction: $direction) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            light
            progressPercent
            updatedAt
          }
        }
      }
    }
  }
`);

/**
 * The unit's list sorted by light, progress and last change as well as by due date, paged two at a time: each
 * order is the whole list in the expected sequence, with no row skipped or repeated at a page's edge.
 */
describe('unit board order (e2e)', () => {
  const clock = new FixedClock(new Date('2026-03-02T02:00:00Z')); // Monday 10:00 Beijing
  let api: TestApi;
  let officer: string;
  /** The shares by name: due date, progress, last change and status chosen so that every order differs. */
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    api = await startTestApi({ clock });
    const ops = taskOps(api);
    const leader = await api.token('leader');
    officer = await api.token('zgcOfficer');
    const planId = await ops.createPlan(leader, '排序测试清单');
    const shares: [name: string, due: string, progress: number, updated: string, closed?: boolean][] = [
      ['late', '2026-02-27T15:59:59.999Z', 40, '2026-02-20T01:00:00.000Z'], // overdue: red
      ['near', '2026-03-04T15:59:59.999Z', 90, '2026-02-25T01:00:00.000Z'], // warning window: yellow
      ['mid', '2026-09-30T15:59:59.999Z', 60, '2026-03-01T01:00:00.000Z'], // green
      ['far', '2026-12-31T15:59:59.999Z', 60, '2026-02-28T01:00:00.000Z'], // green
      ['done', '2026-06-30T15:59:59.999Z', 100, '2026-02-26T01:00:00.000Z', true], // closed: no light
    ];
    for (const [name, dueAt, progress, updated, closed] of shares) {
      const task = await ops.createTask(leader, {
        planId,
        title: `排序任务 ${name}`,
        responsibleLeaderId: api.fixture.users.leader.id,
        dueAt,
      });
      [ids[name]] = (
        await ops.assignTask(leader, task.id, [{ orgUnitId: api.fixture.units.zgc.id, dueAt }])
      ).map((a) => a.id);
      // Set straight in the table: the orders read these columns, however a share came by them.
      await api.dataSource.query(
        `UPDATE assignment SET progress_percent = $2, created_at = '2026-01-05T00:00:00Z', updated_at = $3,
           status = CASE WHEN $4 THEN 'CLOSED' ELSE status END, closed_at = CASE WHEN $4 THEN $3::timestamptz END
         WHERE id = $1`,
        [ids[name], progress, updated, closed ?? false],
      );
    }
  });

  afterAll(() => api.close());

  async function all(
    orderBy: UnitBoardOrder,
    direction: SortDirection,
    filter: UnitBoardFilter = {},
  ): Promise<string[]> {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      // Annotated: `after` feeds the next request, so the result cannot be inferred through the loop.
      const { items }: UnitBoardOrderItemsQuery['unitBoard'] = dataOf(
        await api.gql(ITEMS, { filter, orderBy, direction, after }, officer),
      ).unitBoard;
      seen.push(...items.edges.map((e) => e.node.id));
      if (!items.pageInfo.hasNextPage) return seen.map((id) => Object.keys(ids).find((k) => ids[k] === id)!);
      after = items.pageInfo.endCursor;
    }
  }

  it.each<[UnitBoardOrder, SortDirection, string[]]>([
    ['DUE_AT', 'ASC', ['late', 'near', 'done', 'mid', 'far']],
    ['DUE_AT', 'DESC', ['far', 'mid', 'done', 'near', 'late']],
    // Red, yellow, green (by due date), then the closed share, which has no light.
    ['LIGHT', 'ASC', ['late', 'near', 'mid', 'far', 'done']],
    ['LIGHT', 'DESC', ['done', 'far', 'mid', 'near', 'late']],
    // Equal progress (60 %) goes by due date.
    ['PROGRESS', 'ASC', ['late', 'mid', 'far', 'near', 'done']],
    ['UPDATED_AT', 'DESC', ['mid', 'far', 'done', 'near', 'late']],
  ])('orders by %s %s across pages', async (orderBy, direction, expected) => {
    await expect(all(orderBy, direction)).resolves.toEqual(expected);
  });

  it('keeps the order within a filter', async () => {
    await expect(all('PROGRESS', 'DESC', { light: 'GREEN' })).resolves.toEqual(['far', 'mid']);
  });

  it('refuses a cursor of another order, and a due range that ends before it starts', async () => {
    const first = dataOf(await api.gql(ITEMS, { orderBy: 'LIGHT', direction: 'ASC' }, officer)).unitBoard
      .items.pageInfo.endCursor;
    const mixed = await api.gql(ITEMS, { orderBy: 'DUE_AT', direction: 'ASC', after: first }, officer);
    expect(mixed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const reversed = await api.gql(
      ITEMS,
      {
        orderBy: 'DUE_AT',
        direction: 'ASC',
        filter: { dueFrom: '2026-06-01T00:00:00.000Z', dueTo: '2026-05-01T00:00:00.000Z' },
      },
      officer,
    );
    expect(reversed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'dueTo' });
  });
});
