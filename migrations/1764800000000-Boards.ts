import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read models for the boards, kept by statement-level triggers in the transaction of every change, so no writer
 * can forget them:
 * - board_unit_summary: one row per (plan, unit). A change bumps `revision`; the board recomputes a row whose
 *   `computed_revision` lags or whose `valid_until` (the next instant a light or an overdue count moves by the
 *   clock alone) has passed, and stores it only if no change came in meanwhile.
 * - board_week: due and closed shares per plan and week (Monday, Beijing), maintained by exact deltas.
 * Each touched plan is announced on the channel `zhezi_board` (delivered on commit) for live boards.
 * Also: when a share was closed (on-time rate), and Chinese text search by character bigrams (no word
 * segmenter or locale needed in PostgreSQL).
 */
export class Boards1764800000000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE assignment ADD COLUMN closed_at timestamptz;
      UPDATE assignment SET closed_at = updated_at WHERE status = 'CLOSED';
      CREATE INDEX assignment_open_due_idx ON assignment (due_at, id) WHERE status <> 'CLOSED';
      -- Lights look up a share's notices, open or not; the partial unique index covers only open ones.
      CREATE INDEX supervision_notice_assignment_idx ON supervision_notice (assignment_id);

      CREATE FUNCTION zh_bigrams(body text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(DISTINCT substr(w, i, 2)), '{}')
        FROM regexp_split_to_table(lower(body), '[[:space:][:punct:]，。、；：？！“”‘’（）《》【】〔〕…—·]+') AS w,
             generate_series(1, greatest(length(w) - 1, 1)) AS i
        WHERE w <> ''
      $$;
      -- A query's terms: its bigrams only (a one-character word has none in the index). Immutable, so a constant
      -- argument folds into a constant array the planner can estimate.
      CREATE FUNCTION zh_query_terms(query text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(g), '{}') FROM unnest(zh_bigrams(query)) AS g WHERE length(g) = 2
      $$;
      ALTER TABLE task ADD COLUMN search_terms text[]
        GENERATED ALWAYS AS (zh_bigrams(title || ' ' || description)) STORED;
      CREATE INDEX task_search_idx ON task USING gin (search_terms);
      CREATE INDEX task_plan_idx ON task (plan_id);

      -- A quantitative indicator's reported value for a year (statistics come yearly; a correction replaces it).
      CREATE TABLE indicator_value (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        indicator_id uuid NOT NULL REFERENCES indicator (id) ON DELETE CASCADE,
        year int NOT NULL CHECK (year BETWEEN 1949 AND 2200),
        value numeric NOT NULL,
        note text NOT NULL DEFAULT '',
        reported_by_id uuid NOT NULL REFERENCES app_user (id),
        reported_at timestamptz NOT NULL,
        UNIQUE (indicator_id, year)
      );

      CREATE TABLE board_unit_summary (
        plan_id uuid NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
        org_unit_id uuid NOT NULL REFERENCES org_unit (id),
        revision bigint NOT NULL DEFAULT 1,
        computed_revision bigint NOT NULL DEFAULT 0,
        computed_at timestamptz,
        valid_until timestamptz NOT NULL DEFAULT '-infinity',
        assigned int NOT NULL DEFAULT 0,
        closed int NOT NULL DEFAULT 0,
        closed_on_time int NOT NULL DEFAULT 0,
        overdue int NOT NULL DEFAULT 0,
        overdue_days_sum int NOT NULL DEFAULT 0,
        overdue_days_max int NOT NULL DEFAULT 0,
        red int NOT NULL DEFAULT 0,
        yellow int NOT NULL DEFAULT 0,
        green int NOT NULL DEFAULT 0,
        open_notices int NOT NULL DEFAULT 0,
        missed_reports int NOT NULL DEFAULT 0,
        by_status jsonb NOT NULL DEFAULT '{}',
        PRIMARY KEY (plan_id, org_unit_id)
      );

      CREATE TABLE board_week (
        plan_id uuid NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
        week date NOT NULL,
        due int NOT NULL DEFAULT 0,
        closed int NOT NULL DEFAULT 0,
        PRIMARY KEY (plan_id, week)
      );

      CREATE FUNCTION board_week_of(at timestamptz) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT date_trunc('week', at AT TIME ZONE 'Asia/Shanghai')::date
      $$;

      -- Marks (plan, unit) pairs changed, in key order so concurrent writers lock them in the same order.
      CREATE FUNCTION board_touch(plan_ids uuid[], unit_ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF plan_ids IS NULL THEN RETURN; END IF;
        INSERT INTO board_unit_summary AS s (plan_id, org_unit_id)
          SELECT DISTINCT p, u FROM unnest(plan_ids, unit_ids) AS x(p, u) ORDER BY 1, 2
          ON CONFLICT (plan_id, org_unit_id) DO UPDATE SET revision = s.revision + 1;
        PERFORM pg_notify('zhezi_board', p::text) FROM (SELECT DISTINCT p FROM unnest(plan_ids) AS p) AS x;
      END $$;

      -- Adds +1/−1 shares to the weeks of their due and close instants.
      CREATE FUNCTION board_shift_weeks(plan_ids uuid[], dues timestamptz[], closeds timestamptz[], signs int[])
      RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF plan_ids IS NULL THEN RETURN; END IF;
        INSERT INTO board_week AS w (plan_id, week, due, closed)
          SELECT p, wk, sum(d), sum(c) FROM (
            SELECT p, board_week_of(at) AS wk, sg AS d, 0 AS c FROM unnest(plan_ids, dues, signs) AS x(p, at, sg)
            UNION ALL
            SELECT p, board_week_of(at), 0, sg FROM unnest(plan_ids, closeds, signs) AS x(p, at, sg)
            WHERE at IS NOT NULL
          ) AS y
          GROUP BY p, wk HAVING sum(d) <> 0 OR sum(c) <> 0 ORDER BY 1, 2
          ON CONFLICT (plan_id, week) DO UPDATE SET due = w.due + EXCLUDED.due, closed = w.closed + EXCLUDED.closed;
        -- A week emptied by moved deadlines goes, as a rebuild would not have it.
        DELETE FROM board_week WHERE plan_id = ANY(plan_ids) AND due = 0 AND closed = 0;
      END $$;

      CREATE FUNCTION board_assignments_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM board_touch(array_agg(t.plan_id), array_agg(n.org_unit_id)),
                board_shift_weeks(array_agg(t.plan_id), array_agg(n.due_at), array_agg(n.closed_at), array_agg(1))
        FROM new_rows n JOIN task t ON t.id = n.task_id;
        RETURN NULL;
      END $$;

      CREATE FUNCTION board_assignments_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM board_touch(array_agg(t.plan_id), array_agg(o.org_unit_id)),
                board_shift_weeks(array_agg(t.plan_id), array_agg(o.due_at), array_agg(o.closed_at), array_agg(-1))
        FROM old_rows o JOIN task t ON t.id = o.task_id;
        RETURN NULL;
      END $$;

      -- Only changes a board shows count; a version bump alone does not.
      CREATE FUNCTION board_assignments_updated() RETURNS trigger LANGUAGE plpgsql AS $$
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
          WHERE (n.status, n.due_at, n.progress_percent, n.closed_at, n.org_unit_id, n.created_at)
            IS DISTINCT FROM (o.status, o.due_at, o.progress_percent, o.closed_at, o.org_unit_id, o.created_at)
        ) AS x;
        RETURN NULL;
      END $$;

      CREATE TRIGGER board_assignments_inserted AFTER INSERT ON assignment
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION board_assignments_inserted();
      CREATE TRIGGER board_assignments_updated AFTER UPDATE ON assignment
        REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION board_assignments_updated();
      CREATE TRIGGER board_assignments_deleted AFTER DELETE ON assignment
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION board_assignments_deleted();

      -- Notices and missed reports change a unit's figures, not its weeks.
      CREATE FUNCTION board_assignment_facts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          PERFORM board_touch(array_agg(t.plan_id), array_agg(a.org_unit_id))
          FROM old_rows o JOIN assignment a ON a.id = o.assignment_id JOIN task t ON t.id = a.task_id;
        ELSE
          PERFORM board_touch(array_agg(t.plan_id), array_agg(a.org_unit_id))
          FROM new_rows n JOIN assignment a ON a.id = n.assignment_id JOIN task t ON t.id = a.task_id;
        END IF;
        RETURN NULL;
      END $$;

      CREATE TRIGGER board_notices_inserted AFTER INSERT ON supervision_notice
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION board_assignment_facts_changed();
      CREATE TRIGGER board_notices_updated AFTER UPDATE ON supervision_notice
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION board_assignment_facts_changed();
      CREATE TRIGGER board_missed_inserted AFTER INSERT ON missed_report
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION board_assignment_facts_changed();
      CREATE TRIGGER board_missed_deleted AFTER DELETE ON missed_report
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION board_assignment_facts_changed();

      -- Recomputes the read models from the shares (npm run boards:rebuild; also the backfill here). The lock
      -- waits for writers that already shifted weeks, and holds new ones until the rebuild commits.
      CREATE FUNCTION board_rebuild() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        LOCK TABLE board_week, board_unit_summary IN EXCLUSIVE MODE;
        DELETE FROM board_week;
        INSERT INTO board_week (plan_id, week, due, closed)
          SELECT plan_id, week, sum(due), sum(closed) FROM (
            SELECT t.plan_id, board_week_of(a.due_at) AS week, 1 AS due, 0 AS closed
            FROM assignment a JOIN task t ON t.id = a.task_id
            UNION ALL
            SELECT t.plan_id, board_week_of(a.closed_at), 0, 1
            FROM assignment a JOIN task t ON t.id = a.task_id WHERE a.closed_at IS NOT NULL
          ) AS x GROUP BY plan_id, week;
        DELETE FROM board_unit_summary s WHERE NOT EXISTS (
          SELECT 1 FROM assignment a JOIN task t ON t.id = a.task_id
          WHERE t.plan_id = s.plan_id AND a.org_unit_id = s.org_unit_id);
        INSERT INTO board_unit_summary (plan_id, org_unit_id)
          SELECT DISTINCT t.plan_id, a.org_unit_id FROM assignment a JOIN task t ON t.id = a.task_id
          ON CONFLICT DO NOTHING;
        UPDATE board_unit_summary SET revision = revision + 1;
      END $$;
      SELECT board_rebuild();
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TRIGGER board_missed_deleted ON missed_report;
      DROP TRIGGER board_missed_inserted ON missed_report;
      DROP TRIGGER board_notices_updated ON supervision_notice;
      DROP TRIGGER board_notices_inserted ON supervision_notice;
      DROP TRIGGER board_assignments_deleted ON assignment;
      DROP TRIGGER board_assignments_updated ON assignment;
      DROP TRIGGER board_assignments_inserted ON assignment;
      DROP FUNCTION board_rebuild();
      DROP FUNCTION board_assignment_facts_changed();
      DROP FUNCTION board_assignments_updated();
      DROP FUNCTION board_assignments_deleted();
      DROP FUNCTION board_assignments_inserted();
      DROP FUNCTION board_shift_weeks(uuid[], timestamptz[], timestamptz[], int[]);
      DROP FUNCTION board_touch(uuid[], uuid[]);
      DROP FUNCTION board_week_of(timestamptz);
      DROP TABLE board_week;
      DROP TABLE board_unit_summary;
      DROP TABLE indicator_value;
      DROP INDEX task_plan_idx;
      DROP INDEX task_search_idx;
      ALTER TABLE task DROP COLUMN search_terms;
      DROP FUNCTION zh_query_terms(text);
      DROP FUNCTION zh_bigrams(text);
      DROP INDEX supervision_notice_assignment_idx;
      DROP INDEX assignment_open_due_idx;
      ALTER TABLE assignment DROP COLUMN closed_at;
    `);
  }
}
