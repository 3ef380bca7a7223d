import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764100000000 implements MigrationInterface {
  name = 'InitialSchema1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE org_unit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar NOT NULL UNIQUE,
        name varchar NOT NULL UNIQUE,
        kind varchar NOT NULL CHECK (kind IN ('GOVERNMENT', 'DEPARTMENT', 'SUBDISTRICT', 'TOWN', 'INSPECTORATE')),
        aliases text[] NOT NULL DEFAULT '{}',
        parent_id uuid REFERENCES org_unit (id),
        sort_order int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX org_unit_parent_idx ON org_unit (parent_id);
      CREATE INDEX org_unit_aliases_idx ON org_unit USING gin (aliases);

      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username varchar NOT NULL UNIQUE,
        display_name varchar NOT NULL,
        title varchar,
        password_hash varchar NOT NULL,
        role varchar NOT NULL CHECK (role IN ('ADMIN', 'LEADER', 'INSPECTOR', 'DEPARTMENT_HEAD',
          'DEPARTMENT_OFFICER', 'SUBDISTRICT_HEAD', 'SUBDISTRICT_OFFICER')),
        org_unit_id uuid NOT NULL REFERENCES org_unit (id),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX app_user_org_unit_idx ON app_user (org_unit_id);

      CREATE TABLE plan (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        title varchar NOT NULL,
        kind varchar NOT NULL CHECK (kind IN ('OUTLINE', 'TASK_LIST')),
        period_start timestamptz NOT NULL,
        period_end timestamptz NOT NULL,
        description text NOT NULL DEFAULT '',
        created_by_id uuid REFERENCES app_user (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1,
        CHECK (period_end > period_start)
      );
      CREATE INDEX plan_created_idx ON plan (created_at, id);

      CREATE TABLE target (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        plan_id uuid NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
        parent_id uuid REFERENCES target (id) ON DELETE CASCADE,
        level varchar NOT NULL CHECK (level IN ('CHAPTER', 'SECTION', 'ITEM', 'MEASURE')),
        number varchar NOT NULL DEFAULT '',
        title varchar NOT NULL,
        body text NOT NULL DEFAULT '',
        position int NOT NULL,
        path varchar NOT NULL,
        due_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (plan_id, path)
      );
      CREATE INDEX target_parent_idx ON target (parent_id);

      CREATE TABLE indicator (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        target_id uuid NOT NULL REFERENCES target (id) ON DELETE CASCADE,
        name varchar NOT NULL,
        kind varchar NOT NULL CHECK (kind IN ('BINDING', 'EXPECTED')),
        unit varchar NOT NULL DEFAULT '',
        comparator varchar NOT NULL DEFAULT '',
        baseline_value numeric,
        baseline_year int,
        target_value numeric NOT NULL,
        target_year int NOT NULL
      );
      CREATE INDEX indicator_target_idx ON indicator (target_id);

      CREATE TABLE task (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        plan_id uuid NOT NULL REFERENCES plan (id),
        target_id uuid REFERENCES target (id),
        code varchar NOT NULL,
        title varchar NOT NULL,
        description text NOT NULL DEFAULT '',
        responsible_leader_id uuid REFERENCES app_user (id),
        due_at timestamptz NOT NULL,
        priority varchar NOT NULL DEFAULT 'NORMAL' CHECK (priority IN ('NORMAL', 'HIGH', 'URGENT')),
        status varchar NOT NULL DEFAULT 'UNASSIGNED',
        created_by_id uuid REFERENCES app_user (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1,
        UNIQUE (plan_id, code)
      );
      CREATE INDEX task_due_idx ON task (due_at, id);
      CREATE INDEX task_target_idx ON task (target_id);

      CREATE TABLE milestone (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        task_id uuid NOT NULL REFERENCES task (id) ON DELETE CASCADE,
        title varchar NOT NULL,
        due_at timestamptz NOT NULL,
        position int NOT NULL
      );
      CREATE INDEX milestone_task_idx ON milestone (task_id, position);

      CREATE TABLE assignment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        task_id uuid NOT NULL REFERENCES task (id),
        org_unit_id uuid NOT NULL REFERENCES org_unit (id),
        role varchar NOT NULL CHECK (role IN ('LEAD', 'SUPPORT')),
        parent_id uuid REFERENCES assignment (id),
        due_at timestamptz NOT NULL,
        status varchar NOT NULL DEFAULT 'ASSIGNED',
        progress_percent smallint NOT NULL DEFAULT 0 CHECK (progress_percent BETWEEN 0 AND 100),
        assigned_by_id uuid REFERENCES app_user (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1,
        -- a unit holds one share of a task, however it came to it
        UNIQUE (task_id, org_unit_id)
      );
      CREATE INDEX assignment_unit_due_idx ON assignment (org_unit_id, due_at, id);
      CREATE INDEX assignment_parent_idx ON assignment (parent_id);

      CREATE TABLE audit_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        occurred_at timestamptz NOT NULL,
        actor_id uuid,
        actor_name varchar NOT NULL,
        action varchar NOT NULL,
        entity_type varchar NOT NULL,
        entity_id uuid NOT NULL,
        task_id uuid,
        unit_ids uuid[] NOT NULL DEFAULT '{}',
        before jsonb,
        after jsonb
      );
      CREATE INDEX audit_event_entity_idx ON audit_event (entity_id, id);
      CREATE INDEX audit_event_task_idx ON audit_event (task_id, id) WHERE task_id IS NOT NULL;

      CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only (% refused)', TG_OP;
      END $$;
      CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
      CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
        FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE audit_event;
      DROP FUNCTION audit_event_append_only();
      DROP TABLE assignment;
      DROP TABLE milestone;
      DROP TABLE task;
      DROP TABLE indicator;
      DROP TABLE target;
      DROP TABLE plan;
      DROP TABLE app_user;
      DROP TABLE org_unit;
    `);
  }
}
