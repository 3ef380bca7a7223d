import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A share split off another (a child) also moves the revision of its parent's (plan, unit) row when it is
 * added, removed or moved: the units a department split work to change only with its own rows, so a board
 * answer kept for a department can be checked against the units it last split to without asking again.
 */
export class BoardTouchesSplittingUnit1766700000003 implements MigrationInterface {
  name = 'BoardTouchesSplittingUnit1766700000003';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      -- The parents' rows, as board_touch wants them; a transition table exists only for its own operation.
      CREATE FUNCTION board_children_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM board_touch(array_agg(t.plan_id), array_agg(p.org_unit_id))
          FROM new_rows n JOIN assignment p ON p.id = n.parent_id JOIN task t ON t.id = p.task_id;
        ELSIF TG_OP = 'DELETE' THEN
          PERFORM board_touch(array_agg(t.plan_id), array_agg(p.org_unit_id))
          FROM old_rows o JOIN assignment p ON p.id = o.parent_id JOIN task t ON t.id = p.task_id;
        ELSE
          PERFORM board_touch(array_agg(t.plan_id), array_agg(p.org_unit_id))
          FROM new_rows n JOIN old_rows o ON o.id = n.id
          CROSS JOIN LATERAL (VALUES (n.parent_id), (o.parent_id)) AS x(parent_id)
          JOIN assignment p ON p.id = x.parent_id JOIN task t ON t.id = p.task_id
          WHERE (o.parent_id, o.org_unit_id) IS DISTINCT FROM (n.parent_id, n.org_unit_id);
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER board_children_inserted AFTER INSERT ON assignment
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION board_children_changed();
      CREATE TRIGGER board_children_updated AFTER UPDATE ON assignment
        REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION board_children_changed();
      CREATE TRIGGER board_children_deleted AFTER DELETE ON assignment
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION board_children_changed();
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TRIGGER board_children_deleted ON assignment;
      DROP TRIGGER board_children_updated ON assignment;
      DROP TRIGGER board_children_inserted ON assignment;
      DROP FUNCTION board_children_changed();
    `);
  }
}
