import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A plan's levels as the document names them: 篇 (PART) above the chapters, so that 篇 → 章 → 节 is no longer
 * stored one level off, and each target keeps the document's own name for its level (篇, 章, 节, 条, 一、,
 * （一）, 1.). Targets so far had no 篇 and keep an empty name.
 */
export class TargetLevelNames1766600000001 implements MigrationInterface {
  name = 'TargetLevelNames1766600000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE target DROP CONSTRAINT target_level_check;
      ALTER TABLE target
        ADD CONSTRAINT target_level_check CHECK (level IN ('PART', 'CHAPTER', 'SECTION', 'ITEM', 'MEASURE')),
        ADD COLUMN level_name varchar NOT NULL DEFAULT '';
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      UPDATE target SET level = 'CHAPTER' WHERE level = 'PART';
      ALTER TABLE target DROP CONSTRAINT target_level_check;
      ALTER TABLE target
        DROP COLUMN level_name,
        ADD CONSTRAINT target_level_check CHECK (level IN ('CHAPTER', 'SECTION', 'ITEM', 'MEASURE'));
    `);
  }
}
