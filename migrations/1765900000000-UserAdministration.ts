import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People administration: contact phone, a session version every token carries (bumped to revoke the tokens
 * issued before), a temporary-password flag, and failed sign-ins per username and per address, kept in
 * PostgreSQL so every API process throttles alike.
 */
export class UserAdministration1765900000000 implements MigrationInterface {
  name = 'UserAdministration1765900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE app_user
        ADD COLUMN phone varchar,
        ADD COLUMN session_version int NOT NULL DEFAULT 0,
        ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;

      CREATE TABLE login_throttle (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key varchar NOT NULL UNIQUE,
        failures int NOT NULL CHECK (failures >= 0),
        last_failure_at timestamptz NOT NULL,
        locked_until timestamptz
      );
      CREATE INDEX login_throttle_last_failure_idx ON login_throttle (last_failure_at);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE login_throttle;
      ALTER TABLE app_user DROP COLUMN phone, DROP COLUMN session_version, DROP COLUMN must_change_password;
    `);
  }
}
