import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The default ladder mirrors common practice: −5 and −1 workdays remind the unit; on the due day urge unit and
 * head; the next workday opens a 督办单 (repeated every workday until answered); +5 reports to the responsible
 * leader; +10 flags a formal talk (约谈).
 */
const DEFAULT_LEVELS = [
  { offsetWorkdays: -5, action: 'REMIND', recipients: ['UNIT_OFFICERS'] },
  { offsetWorkdays: -1, action: 'REMIND', recipients: ['UNIT_OFFICERS'] },
  { offsetWorkdays: 0, action: 'URGE', recipients: ['UNIT_OFFICERS', 'UNIT_HEAD'] },
  {
    offsetWorkdays: 1,
    action: 'SUPERVISE',
    recipients: ['UNIT_OFFICERS', 'UNIT_HEAD', 'INSPECTORATE'],
    repeatWorkdays: 1,
  },
  {
    offsetWorkdays: 5,
    action: 'REPORT',
    recipients: ['RESPONSIBLE_LEADER', 'LEAD_DEPARTMENT_HEAD', 'INSPECTORATE'],
  },
  {
    offsetWorkdays: 10,
    action: 'INTERVIEW',
    recipients: ['UNIT_HEAD', 'RESPONSIBLE_LEADER', 'INSPECTORATE'],
  },
];

export class DeadlineEngine1764700000000 implements MigrationInterface {
  name = 'DeadlineEngine1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      -- Days the State Council's schedule (or the packaged data) says; years without rows are computed
      -- provisionally from the statutory rule at run time.
      CREATE TABLE work_calendar_day (
        day date PRIMARY KEY,
        workday boolean NOT NULL,
        kind varchar NOT NULL CHECK (kind IN ('WORKDAY', 'WEEKEND', 'HOLIDAY', 'MAKEUP_WORKDAY')),
        name varchar,
        source varchar NOT NULL,
        provisional boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (workday = (kind IN ('WORKDAY', 'MAKEUP_WORKDAY')))
      );

      CREATE TABLE escalation_policy (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar NOT NULL UNIQUE,
        description text NOT NULL DEFAULT '',
        is_default boolean NOT NULL DEFAULT false,
        current_version int NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1
      );
      CREATE UNIQUE INDEX escalation_policy_default_idx ON escalation_policy (is_default) WHERE is_default;

      -- Versions are immutable: live assignments keep the levels they started with.
      CREATE TABLE escalation_policy_version (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        policy_id uuid NOT NULL REFERENCES escalation_policy (id),
        number int NOT NULL,
        levels jsonb NOT NULL,
        notice_response_workdays int NOT NULL DEFAULT 3,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by_id uuid REFERENCES app_user (id),
        UNIQUE (policy_id, number)
      );

      ALTER TABLE task ADD COLUMN escalation_policy_id uuid REFERENCES escalation_policy (id);

      -- One row per assignment: where its ladder stands and what comes next. next_at is NULL when nothing is
      -- pending (closed, suspended, ladder done); "version" changes whenever the plan does and is part of job ids.
      CREATE TABLE escalation_state (
        assignment_id uuid PRIMARY KEY REFERENCES assignment (id) ON DELETE CASCADE,
        policy_version_id uuid NOT NULL REFERENCES escalation_policy_version (id),
        cycle int NOT NULL DEFAULT 0,
        cycle_started_at timestamptz NOT NULL,
        last_level int,
        last_occurrence int,
        last_acknowledged boolean NOT NULL DEFAULT false,
        next_level int,
        next_occurrence int,
        next_at timestamptz,
        version int NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX escalation_state_next_idx ON escalation_state (next_at) WHERE next_at IS NOT NULL;

      -- What fired (or was skipped): the unique key is what makes a second firing impossible.
      CREATE TABLE escalation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        assignment_id uuid NOT NULL REFERENCES assignment (id) ON DELETE CASCADE,
        policy_version_id uuid NOT NULL REFERENCES escalation_policy_version (id),
        cycle int NOT NULL,
        level int NOT NULL,
        occurrence int NOT NULL,
        action varchar NOT NULL CHECK (action IN ('REMIND', 'URGE', 'SUPERVISE', 'REPORT', 'INTERVIEW')),
        outcome varchar NOT NULL CHECK (outcome IN ('FIRED', 'SKIPPED')),
        planned_at timestamptz NOT NULL,
        fired_at timestamptz NOT NULL,
        by_user_id uuid REFERENCES app_user (id),
        reason text,
        acknowledged_at timestamptz,
        UNIQUE (assignment_id, cycle, level, occurrence)
      );
      CREATE INDEX escalation_fired_idx ON escalation (fired_at);

      CREATE TABLE supervision_notice (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar NOT NULL UNIQUE,
        assignment_id uuid NOT NULL REFERENCES assignment (id) ON DELETE CASCADE,
        escalation_id uuid UNIQUE REFERENCES escalation (id) ON DELETE SET NULL,
        status varchar NOT NULL CHECK (status IN ('OPEN', 'ANSWERED', 'CLOSED')),
        reason text NOT NULL,
        opened_by_id uuid REFERENCES app_user (id),
        opened_at timestamptz NOT NULL,
        response_due_at timestamptz NOT NULL,
        -- the answer window in workdays, given again from the day of each return
        response_workdays int NOT NULL,
        response text,
        new_plan text,
        answered_at timestamptz,
        answered_by_id uuid REFERENCES app_user (id),
        return_count int NOT NULL DEFAULT 0,
        return_reason text,
        closed_at timestamptz,
        closed_by_id uuid REFERENCES app_user (id),
        overdue_escalated_at timestamptz,
        version int NOT NULL DEFAULT 1
      );
      -- at most one notice in force per assignment: a SUPERVISE firing joins the open one
      CREATE UNIQUE INDEX supervision_notice_open_idx ON supervision_notice (assignment_id) WHERE status <> 'CLOSED';
      CREATE INDEX supervision_notice_overdue_idx ON supervision_notice (response_due_at)
        WHERE status = 'OPEN' AND overdue_escalated_at IS NULL;
      CREATE SEQUENCE supervision_notice_seq;

      ALTER TABLE app_user ADD COLUMN email varchar;

      CREATE TABLE notification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user (id),
        kind varchar NOT NULL,
        title varchar NOT NULL,
        body text NOT NULL,
        subject_type varchar,
        subject_id uuid,
        link varchar,
        -- the same fact never notifies the same person twice (retries, duplicate jobs, two digests)
        dedupe_key varchar NOT NULL,
        created_at timestamptz NOT NULL,
        read_at timestamptz,
        UNIQUE (user_id, dedupe_key)
      );
      CREATE INDEX notification_user_idx ON notification (user_id, created_at DESC, id DESC);
      CREATE INDEX notification_unread_idx ON notification (user_id) WHERE read_at IS NULL;

      -- Where a unit wants its messages besides the app: a group robot or a webhook.
      CREATE TABLE notification_channel (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        org_unit_id uuid NOT NULL REFERENCES org_unit (id),
        kind varchar NOT NULL CHECK (kind IN ('WEBHOOK', 'DINGTALK', 'WECOM', 'FEISHU')),
        name varchar NOT NULL,
        url varchar NOT NULL,
        secret varchar,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1
      );
      CREATE INDEX notification_channel_unit_idx ON notification_channel (org_unit_id) WHERE active;

      CREATE TABLE notification_delivery (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        notification_id uuid NOT NULL REFERENCES notification (id) ON DELETE CASCADE,
        -- a group robot gets one message per fact, however many of its unit's users were notified
        dedupe_key varchar NOT NULL,
        channel_kind varchar NOT NULL CHECK (channel_kind IN ('EMAIL', 'WEBHOOK', 'DINGTALK', 'WECOM', 'FEISHU')),
        channel_id uuid REFERENCES notification_channel (id),
        target varchar NOT NULL,
        status varchar NOT NULL CHECK (status IN ('PENDING', 'SENT', 'DEAD')),
        attempts int NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL,
        sent_at timestamptz,
        UNIQUE (dedupe_key, channel_kind, target)
      );
      CREATE INDEX notification_delivery_pending_idx ON notification_delivery (created_at) WHERE status = 'PENDING';

      CREATE TABLE delivery_attempt (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        delivery_id uuid NOT NULL REFERENCES notification_delivery (id) ON DELETE CASCADE,
        attempted_at timestamptz NOT NULL,
        ok boolean NOT NULL,
        status_code int,
        error text,
        duration_ms int NOT NULL
      );
      CREATE INDEX delivery_attempt_delivery_idx ON delivery_attempt (delivery_id, id);

      -- A report period that ended without a report: counts in the unit's assessment.
      CREATE TABLE missed_report (
        assignment_id uuid NOT NULL REFERENCES assignment (id) ON DELETE CASCADE,
        period_key varchar NOT NULL,
        due_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (assignment_id, period_key)
      );
    `);
    const [policy] = (await db.query(
      `INSERT INTO escalation_policy (name, description, is_default) VALUES ($1, $2, true) RETURNING id`,
      [
        '默认督办流程',
        '提醒（到期前5个、1个工作日）→ 催办（到期日）→ 督办（逾期1个工作日）→ 通报（逾期5个工作日）→ 约谈（逾期10个工作日）',
      ],
    )) as { id: string }[];
    await db.query(`INSERT INTO escalation_policy_version (policy_id, number, levels) VALUES ($1, 1, $2)`, [
      policy.id,
      JSON.stringify(DEFAULT_LEVELS),
    ]);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE missed_report;
      DROP TABLE delivery_attempt;
      DROP TABLE notification_delivery;
      DROP TABLE notification_channel;
      DROP TABLE notification;
      ALTER TABLE app_user DROP COLUMN email;
      DROP SEQUENCE supervision_notice_seq;
      DROP TABLE supervision_notice;
      DROP TABLE escalation;
      DROP TABLE escalation_state;
      ALTER TABLE task DROP COLUMN escalation_policy_id;
      DROP TABLE escalation_policy_version;
      DROP TABLE escalation_policy;
      DROP TABLE work_calendar_day;
    `);
  }
}
