import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A draft's units say where they came from (the text, a suggestion, the leader's edit), and a draft keeps
 * what its text named but could not be read as units or a leader (相关街道, a unit that does not exist).
 */
export class DraftUnitReading1766300000000 implements MigrationInterface {
  name = 'DraftUnitReading1766300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE draft_task
        -- unit id → 'TEXT' | 'SUGGESTED' | 'EDITED'
        ADD COLUMN unit_sources jsonb NOT NULL DEFAULT '{}',
        -- [{ kind, role, phrase, message, candidates }]
        ADD COLUMN issues jsonb NOT NULL DEFAULT '[]';

      -- Drafts so far: a table's units were written in it, a plan's were suggested.
      UPDATE draft_task d SET unit_sources = s.sources
      FROM (
        SELECT d2.id, jsonb_object_agg(u.id, CASE WHEN p.kind = 'TASK_LIST' THEN 'TEXT' ELSE 'SUGGESTED' END) AS sources
        FROM draft_task d2 JOIN plan p ON p.id = d2.plan_id
        CROSS JOIN LATERAL unnest(d2.lead_unit_ids || d2.support_unit_ids) AS u (id)
        GROUP BY d2.id
      ) s
      WHERE s.id = d.id;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE draft_task DROP COLUMN issues, DROP COLUMN unit_sources`);
  }
}
