import type { EntityManager } from 'typeorm';
import { MERGED_UNITS } from './district';

/**
 * A database seeded before a merge still holds the merged unit, active and answering to names the survivor
 * now carries. Where nothing is open on it (no open share, unpublished draft or user), it is retired as
 * mergeOrgUnits would: its keyword rules go to the survivor, its portfolio entry is dropped, and it becomes
 * inactive with `merged_into_id`. A unit with open work is left for an administrator to merge. Returns the
 * codes retired.
 */
export async function retireMergedUnits(manager: EntityManager): Promise<string[]> {
  const retired: string[] = [];
  for (const { code, into } of MERGED_UNITS) {
    const [unit] = await manager.query<{ id: string; survivor: string; busy: boolean }[]>(
      `SELECT m.id, s.id AS survivor,
         EXISTS (SELECT 1 FROM assignment a WHERE a.org_unit_id = m.id AND a.status <> 'CLOSED')
         OR EXISTS (SELECT 1 FROM draft_task d WHERE d.task_id IS NULL
                    AND m.id = ANY (d.lead_unit_ids || d.support_unit_ids))
         OR EXISTS (SELECT 1 FROM app_user u WHERE u.org_unit_id = m.id) AS busy
       FROM org_unit m JOIN org_unit s ON s.code = $2
       WHERE m.code = $1 AND m.active
       FOR UPDATE OF m`,
      [code, into],
    );
    if (!unit || unit.busy) continue;
    await manager.query(
      `INSERT INTO unit_keyword (org_unit_id, keyword, weight)
       SELECT $2, keyword, weight FROM unit_keyword WHERE org_unit_id = $1
       ON CONFLICT (keyword, org_unit_id) DO NOTHING`,
      [unit.id, unit.survivor],
    );
    await manager.query(`DELETE FROM unit_keyword WHERE org_unit_id = $1`, [unit.id]);
    await manager.query(`DELETE FROM leader_portfolio WHERE org_unit_id = $1`, [unit.id]);
    await manager.query(
      `UPDATE org_unit SET active = false, merged_into_id = $2, version = version + 1, updated_at = now()
       WHERE id = $1`,
      [unit.id, unit.survivor],
    );
    retired.push(code);
  }
  return retired;
}
