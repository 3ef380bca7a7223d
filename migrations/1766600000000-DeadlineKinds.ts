import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deadlines carry a kind: a date, an ongoing duty (长期坚持: never overdue, shown as 长期) or a recurring one
 * (每季度: milestones at each period's end). Drafts and tasks keep the kind and how often it recurs; a share
 * keeps the kind, which is all the deadline engine and the boards need. Indicators mark a recurring target
 * (每年不少于…). Everything so far was a date.
 */
export class DeadlineKinds1766600000000 implements MigrationInterface {
  name = 'DeadlineKinds1766600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE draft_task
        ADD COLUMN due_kind varchar NOT NULL DEFAULT 'DATE'
          CHECK (due_kind IN ('DATE', 'ONGOING', 'RECURRING')),
        ADD COLUMN recurrence varchar CHECK (recurrence IN ('MONTHLY', 'QUARTERLY', 'HALF_YEARLY', 'YEARLY'));
      ALTER TABLE task
        ADD COLUMN due_kind varchar NOT NULL DEFAULT 'DATE'
          CHECK (due_kind IN ('DATE', 'ONGOING', 'RECURRING')),
        ADD COLUMN recurrence varchar CHECK (recurrence IN ('MONTHLY', 'QUARTERLY', 'HALF_YEARLY', 'YEARLY'));
      ALTER TABLE assignment
        ADD COLUMN due_kind varchar NOT NULL DEFAULT 'DATE'
          CHECK (due_kind IN ('DATE', 'ONGOING', 'RECURRING'));
      ALTER TABLE indicator
        ADD COLUMN recurrence varchar CHECK (recurrence IN ('MONTHLY', 'QUARTERLY', 'HALF_YEARLY', 'YEARLY'));
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE indicator DROP COLUMN recurrence;
      ALTER TABLE assignment DROP COLUMN due_kind;
      ALTER TABLE task DROP COLUMN recurrence, DROP COLUMN due_kind;
      ALTER TABLE draft_task DROP COLUMN recurrence, DROP COLUMN due_kind;
    `);
  }
}
