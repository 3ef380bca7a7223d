import type { EntityManager } from 'typeorm';
import { Role } from '@zhezi/core';
import { Recipient } from './escalation-policy.entity';

const OFFICERS = [Role.DEPARTMENT_OFFICER, Role.SUBDISTRICT_OFFICER];
const HEADS = [Role.DEPARTMENT_HEAD, Role.SUBDISTRICT_HEAD];

/**
 * The active users a ladder step addresses for an assignment, in one query. A unit without officers gets
 * its head instead, so no step goes unheard.
 */
export async function resolveRecipients(
  manager: EntityManager,
  assignmentId: string,
  wanted: readonly Recipient[],
): Promise<string[]> {
  const rows = await manager.query<{ r: Recipient; id: string }[]>(
    `WITH a AS (SELECT id, org_unit_id, parent_id, task_id FROM assignment WHERE id = $1),
     lead_units AS (
       SELECT p.org_unit_id FROM assignment p JOIN a ON p.id = a.parent_id
       UNION
       SELECT l.org_unit_id FROM assignment l JOIN a ON a.parent_id IS NULL AND l.task_id = a.task_id
       WHERE l.role = 'LEAD' AND l.parent_id IS NULL
     )
     SELECT 'UNIT_OFFICERS' AS r, u.id FROM app_user u JOIN a ON u.org_unit_id = a.org_unit_id
       WHERE u.active AND u.role = ANY($2)
     UNION ALL SELECT 'UNIT_HEAD', u.id FROM app_user u JOIN a ON u.org_unit_id = a.org_unit_id
       WHERE u.active AND u.role = ANY($3)
     UNION ALL SELECT 'LEAD_DEPARTMENT_HEAD', u.id FROM app_user u
       WHERE u.active AND u.role = $4 AND u.org_unit_id IN (SELECT org_unit_id FROM lead_units)
     UNION ALL SELECT 'INSPECTORATE', u.id FROM app_user u WHERE u.active AND u.role = $5
     UNION ALL SELECT 'RESPONSIBLE_LEADER', t.responsible_leader_id FROM task t JOIN a ON t.id = a.task_id
       WHERE t.responsible_leader_id IS NOT NULL`,
    [assignmentId, OFFICERS, HEADS, Role.DEPARTMENT_HEAD, Role.INSPECTOR],
  );
  const of = (r: Recipient) => rows.filter((row) => row.r === r).map((row) => row.id);
  const ids = new Set<string>();
  for (const r of wanted) {
    const found = of(r);
    const users = r === Recipient.UNIT_OFFICERS && !found.length ? of(Recipient.UNIT_HEAD) : found;
    users.forEach((id) => ids.add(id));
  }
  return [...ids];
}
