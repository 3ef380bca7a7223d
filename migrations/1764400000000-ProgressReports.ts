import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ProgressReports1764400000000 implements MigrationInterface {
  name = 'ProgressReports1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE progress_report (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        assignment_id uuid NOT NULL REFERENCES assignment (id),
        period varchar NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2]|W(0[1-9]|[1-4][0-9]|5[0-3]))$'),
        text text NOT NULL,
        percent smallint NOT NULL CHECK (percent BETWEEN 0 AND 100),
        reason text,
        revision int NOT NULL DEFAULT 1,
        submitted_by_id uuid NOT NULL REFERENCES app_user (id),
        submitted_at timestamptz NOT NULL,
        -- one report per assignment and period; a resubmission replaces it and keeps the old one as a revision
        UNIQUE (assignment_id, period)
      );

      CREATE TABLE progress_report_revision (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        report_id uuid NOT NULL REFERENCES progress_report (id),
        revision int NOT NULL,
        text text NOT NULL,
        percent smallint NOT NULL,
        reason text,
        submitted_by_id uuid NOT NULL REFERENCES app_user (id),
        submitted_at timestamptz NOT NULL,
        UNIQUE (report_id, revision)
      );

      CREATE TABLE evidence (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        assignment_id uuid NOT NULL REFERENCES assignment (id),
        file_name varchar NOT NULL,
        mime_type varchar NOT NULL,
        size_bytes bigint NOT NULL CHECK (size_bytes > 0),
        sha256 char(64) NOT NULL,
        storage_key varchar NOT NULL UNIQUE,
        uploaded_by_id uuid NOT NULL REFERENCES app_user (id),
        uploaded_at timestamptz NOT NULL,
        report_id uuid REFERENCES progress_report (id)
      );
      CREATE INDEX evidence_assignment_idx ON evidence (assignment_id);
      CREATE INDEX evidence_report_idx ON evidence (report_id) WHERE report_id IS NOT NULL;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE evidence;
      DROP TABLE progress_report_revision;
      DROP TABLE progress_report;
    `);
  }
}
