import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Default flows follow common practice; admins edit them (updateApprovalFlow), live requests keep their copy. */
const DEFAULT_FLOWS = [
  {
    kind: 'CLOSE_OUT',
    name: '销号审批',
    steps: [
      { name: '承办单位负责人审核', source: 'UNIT_HEAD', mode: 'ALL' },
      { name: '牵头部门负责人审核', source: 'LEAD_DEPARTMENT_HEAD', mode: 'ALL' },
      { name: '督查室审核', source: 'INSPECTORATE', mode: 'ANY' },
      { name: '责任领导审定', source: 'RESPONSIBLE_LEADER', mode: 'ALL' },
    ],
  },
  {
    kind: 'EXTENSION',
    name: '延期审批',
    steps: [
      { name: '承办单位负责人审核', source: 'UNIT_HEAD', mode: 'ALL' },
      { name: '督查室初审', source: 'INSPECTORATE', mode: 'ANY' },
      { name: '责任领导审定', source: 'RESPONSIBLE_LEADER', mode: 'ALL' },
    ],
  },
  {
    kind: 'ADJUSTMENT',
    name: '任务调整审批',
    steps: [
      { name: '牵头部门负责人审核', source: 'LEAD_DEPARTMENT_HEAD', mode: 'ALL' },
      { name: '督查室审核', source: 'INSPECTORATE', mode: 'ANY' },
      { name: '责任领导审定', source: 'RESPONSIBLE_LEADER', mode: 'ALL' },
    ],
  },
  {
    kind: 'DECOMPOSITION',
    name: '任务分解审定',
    steps: [
      { name: '督查室审核', source: 'INSPECTORATE', mode: 'ANY' },
      { name: '区领导审定', source: 'ROLE', role: 'LEADER', mode: 'ANY' },
    ],
  },
];

export class Approvals1764600000000 implements MigrationInterface {
  name = 'Approvals1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE approval_flow (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind varchar NOT NULL UNIQUE CHECK (kind IN ('CLOSE_OUT', 'EXTENSION', 'ADJUSTMENT', 'DECOMPOSITION')),
        name varchar NOT NULL,
        steps jsonb NOT NULL,
        version int NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE approval_request (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind varchar NOT NULL,
        task_id uuid NOT NULL REFERENCES task (id),
        assignment_id uuid REFERENCES assignment (id),
        requested_by_id uuid NOT NULL REFERENCES app_user (id),
        requester_unit_id uuid NOT NULL REFERENCES org_unit (id),
        status varchar NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED', 'WITHDRAWN')),
        current_step int,
        payload jsonb NOT NULL DEFAULT '{}',
        comment text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL,
        closed_at timestamptz,
        version int NOT NULL DEFAULT 1
      );
      -- one open request of a kind per assignment: a second one is a CONFLICT, not a duplicate
      CREATE UNIQUE INDEX approval_request_open_idx ON approval_request (assignment_id, kind) WHERE status = 'PENDING';
      CREATE INDEX approval_request_task_idx ON approval_request (task_id);

      CREATE TABLE approval_step (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        request_id uuid NOT NULL REFERENCES approval_request (id),
        position int NOT NULL,
        name varchar NOT NULL,
        mode varchar NOT NULL CHECK (mode IN ('ALL', 'ANY')),
        approver_ids uuid[] NOT NULL,
        status varchar NOT NULL CHECK (status IN ('WAITING', 'PENDING', 'APPROVED', 'REJECTED', 'SKIPPED')),
        UNIQUE (request_id, position)
      );
      CREATE INDEX approval_step_pending_idx ON approval_step USING gin (approver_ids) WHERE status = 'PENDING';

      CREATE TABLE approval_decision (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        request_id uuid NOT NULL REFERENCES approval_request (id),
        step_id uuid NOT NULL REFERENCES approval_step (id),
        approver_id uuid NOT NULL REFERENCES app_user (id),
        decision varchar NOT NULL CHECK (decision IN ('APPROVE', 'REJECT')),
        comment text NOT NULL DEFAULT '',
        decided_at timestamptz NOT NULL,
        -- an approver decides a step once
        UNIQUE (step_id, approver_id)
      );

      ALTER TABLE assignment
        ADD COLUMN original_due_at timestamptz,
        ADD COLUMN extension_count int NOT NULL DEFAULT 0;
    `);
    for (const flow of DEFAULT_FLOWS) {
      await db.query(`INSERT INTO approval_flow (kind, name, steps) VALUES ($1, $2, $3)`, [
        flow.kind,
        flow.name,
        JSON.stringify(flow.steps),
      ]);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE assignment DROP COLUMN extension_count, DROP COLUMN original_due_at;
      DROP TABLE approval_decision;
      DROP TABLE approval_step;
      DROP TABLE approval_request;
      DROP TABLE approval_flow;
    `);
  }
}
