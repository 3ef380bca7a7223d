import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every committed change to an org_unit row is said on channel zhezi_org_unit_changed with the unit's id,
 * whoever wrote it (unit administration, merges, imports), so that each process can hold the units it reads
 * in memory and forget one the moment it changes. A new unit needs no word: a process never holds a miss.
 */
export class OrgUnitChangeNotify1766900000000 implements MigrationInterface {
  name = 'OrgUnitChangeNotify1766900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION org_unit_notify_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('zhezi_org_unit_changed', OLD.id::text);
        RETURN NULL;
      END $$;
      CREATE TRIGGER org_unit_updated AFTER UPDATE ON org_unit
        FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION org_unit_notify_changed();
      CREATE TRIGGER org_unit_deleted AFTER DELETE ON org_unit
        FOR EACH ROW EXECUTE FUNCTION org_unit_notify_changed();
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TRIGGER org_unit_deleted ON org_unit;
      DROP TRIGGER org_unit_updated ON org_unit;
      DROP FUNCTION org_unit_notify_changed();
    `);
  }
}
