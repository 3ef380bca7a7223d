import type { EntityManager } from 'typeorm';
import { Role } from '@zhezi/core';
import { Recipient } from './escalation-policy.entity';

const OFFICERS = [Role.DEPARTMENT_OFFICER, Role.SUBDISTRICT_OFFICER];
const HEADS = [Role.DEPARTMENT_HEAD, Role.SUBDISTRICT_HEAD];

/** The users a set of recipient kinds addresses for one of the assignments asked about. */
export type RecipientLookup = (assignmentId: string, wanted: readonly Recipient[]) => string[];

/**
 * The active users every ladder step addresses, for many assignments in one query (only the kinds asked
 * for are read). A unit without officers gets its head instead, so no step goes unheard.
 */
export async function recipientsOf(
  manager: EntityManager,
  assignmentIds: readonly string[],
  kinds: readonly Recipient[],
): Promise<RecipientLookup> {
  const rows = await manager.query<{ a: string | null; r: Recipient; id: string }[]>(
    `WITH a AS (SELECT id, org_unit_id, parent_id, task_id FROM assignment WHERE id = ANY($1)),
     lead_units AS (
       SELECT a.id AS a, p.org_unit_id FROM a JOIN assignment p ON p.id = a.parent_id
       UNION
       SELECT a.id, l.org_unit_id FROM a JOIN assignment l ON a.parent_id IS NULL AND l.task_id = a.task_id
       WHERE l.role = 'LEAD' AND l.parent_id IS NULL
     )
     SELECT a.id AS a, 'UNIT_OFFICERS' AS r, u.id FROM a JOIN app_user u ON u.org_unit_id = a.org_unit_id
       WHERE u.active AND u.role = ANY($2) AND 'UNIT_OFFICERS' = ANY($6)
     UNION ALL SELECT a.id, 'UNIT_HEAD', u.id FROM a JOIN app_user u ON u.org_unit_id = a.org_unit_id
       WHERE u.active AND u.role = ANY($3) AND ('UNIT_HEAD' = ANY($6) OR 'UNIT_OFFICERS' = ANY($6))
     UNION ALL SELECT l.a, 'LEAD_DEPARTMENT_HEAD', u.id FROM lead_units l JOIN app_user u ON u.org_unit_id = l.org_unit_id
       WHERE u.active AND u.role = $4 AND 'LEAD_DEPARTMENT_HEAD' = ANY($6)
     UNION ALL SELECT NULL, 'INSPECTORATE', u.id FROM app_user u
       WHERE u.active AND u.role = $5 AND 'INSPECTORATE' = ANY($6)
     UNION ALL SELECT a.id, 'RESPONSIBLE_LEADER', t.responsible_leader_id FROM a JOIN task t ON t.id = a.task_id
       WHERE t.responsible_leader_id IS NOT NULL AND 'RESPONSIBLE_LEADER' = ANY($6)`,
    [[...assignmentIds], OFFICERS, HEADS, Role.DEPARTMENT_HEAD, Role.INSPECTOR, [...new Set(kinds)]],
  );
  // Keyed by assignment and kind; the inspectorate is the same for all.
  const found = new Map<string, string[]>();
  for (const row of rows) {
    const key = `${row.a ?? '*'}:${row.r}`;
    found.set(key, [...(found.get(key) ?? []), row.id]);
  }
  const of = (assignmentId: string, r: Recipient) =>
    found.get(`${r === Recipient.INSPECTORATE ? '*' : assignmentId}:${r}`) ?? [];
  return (assignmentId, wanted) => {
    const ids = new Set<string>();
    for (const r of wanted) {
      const users = of(assignmentId, r);
      const heard =
        r === Recipient.UNIT_OFFICERS && !users.length ? of(assignmentId, Recipient.UNIT_HEAD) : users;
      heard.forEach((id) => ids.add(id));
    }
    return [...ids];
  };
}

/** The users a step addresses for one assignment. */
export async function resolveRecipients(
  manager: EntityManager,
  assignmentId: string,
  wanted: readonly Recipient[],
): Promise<string[]> {
  return (await recipientsOf(manager, [assignmentId], wanted))(assignmentId, wanted);
}
