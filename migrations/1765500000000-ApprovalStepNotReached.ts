import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Steps a rejected or withdrawn request never reached read NOT_REACHED, not WAITING for ever. */
export class ApprovalStepNotReached1765500000000 implements MigrationInterface {
  name = 'ApprovalStepNotReached1765500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE approval_step DROP CONSTRAINT approval_step_status_check;
      ALTER TABLE approval_step ADD CONSTRAINT approval_step_status_check
        CHECK (status IN ('WAITING', 'PENDING', 'APPROVED', 'REJECTED', 'SKIPPED', 'NOT_REACHED'));
      UPDATE approval_step s SET status = 'NOT_REACHED' FROM approval_request r
        WHERE r.id = s.request_id AND r.status IN ('REJECTED', 'WITHDRAWN') AND s.status IN ('WAITING', 'PENDING');
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      UPDATE approval_step SET status = 'WAITING' WHERE status = 'NOT_REACHED';
      ALTER TABLE approval_step DROP CONSTRAINT approval_step_status_check;
      ALTER TABLE approval_step ADD CONSTRAINT approval_step_status_check
        CHECK (status IN ('WAITING', 'PENDING', 'APPROVED', 'REJECTED', 'SKIPPED'));
    `);
  }
}
