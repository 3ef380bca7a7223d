import { DataSource } from 'typeorm';
import { BoardReadModel } from '@zhezi/board';
import { FixedClock } from '@zhezi/core';
import { generateCity } from '@zhezi/seed';
import {
  BOARDS,
  bodyOf,
  captureSql,
  findSubjects,
  postGraphql,
  recomputes,
  signIn,
  type Board,
  type BoardSubjects,
  type Reader,
  type Statement,
} from '../tools/bench-boards';
import { Cleanup } from '../tools/bench-deadlines';
import { startApiOnOwnDatabase } from './support/own-database-api';

/** A table with more rows than this must be reached through an index. */
const LARGE_TABLE_ROWS = 10_000;
/** `BOARD_PLANS_ASSIGNMENTS=1000000` checks the plans at a million (generating takes minutes then). */
const ASSIGNMENTS = Number(process.env.BOARD_PLANS_ASSIGNMENTS ?? 100_000);

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

/**
 * Where a plan reads a large table whole: a Seq Scan, or an index scan with no index condition that no Limit
 * above it stops (an ordered read of the first page is fine; counting every row through an index is not).
 */
function wholeReads(node: PlanNode, large: Map<string, number>, limited = false): string[] {
  const type = node['Node Type'];
  const relation = node['Relation Name'];
  const whole = type === 'Seq Scan' || (/^Index (Only )?Scan$/.test(type) && !node['Index Cond'] && !limited);
  const own =
    whole && relation && large.has(relation) ? [`${type} on ${relation} (${large.get(relation)} rows)`] : [];
  const below = limited || type === 'Limit';
  return [...own, ...(node.Plans ?? []).flatMap((child) => wholeReads(child, large, below))];
}

/**
 * The boards' SQL on a generated city of 100,000 assignments, planned by PostgreSQL with fresh statistics: no
 * statement a board runs may read a large table whole (sequentially, or all of it through an index). Checked
 * in the steady state (the read model fresh) and when one unit's summary row went stale and is recomputed; the
 * first read after the generation recomputes every (plan, unit) pair and legitimately reads everything, so it
 * is not checked.
 */
describe(`board query plans (${ASSIGNMENTS} assignments)`, () => {
  const clock = new FixedClock(new Date());
  const cleanup = new Cleanup();
  let dataSource: DataSource;
  let readModel: BoardReadModel;
  let url: string;
  let subjects: BoardSubjects;
  let tokens: Record<Reader, string>;
  const large = new Map<string, number>();

  beforeAll(
    async () => {
      // The generator's statements take seconds by design.
      const api = await startApiOnOwnDatabase(cleanup, { clock, env: { SLOW_QUERY_MS: '600000' } });
      [dataSource, url] = [api.app.get(DataSource), api.url];
      readModel = api.app.get(BoardReadModel);
      await dataSource.transaction((m) =>
        generateCity(m, { assignments: ASSIGNMENTS, seed: 1, now: clock.now() }),
      );
      await dataSource.query('ANALYZE');
      subjects = await findSubjects(dataSource);
      tokens = await signIn(url, subjects);
      // Every board once: the first read computes the read model.
      for (const board of BOARDS) await read(board);
      const tables = await dataSource.query<{ name: string }[]>(
        `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`,
      );
      for (const { name } of tables) {
        const [{ rows }] = await dataSource.query<{ rows: number }[]>(
          `SELECT count(*)::int AS rows FROM "${name}"`,
        );
        if (rows > LARGE_TABLE_ROWS) large.set(name, rows);
      }
    },
    120_000 + ASSIGNMENTS * 0.6,
  );

  afterAll(() => cleanup.run());

  const read = (board: Board) => postGraphql(url, bodyOf(board, subjects), tokens[board.reader]);

  /** Each statement whose plan reads a large table whole, with its parameters and its plan as text. */
  async function offences(statements: Statement[]): Promise<string[]> {
    const found: string[] = [];
    for (const { sql, params } of statements.filter((s) => /^\s*(SELECT|WITH)\b/i.test(s.sql))) {
      const [row] = await dataSource.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }[]>(
        `EXPLAIN (FORMAT JSON) ${sql}`,
        params,
      );
      const scanned = wholeReads(row['QUERY PLAN'][0].Plan, large);
      if (!scanned.length) continue;
      const text = await dataSource.query<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${sql}`, params);
      found.push(
        `${scanned.join(', ')} in\n${sql}\n` +
          `parameters ${JSON.stringify(params)}\n${text.map((r) => r['QUERY PLAN']).join('\n')}`,
      );
    }
    return found;
  }

  it('finds the large tables, and a sequential scan on one where there is one', async () => {
    expect(large.get('assignment')).toBeGreaterThanOrEqual(ASSIGNMENTS);
    expect([...large.keys()]).toEqual(expect.arrayContaining(['assignment', 'task']));
    const scan = { sql: 'SELECT count(*) FROM assignment WHERE progress_percent >= $1', params: [0] };
    expect(await offences([scan])).toEqual([expect.stringContaining('Seq Scan on assignment')]);
  });

  it.each(BOARDS.map((board) => [board.name, board] as const))(
    '%s: reads no large table whole (read model fresh)',
    async (_name, board) => {
      const { statements } = await captureSql(dataSource, () => read(board));
      expect({ board: board.name, recomputed: recomputes(statements) }).toEqual({
        board: board.name,
        recomputed: false,
      });
      expect({ board: board.name, offences: await offences(statements) }).toEqual({
        board: board.name,
        offences: [],
      });
    },
  );

  it("recomputes one unit's stale summary row without reading a large table whole", async () => {
    await dataSource.query(
      `UPDATE assignment SET progress_percent = progress_percent + 1
       WHERE id = (SELECT id FROM assignment WHERE org_unit_id = $1 AND progress_percent < 100 ORDER BY id LIMIT 1)`,
      [subjects.officerUnitId],
    );
    const stale = `SELECT count(*)::int AS n FROM board_unit_summary WHERE computed_revision <> revision`;
    expect(await dataSource.query(stale)).toEqual([{ n: 1 }]);
    const { statements } = await captureSql(dataSource, () => read(BOARDS[0]));
    expect(recomputes(statements)).toBe(true);
    expect(await dataSource.query(stale)).toEqual([{ n: 0 }]);
    expect(await offences(statements)).toEqual([]);
  });

  it('refreshes every row of the city, two slices side by side, to the figures they had', async () => {
    const figures = () =>
      dataSource.query<Record<string, unknown>[]>(
        `SELECT plan_id, org_unit_id, assigned, closed, closed_on_time, overdue, overdue_days_sum, overdue_days_max,
                red, yellow, green, open_notices, missed_reports, by_status
         FROM board_unit_summary ORDER BY plan_id, org_unit_id`,
      );
    const before = await figures();
    // Every row stale, as midnight leaves those with open work.
    await dataSource.query('UPDATE board_unit_summary SET valid_until = $1', [clock.now()]);
    let inFlight = 0;
    let mostInFlight = 0;
    const recompute = readModel['recompute'].bind(readModel);
    const spy = jest.spyOn(readModel as unknown as { recompute: typeof recompute }, 'recompute');
    spy.mockImplementation(async (...args) => {
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      try {
        return await recompute(...args);
      } finally {
        inFlight--;
      }
    });
    try {
      expect(await readModel.refreshStale()).toBe(before.length);
    } finally {
      spy.mockRestore();
    }
    expect(mostInFlight).toBe(2);
    expect(await figures()).toEqual(before);
    expect(await readModel.refreshStale()).toBe(0);
  });
});
