import { Client } from 'pg';
import { createTestDatabase } from '@zhezi/testing';
import { generate } from '../apps/cli/src/gen';
import { DEPARTMENTS, LOCAL_UNITS } from '@zhezi/seed';

/** A district's units that hold shares: its departments and its subdistricts and towns, as the seed has them. */
const WORKING_UNITS = DEPARTMENTS.length + LOCAL_UNITS.length;

/** What a generated city looks like, row by row, as one hash: equal hashes, equal data. */
const FINGERPRINT = `
  SELECT md5(string_agg(concat_ws('|', t.code, o.code, a.role, a.status, a.progress_percent, a.due_at, a.created_at),
                        ',' ORDER BY t.code, o.code)) AS h
  FROM assignment a JOIN task t ON t.id = a.task_id JOIN org_unit o ON o.id = a.org_unit_id`;

describe('city-scale data generator (npm run gen)', () => {
  const now = new Date('2026-11-25T02:00:00Z');
  const databases: Awaited<ReturnType<typeof createTestDatabase>>[] = [];

  afterAll(async () => {
    for (const db of databases) await db.drop();
  });

  async function query<T>(url: string, sql: string): Promise<T[]> {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  }

  async function generated(seed: number) {
    const db = await createTestDatabase();
    databases.push(db);
    const summary = await generate(db.url, 2000, seed, now);
    const [{ h }] = await query<{ h: string }>(db.url, FINGERPRINT);
    return { db, summary, hash: h };
  }

  it('builds 16 districts of units, users, task lists and the asked number of assignments, with spreads', async () => {
    const { db, summary } = await generated(1);
    expect(summary).toMatchObject({
      units: 16 * (WORKING_UNITS + 2),
      plans: 16,
      tasks: 500,
      assignments: 2000,
    });
    expect(summary.users).toBe(16 * 2 + 16 * WORKING_UNITS * 2);
    expect(summary.escalations).toBeGreaterThan(0);
    expect(summary.supervisionNotices).toBeGreaterThan(0);
    expect(summary.missedReports).toBeGreaterThan(0);
    const statuses = await query<{ status: string; n: number }>(
      db.url,
      `SELECT status, count(*)::int AS n FROM assignment GROUP BY status ORDER BY status`,
    );
    expect(statuses.map((s) => s.status).sort()).toEqual(
      ['ACCEPTED', 'ASSIGNED', 'CLOSED', 'CLOSE_OUT_REQUESTED', 'IN_PROGRESS', 'SUSPENDED'].sort(),
    );
    const [{ overdue }] = await query<{ overdue: number }>(
      db.url,
      `SELECT count(*)::int AS overdue FROM assignment WHERE status NOT IN ('CLOSED', 'SUSPENDED') AND due_at < '${now.toISOString()}'`,
    );
    expect(overdue / 2000).toBeGreaterThan(0.03);
    expect(overdue / 2000).toBeLessThan(0.2);
  });

  it('is deterministic: the same seed and time give the same city, another seed another', async () => {
    const [a, b, c] = [await generated(7), await generated(7), await generated(8)];
    expect(a.hash).toBe(b.hash);
    expect(a.summary).toEqual(b.summary);
    expect(c.hash).not.toBe(a.hash);
  });

  it('refuses to generate twice into one database', async () => {
    const db = databases[0];
    await expect(generate(db.url, 100, 1, now)).rejects.toThrow(/already holds generated data/);
  });
});
