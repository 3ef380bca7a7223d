import { Client } from 'pg';
import { seedDatabase } from '../apps/cli/src/seed';
import { createTestDatabase } from '@zhezi/testing';

describe('npm run seed', () => {
  it('loads the Haidian district once, and a second run creates nothing', async () => {
    const db = await createTestDatabase();
    try {
      const first = await seedDatabase(db.url);
      expect(first.orgUnits.created).toBeGreaterThanOrEqual(1 + 1 + 25 + 29);
      expect(first.tasks.created).toBeGreaterThanOrEqual(12);
      expect(first.indicators.created).toBeGreaterThan(0);
      expect(first.indicatorValues).toBeGreaterThanOrEqual(5);

      const second = await seedDatabase(db.url);
      for (const key of [
        'orgUnits',
        'users',
        'plans',
        'targets',
        'indicators',
        'tasks',
        'assignments',
      ] as const) {
        expect(second[key].created).toBe(0);
      }
      expect(second.indicators.updated).toBe(0);
      expect(second.indicatorValues).toBe(0);
      expect(second.auditEvents).toBe(0);

      const client = new Client({ connectionString: db.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ kind: string; n: number }>(
          `SELECT kind, count(*)::int AS n FROM org_unit GROUP BY kind ORDER BY kind`,
        );
        expect(Object.fromEntries(rows.map((r) => [r.kind, r.n]))).toMatchObject({
          GOVERNMENT: 1,
          INSPECTORATE: 1,
          SUBDISTRICT: 22,
          TOWN: 7,
        });
      } finally {
        await client.end();
      }
    } finally {
      await db.drop();
    }
  });
});
