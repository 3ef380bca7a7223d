import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Board responses are cached whole while the revisions of the (plan, unit) rows of board_unit_summary they read
 * are unchanged. So far a revision moved with a share's figures only; these triggers also move it with what the
 * boards' rows show or search besides: a share's last progress report and the escalation level it reached (a new
 * level fired, or a ladder restarted in a new cycle), its task's code, title and contents, and its unit's name.
 */
export class BoardResponseCoverage1766700000001 implements MigrationInterface {
  name = 'BoardResponseCoverage1766700000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TRIGGER board_reports_inserted AFTER INSERT ON progress_report
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION board_assignment_facts_changed();
      -- A report resubmitted within its period is the same row with a new submission time.
      CREATE TRIGGER board_reports_updated AFTER UPDATE ON progress_report
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION board_assignment_facts_changed();
      CREATE TRIGGER board_reports_deleted AFTER DELETE ON progress_report
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION board_assignment_facts_changed();
      CREATE TRIGGER board_escalations_inserted AFTER INSERT ON escalation
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION board_assignment_facts_changed();

      -- Per row, and only for a new cycle: the engine's many other updates of the state leave the boards alone.
      CREATE FUNCTION board_cycle_restarted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM board_touch(ARRAY[t.plan_id], ARRAY[a.org_unit_id])
        FROM assignment a JOIN task t ON t.id = a.task_id WHERE a.id = NEW.assignment_id;
        RETURN NULL;
      END $$;
      CREATE TRIGGER board_cycle_restarted AFTER UPDATE ON escalation_state
        FOR EACH ROW WHEN (OLD.cycle IS DISTINCT FROM NEW.cycle) EXECUTE FUNCTION board_cycle_restarted();

      CREATE FUNCTION board_tasks_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM board_touch(array_agg(n.plan_id), array_agg(a.org_unit_id))
        FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN assignment a ON a.task_id = n.id
        WHERE (n.code, n.title, n.description) IS DISTINCT FROM (o.code, o.title, o.description);
        RETURN NULL;
      END $$;
      CREATE TRIGGER board_tasks_updated AFTER UPDATE ON task
        REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION board_tasks_updated();

      -- Not board_touch: a unit's rows exist already if it has shares, and nothing about a plan changed.
      CREATE FUNCTION board_units_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE board_unit_summary s SET revision = s.revision + 1
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE s.org_unit_id = n.id
          AND (n.name, n.code, n.kind, n.active, n.parent_id) IS DISTINCT FROM (o.name, o.code, o.kind, o.active, o.parent_id);
        RETURN NULL;
      END $$;
      CREATE TRIGGER board_units_updated AFTER UPDATE ON org_unit
        REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION board_units_updated();
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TRIGGER board_units_updated ON org_unit;
      DROP FUNCTION board_units_updated();
      DROP TRIGGER board_tasks_updated ON task;
      DROP FUNCTION board_tasks_updated();
      DROP TRIGGER board_cycle_restarted ON escalation_state;
      DROP FUNCTION board_cycle_restarted();
      DROP TRIGGER board_escalations_inserted ON escalation;
      DROP TRIGGER board_reports_deleted ON progress_report;
      DROP TRIGGER board_reports_updated ON progress_report;
      DROP TRIGGER board_reports_inserted ON progress_report;
    `);
  }
}
