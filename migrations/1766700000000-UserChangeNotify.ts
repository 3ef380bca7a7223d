import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every committed change to a user row is said on channel zhezi_user_changed with the user's id, whoever
 * wrote it (people administration, password changes, signing out everywhere, unit merges moving people), so
 * that each api process can hold the signed-in users in memory and forget one the moment it changes.
 */
export class UserChangeNotify1766700000000 implements MigrationInterface {
  name = 'UserChangeNotify1766700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION app_user_notify_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('zhezi_user_changed', OLD.id::text);
        RETURN NULL;
      END $$;
      CREATE TRIGGER app_user_updated AFTER UPDATE ON app_user
        FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION app_user_notify_changed();
      CREATE TRIGGER app_user_deleted AFTER DELETE ON app_user
        FOR EACH ROW EXECUTE FUNCTION app_user_notify_changed();
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TRIGGER app_user_deleted ON app_user;
      DROP TRIGGER app_user_updated ON app_user;
      DROP FUNCTION app_user_notify_changed();
    `);
  }
}
