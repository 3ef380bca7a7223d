import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Progress rolls up: a closed share is 100, a split share's progress is the mean of its parts' (a closed part
 * counting 100), a task's the mean of its top-level lead shares'. The application keeps this in every change's
 * transaction (AssignmentService.settleTask); this brings existing rows in line. Versions move with the figures,
 * so a form opened before the backfill is refused rather than saved over them.
 */
export class ProgressRollUp1765400000000 implements MigrationInterface {
  name = 'ProgressRollUp1765400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      UPDATE assignment SET progress_percent = 100, version = version + 1
       WHERE status = 'CLOSED' AND progress_percent <> 100;

      UPDATE assignment p SET progress_percent = r.percent, version = p.version + 1
        FROM (SELECT parent_id, round(avg(progress_percent))::smallint AS percent
                FROM assignment WHERE parent_id IS NOT NULL GROUP BY parent_id) AS r
       WHERE p.id = r.parent_id AND p.status <> 'CLOSED' AND p.progress_percent <> r.percent;

      UPDATE task t SET progress_percent = r.percent, version = t.version + 1
        FROM (SELECT task_id, round(avg(progress_percent))::smallint AS percent
                FROM assignment WHERE parent_id IS NULL AND role = 'LEAD' GROUP BY task_id) AS r
       WHERE t.id = r.task_id AND t.progress_percent <> r.percent;
    `);
  }

  /** The figures before were wrong and not kept; reverting leaves the rolled-up ones, which the old code reads. */
  down(): Promise<void> {
    return Promise.resolve();
  }
}
