import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AssignmentLifecycle1764300000000 implements MigrationInterface {
  name = 'AssignmentLifecycle1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE assignment
        ADD COLUMN status_before_suspend varchar,
        ADD CONSTRAINT assignment_status_check CHECK (status IN ('ASSIGNED', 'ACCEPTED', 'IN_PROGRESS',
          'CLOSE_OUT_REQUESTED', 'CLOSED', 'RETURNED', 'SUSPENDED'));
      ALTER TABLE task
        ADD COLUMN progress_percent smallint NOT NULL DEFAULT 0 CHECK (progress_percent BETWEEN 0 AND 100),
        ADD CONSTRAINT task_status_check CHECK (status IN ('UNASSIGNED', 'ASSIGNED', 'IN_PROGRESS', 'CLOSED',
          'SUSPENDED'));

      CREATE TABLE outbox_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        occurred_at timestamptz NOT NULL,
        type varchar NOT NULL,
        aggregate_type varchar NOT NULL,
        aggregate_id uuid NOT NULL,
        payload jsonb NOT NULL,
        published_at timestamptz
      );
      -- the relay reads the unpublished tail in id order
      CREATE INDEX outbox_event_unpublished_idx ON outbox_event (id) WHERE published_at IS NULL;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE outbox_event;
      ALTER TABLE task DROP CONSTRAINT task_status_check, DROP COLUMN progress_percent;
      ALTER TABLE assignment DROP CONSTRAINT assignment_status_check, DROP COLUMN status_before_suspend;
    `);
  }
}
