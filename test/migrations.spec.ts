import { Client } from 'pg';
import { migrateDown, migrateUp } from '../apps/cli/src/migrate';
import { MIGRATIONS } from '@zhezi/migrations';
import { createEmptyDatabase } from '@zhezi/testing';

async function publicObjects(url: string): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(`
      SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'
      UNION ALL
      SELECT routine_name FROM information_schema.routines WHERE routine_schema = 'public'
      ORDER BY 1`);
    return rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

describe('migrations', () => {
  it('apply to an empty database and revert completely', async () => {
    const db = await createEmptyDatabase();
    try {
      const applied = await migrateUp(db.url);
      expect(applied).toEqual(MIGRATIONS.map((m) => m.name));
      expect(await publicObjects(db.url)).toEqual(
        expect.arrayContaining(['assignment', 'audit_event', 'org_unit', 'plan', 'target', 'task']),
      );
      expect(await migrateUp(db.url)).toEqual([]);

      expect(await migrateDown(db.url, Infinity)).toBe(MIGRATIONS.length);
      expect(await publicObjects(db.url)).toEqual(['migrations']);

      expect(await migrateUp(db.url)).toHaveLength(MIGRATIONS.length);
    } finally {
      await db.drop();
    }
  });
});
