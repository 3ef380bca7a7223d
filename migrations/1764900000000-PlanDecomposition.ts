import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * From plan document to task lists: the keyword dictionary that suggests responsible units, draft tasks a
 * leader edits before a DECOMPOSITION approval publishes them, and plan-level approval requests.
 */
export class PlanDecomposition1764900000000 implements MigrationInterface {
  name = 'PlanDecomposition1764900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE indicator ADD COLUMN phrase text NOT NULL DEFAULT '';

      CREATE TABLE unit_keyword (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        org_unit_id uuid NOT NULL REFERENCES org_unit (id) ON DELETE CASCADE,
        keyword varchar NOT NULL CHECK (char_length(keyword) BETWEEN 1 AND 20),
        weight numeric NOT NULL DEFAULT 1 CHECK (weight > 0 AND weight <= 10),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (keyword, org_unit_id)
      );
      CREATE INDEX unit_keyword_unit_idx ON unit_keyword (org_unit_id);

      CREATE TABLE draft_task (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        plan_id uuid NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
        position int NOT NULL,
        code varchar NOT NULL,
        title varchar NOT NULL,
        description text NOT NULL DEFAULT '',
        target_ids uuid[] NOT NULL DEFAULT '{}',
        lead_unit_ids uuid[] NOT NULL DEFAULT '{}',
        support_unit_ids uuid[] NOT NULL DEFAULT '{}',
        responsible_leader_id uuid REFERENCES app_user (id),
        due_at timestamptz NOT NULL,
        milestones jsonb NOT NULL DEFAULT '[]',
        suggestions jsonb NOT NULL DEFAULT '[]',
        -- set when published: a draft becomes exactly one task, however often the plan is published
        task_id uuid UNIQUE REFERENCES task (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1
      );
      CREATE INDEX draft_task_plan_idx ON draft_task (plan_id, position);

      ALTER TABLE approval_request
        ALTER COLUMN task_id DROP NOT NULL,
        ADD COLUMN plan_id uuid REFERENCES plan (id),
        ADD CONSTRAINT approval_request_subject CHECK (task_id IS NOT NULL OR plan_id IS NOT NULL);
      UPDATE approval_request r SET plan_id = t.plan_id FROM task t WHERE t.id = r.task_id;
      -- one open decomposition per plan: a second submission is a CONFLICT
      CREATE UNIQUE INDEX approval_request_open_plan_idx ON approval_request (plan_id, kind)
        WHERE status = 'PENDING' AND task_id IS NULL;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DELETE FROM approval_decision d USING approval_request r WHERE d.request_id = r.id AND r.task_id IS NULL;
      DELETE FROM approval_step s USING approval_request r WHERE s.request_id = r.id AND r.task_id IS NULL;
      DELETE FROM approval_request WHERE task_id IS NULL;
      DROP INDEX approval_request_open_plan_idx;
      ALTER TABLE approval_request
        DROP CONSTRAINT approval_request_subject,
        DROP COLUMN plan_id,
        ALTER COLUMN task_id SET NOT NULL;
      DROP TABLE draft_task;
      DROP TABLE unit_keyword;
      ALTER TABLE indicator DROP COLUMN phrase;
    `);
  }
}
