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

  it('retires a unit an earlier seed created and the district has since merged (区经信局 → 区科信局)', async () => {
    const db = await createTestDatabase();
    const client = new Client({ connectionString: db.url });
    try {
      await seedDatabase(db.url);
      await client.connect();
      // As an earlier seed left it: 区经济和信息化局 on its own, with a keyword rule and a leader overseeing it.
      await client.query(
        `INSERT INTO org_unit (code, name, kind, parent_id, aliases, sort_order)
         SELECT 'D023', '区经济和信息化局', 'DEPARTMENT', parent_id, '{区经信局}', 25 FROM org_unit WHERE code = 'D001'`,
      );
      await client.query(
        `INSERT INTO unit_keyword (org_unit_id, keyword, weight)
         SELECT id, '工业互联网平台', 2 FROM org_unit WHERE code = 'D023'`,
      );
      await client.query(
        `INSERT INTO leader_portfolio (org_unit_id, leader_id)
         SELECT u.id, l.id FROM org_unit u, app_user l WHERE u.code = 'D023' AND l.username = 'deputy'`,
      );
      await seedDatabase(db.url);
      const { rows } = await client.query<{ active: boolean; survivor: string; keywords: string[] }>(
        `SELECT m.active, s.name AS survivor,
           ARRAY(SELECT keyword FROM unit_keyword k WHERE k.org_unit_id = s.id AND keyword = '工业互联网平台') AS keywords
         FROM org_unit m JOIN org_unit s ON s.id = m.merged_into_id WHERE m.code = 'D023'`,
      );
      expect(rows).toEqual([
        { active: false, survivor: '区科学技术和信息化局', keywords: ['工业互联网平台'] },
      ]);
      const portfolio = await client.query(
        `SELECT 1 FROM leader_portfolio p JOIN org_unit u ON u.id = p.org_unit_id WHERE u.code = 'D023'`,
      );
      expect(portfolio.rows).toEqual([]);
    } finally {
      await client.end();
      await db.drop();
    }
  });
});
