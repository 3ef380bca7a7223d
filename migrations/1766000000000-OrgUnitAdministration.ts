import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Units can be edited (optimistic lock), merged and deactivated; leaders' portfolios (分管). */
export class OrgUnitAdministration1766000000000 implements MigrationInterface {
  name = 'OrgUnitAdministration1766000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE org_unit
        ADD COLUMN active boolean NOT NULL DEFAULT true,
        ADD COLUMN version int NOT NULL DEFAULT 1,
        -- set when merged away: the unit its open work went to
        ADD COLUMN merged_into_id uuid REFERENCES org_unit (id);

      -- A unit is overseen by at most one leader (分管区领导).
      CREATE TABLE leader_portfolio (
        org_unit_id uuid PRIMARY KEY REFERENCES org_unit (id),
        leader_id uuid NOT NULL REFERENCES app_user (id),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX leader_portfolio_leader_idx ON leader_portfolio (leader_id);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE leader_portfolio;
      ALTER TABLE org_unit DROP COLUMN merged_into_id, DROP COLUMN version, DROP COLUMN active;
    `);
  }
}
