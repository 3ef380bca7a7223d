import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indicators keep the order they were entered or written in (createTarget, plan ingestion): without a position
 * they came back sorted by name. Existing rows keep the order they were shown in until now.
 */
export class IndicatorPosition1765400000001 implements MigrationInterface {
  name = 'IndicatorPosition1765400000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE indicator ADD COLUMN position int NOT NULL DEFAULT 0;
      UPDATE indicator i SET position = o.position
        FROM (SELECT id, row_number() OVER (PARTITION BY target_id ORDER BY name, id) - 1 AS position
                FROM indicator) AS o
       WHERE i.id = o.id AND o.position > 0;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE indicator DROP COLUMN position`);
  }
}
