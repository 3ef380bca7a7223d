import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The changes of a share that move its board row: the columns the figures and the kept board answers read. */
const board_assignments_updated = (columns: string) => `
  CREATE OR REPLACE FUNCTION board_assignments_updated() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM board_touch(array_agg(x.plan_id), array_agg(x.org_unit_id)),
            board_shift_weeks(array_agg(x.plan_id), array_agg(x.due_at), array_agg(x.closed_at), array_agg(x.sign))
    FROM (
      SELECT t.plan_id, r.org_unit_id, r.due_at, r.closed_at, r.sign
      FROM new_rows n JOIN old_rows o ON o.id = n.id
      CROSS JOIN LATERAL (VALUES (n.task_id, n.org_unit_id, n.due_at, n.closed_at, 1),
                                 (o.task_id, o.org_unit_id, o.due_at, o.closed_at, -1))
        AS r(task_id, org_unit_id, due_at, closed_at, sign)
      JOIN task t ON t.id = r.task_id
      WHERE (${columns.replace(/(\w+)/g, 'n.$1')}) IS DISTINCT FROM (${columns.replace(/(\w+)/g, 'o.$1')})
    ) AS x;
    RETURN NULL;
  END $$`;

/**
 * A share's due kind (an ongoing duty is never overdue nor yellow) and its task also move its board row: the app
 * sets both only when it creates a share, but a correction made in the database must not leave the figures and
 * the kept answers (which show `dueKind`) behind.
 */
export class BoardSeesDueKind1766800000000 implements MigrationInterface {
  name = 'BoardSeesDueKind1766800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      board_assignments_updated(
        'status, due_at, due_kind, progress_percent, closed_at, org_unit_id, task_id, created_at',
      ),
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      board_assignments_updated('status, due_at, progress_percent, closed_at, org_unit_id, created_at'),
    );
  }
}
