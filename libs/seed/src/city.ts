import type { EntityManager } from 'typeorm';
import { hashPassword } from '@zhezi/auth';
import { DEPARTMENTS, LOCAL_UNITS } from './district';

/** Beijing's 16 districts: a city's worth of lists, for benchmarks and load tests. */
export const CITY_DISTRICTS = [
  '东城区',
  '西城区',
  '朝阳区',
  '丰台区',
  '石景山区',
  '海淀区',
  '门头沟区',
  '房山区',
  '通州区',
  '顺义区',
  '昌平区',
  '大兴区',
  '怀柔区',
  '平谷区',
  '密云区',
  '延庆区',
] as const;

export const GENERATED_PASSWORD = 'Gen@2026';
/** Every generated unit's code starts with this: the generator refuses to run twice into one database. */
export const GENERATED_CODE_PREFIX = 'GEN-';

export interface CityOptions {
  assignments: number;
  /** Same seed, same data: every random choice is a hash of (seed, row, purpose). */
  seed: number;
  now: Date;
}

export interface CitySummary {
  units: number;
  users: number;
  plans: number;
  tasks: number;
  assignments: number;
  progressReports: number;
  escalations: number;
  supervisionNotices: number;
  missedReports: number;
}

/** Each task has a lead and a support department, and the lead's share split to two subdistricts or towns. */
const SHARES_PER_TASK = 4;
const DEPARTMENTS_PER_DISTRICT = DEPARTMENTS.length;
const LOCALS_PER_DISTRICT = LOCAL_UNITS.length;

/**
 * Generates city-scale data in SQL (generate_series; a million assignments in about two minutes): 16
 * districts' units and users, a task list per district, tasks and assignments with realistic spreads of
 * status, progress and due dates (a quarter overdue), progress reports, the escalations and 督办单 that
 * overdue work would have drawn, and missed reports. Runs in the caller's transaction.
 */
export async function generateCity(manager: EntityManager, options: CityOptions): Promise<CitySummary> {
  const { seed, now } = options;
  // Statements over a million rows run for tens of seconds: the API's statement timeout is for requests.
  await manager.query('SET LOCAL statement_timeout = 0');
  const tasks = Math.ceil(options.assignments / SHARES_PER_TASK);
  const [{ n: existing }] = await manager.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM org_unit WHERE code LIKE $1`,
    [`${GENERATED_CODE_PREFIX}%`],
  );
  if (existing) throw new Error('this database already holds generated data: generate into a fresh one');

  // r(purpose, row) in [0, 1): deterministic, so the same seed gives the same city.
  await manager.query(`
    CREATE FUNCTION pg_temp.r(seed int, purpose text, g bigint) RETURNS double precision
    LANGUAGE sql IMMUTABLE AS $$
      SELECT ('x' || substr(md5(seed || ':' || purpose || ':' || g), 1, 8))::bit(32)::bigint / 4294967296.0
    $$`);

  await insertUnits(manager);
  await insertUsers(manager, await hashPassword(GENERATED_PASSWORD));
  await manager.query(
    `INSERT INTO plan (title, kind, period_start, period_end, description)
     SELECT '【生成】' || d.name || '2026年折子工程', 'TASK_LIST', '2025-12-31T16:00:00Z', '2026-12-31T15:59:59Z', $1
     FROM unnest($2::text[]) WITH ORDINALITY AS d(name, i) ORDER BY d.i`,
    [`seed ${seed}`, CITY_DISTRICTS],
  );
  await keyedAndIndexedAfterwards(manager, BULK_TABLES, async () => {
    await insertTasks(manager, seed, tasks, now);
    await insertAssignments(manager, seed, now);
    await insertActivity(manager, seed, now);
  });
  return summarize(manager);
}

/** The tables that get millions of rows. */
const BULK_TABLES = [
  'task',
  'assignment',
  'progress_report',
  'missed_report',
  'escalation',
  'supervision_notice',
];

/**
 * Runs `work` without the tables' secondary indexes and foreign keys, then puts them back as they were (in the
 * same transaction): one sort per index and one join per foreign key instead of an index entry and a key lookup
 * per row. At 10M shares the tables outgrow PostgreSQL's buffers and keeping them up row by row made the
 * generator run for more than an hour. Primary keys and unique constraints stay: the inserts rely on them.
 */
async function keyedAndIndexedAfterwards(
  manager: EntityManager,
  tables: string[],
  work: () => Promise<void>,
) {
  const indexes = await manager.query<{ name: string; definition: string }[]>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
     FROM pg_index i
     WHERE i.indrelid = ANY($1::regclass[])
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
     ORDER BY 1`,
    [tables],
  );
  const foreignKeys = await manager.query<{ table: string; name: string; definition: string }[]>(
    `SELECT conrelid::regclass::text AS table, quote_ident(conname) AS name,
            pg_get_constraintdef(oid) AS definition
     FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY($1::regclass[])
     ORDER BY 1, 2`,
    [tables],
  );
  for (const key of foreignKeys) await manager.query(`ALTER TABLE ${key.table} DROP CONSTRAINT ${key.name}`);
  for (const index of indexes) await manager.query(`DROP INDEX ${index.name}`);
  await work();
  await manager.query(`SET LOCAL maintenance_work_mem = '512MB'`);
  for (const index of indexes) await manager.query(index.definition);
  for (const key of foreignKeys) {
    await manager.query(`ALTER TABLE ${key.table} ADD CONSTRAINT ${key.name} ${key.definition}`);
  }
}

/** Per district: its government, its 督查室, its departments and its subdistricts and towns (names made unique). */
async function insertUnits(manager: EntityManager): Promise<void> {
  const departments = DEPARTMENTS.map((u) => u.name.replace(/^区/, ''));

  await manager.query(
    `WITH d AS (SELECT name, i FROM unnest($1::text[]) WITH ORDINALITY AS d(name, i))
     INSERT INTO org_unit (code, name, kind, sort_order)
     SELECT $4 || d.i || '-GOV', d.name || '人民政府', 'GOVERNMENT', 0 FROM d
     UNION ALL SELECT $4 || d.i || '-INS', d.name || '政府督查室', 'INSPECTORATE', 1 FROM d
     UNION ALL SELECT $4 || d.i || '-D' || dep.j, d.name || dep.name, 'DEPARTMENT', 10 + dep.j
       FROM d, unnest($2::text[]) WITH ORDINALITY AS dep(name, j)
     UNION ALL SELECT $4 || d.i || '-L' || loc.j, d.name || loc.name, loc.kind, 100 + loc.j
       FROM d, unnest($3::text[], $5::text[]) WITH ORDINALITY AS loc(name, kind, j)`,
    [
      CITY_DISTRICTS,
      departments,
      LOCAL_UNITS.map((u) => u.name),
      GENERATED_CODE_PREFIX,
      LOCAL_UNITS.map((u) => u.kind),
    ],
  );
  await manager.query(
    `UPDATE org_unit u SET parent_id = gov.id FROM org_unit gov
     WHERE u.code LIKE $1 AND u.kind <> 'GOVERNMENT' AND gov.code = split_part(u.code, '-', 1) || '-' || split_part(u.code, '-', 2) || '-GOV'`,
    [`${GENERATED_CODE_PREFIX}%`],
  );
}

/** A head and an officer per unit; a leader per government, an inspector per 督查室. */
async function insertUsers(manager: EntityManager, passwordHash: string): Promise<void> {
  await manager.query(
    `INSERT INTO app_user (username, display_name, title, password_hash, role, org_unit_id)
     SELECT lower(u.code) || '-' || r.suffix, u.name || r.label, r.label, $2, r.role, u.id
     FROM org_unit u
     JOIN (VALUES
       ('GOVERNMENT', 'leader', '区长', 'LEADER'),
       ('INSPECTORATE', 'inspector', '督查员', 'INSPECTOR'),
       ('DEPARTMENT', 'head', '负责人', 'DEPARTMENT_HEAD'),
       ('DEPARTMENT', 'officer', '经办人', 'DEPARTMENT_OFFICER'),
       ('SUBDISTRICT', 'head', '负责人', 'SUBDISTRICT_HEAD'),
       ('SUBDISTRICT', 'officer', '经办人', 'SUBDISTRICT_OFFICER'),
       ('TOWN', 'head', '负责人', 'SUBDISTRICT_HEAD'),
       ('TOWN', 'officer', '经办人', 'SUBDISTRICT_OFFICER')
     ) AS r(kind, suffix, label, role) ON r.kind = u.kind
     WHERE u.code LIKE $1`,
    [`${GENERATED_CODE_PREFIX}%`, passwordHash],
  );
}

/** Tasks spread over the districts' plans; deadlines from 90 days ago to a year ahead, a tenth urgent. */
async function insertTasks(manager: EntityManager, seed: number, tasks: number, now: Date): Promise<void> {
  await manager.query(
    `WITH plans AS (SELECT id, row_number() OVER (ORDER BY title) AS i FROM plan WHERE title LIKE '【生成】%'),
     leaders AS (
       SELECT u.id, substring(o.code FROM '^GEN-([0-9]+)-')::int AS i
       FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id WHERE o.code LIKE 'GEN-%' AND u.role = 'LEADER')
     INSERT INTO task (plan_id, code, title, description, responsible_leader_id, due_at, priority, status, created_at)
     SELECT p.id, 'G' || g, '生成任务 ' || g, '城市规模测试数据', l.id,
       date_trunc('day', $3::timestamptz + interval '8 hours')
         + ((floor(pg_temp.r($1, 'due', g) * 455) - 90) * interval '1 day') + interval '16 hours' - interval '1 ms',
       CASE WHEN pg_temp.r($1, 'priority', g) < 0.1 THEN 'URGENT' ELSE 'NORMAL' END,
       'ASSIGNED', $3::timestamptz - interval '150 days'
     FROM generate_series(1, $2::int) g
     JOIN plans p ON p.i = (g % 16) + 1
     JOIN leaders l ON l.i = (g % 16) + 1`,
    [seed, tasks, now],
  );
}

/**
 * Four shares per task: lead and support departments, and the lead's split to two local units, whose
 * deadlines come a little earlier. Status follows the deadline: most past-due work is closed, a third of it
 * still open (overdue); future work is mostly in progress.
 */
async function insertAssignments(manager: EntityManager, seed: number, now: Date): Promise<void> {
  const status = (g: string) => `CASE
      WHEN t.due_at < $2 THEN CASE
        WHEN pg_temp.r($1, 'st', ${g}) < 0.60 THEN 'CLOSED'
        WHEN pg_temp.r($1, 'st', ${g}) < 0.90 THEN 'IN_PROGRESS'
        WHEN pg_temp.r($1, 'st', ${g}) < 0.95 THEN 'CLOSE_OUT_REQUESTED'
        ELSE 'SUSPENDED' END
      ELSE CASE
        WHEN pg_temp.r($1, 'st', ${g}) < 0.10 THEN 'ASSIGNED'
        WHEN pg_temp.r($1, 'st', ${g}) < 0.25 THEN 'ACCEPTED'
        WHEN pg_temp.r($1, 'st', ${g}) < 0.85 THEN 'IN_PROGRESS'
        WHEN pg_temp.r($1, 'st', ${g}) < 0.95 THEN 'CLOSED'
        ELSE 'CLOSE_OUT_REQUESTED' END
    END`;
  const generated = `(SELECT t.*, substring(t.code FROM 2)::bigint AS g, (substring(t.code FROM 2)::bigint % 16) + 1 AS district
      FROM task t WHERE t.code LIKE 'G%' AND t.title LIKE '生成任务 %')`;
  const unit = (kind: string, index: string) =>
    `(SELECT id FROM org_unit WHERE code = 'GEN-' || t.district || '-${kind}' || (${index}))`;
  // Closed from 20 days before the deadline to 9 after it (two thirds on time), never in the future.
  const closedAt = (due: string, g: string) => `CASE WHEN s.status = 'CLOSED' THEN LEAST($2::timestamptz,
      ${due} + (floor(pg_temp.r($1, 'closed', ${g}) * 30) - 20) * interval '1 day') END`;
  await manager.query(
    `INSERT INTO assignment (task_id, org_unit_id, role, due_at, status, progress_percent, created_at, closed_at)
     SELECT t.id, s.unit_id, s.role, t.due_at, s.status,
       CASE WHEN s.status = 'CLOSED' THEN 100 WHEN s.status = 'ASSIGNED' THEN 0
            ELSE floor(pg_temp.r($1, 'progress', t.g * 4 + s.k) * 100)::int END,
       t.created_at + floor(pg_temp.r($1, 'created', t.g) * 30) * interval '1 day',
       ${closedAt('t.due_at', 't.g * 4 + s.k')}
     FROM ${generated} t
     CROSS JOIN LATERAL (VALUES
       (0, ${unit('D', `t.g % ${DEPARTMENTS_PER_DISTRICT} + 1`)}, 'LEAD', ${status('t.g * 4')}),
       (1, ${unit('D', `(t.g + 7) % ${DEPARTMENTS_PER_DISTRICT} + 1`)}, 'SUPPORT', ${status('t.g * 4 + 1')})
     ) AS s(k, unit_id, role, status)`,
    [seed, now],
  );
  await manager.query(
    `INSERT INTO assignment (task_id, org_unit_id, role, parent_id, due_at, status, progress_percent, created_at,
       closed_at)
     SELECT t.id, s.unit_id, 'LEAD', lead.id, t.due_at - interval '7 days', s.status,
       CASE WHEN s.status = 'CLOSED' THEN 100 WHEN s.status = 'ASSIGNED' THEN 0
            ELSE floor(pg_temp.r($1, 'progress', t.g * 4 + s.k) * 100)::int END,
       lead.created_at + interval '2 days',
       ${closedAt("t.due_at - interval '7 days'", 't.g * 4 + s.k')}
     FROM ${generated} t
     JOIN assignment lead ON lead.task_id = t.id AND lead.role = 'LEAD' AND lead.parent_id IS NULL
     CROSS JOIN LATERAL (VALUES
       (2, ${unit('L', `t.g % ${LOCALS_PER_DISTRICT} + 1`)}, ${status('t.g * 4 + 2')}),
       (3, ${unit('L', `(t.g + 11) % ${LOCALS_PER_DISTRICT} + 1`)}, ${status('t.g * 4 + 3')})
     ) AS s(k, unit_id, status)`,
    [seed, now],
  );
  await manager.query(
    `UPDATE task t SET status = CASE WHEN EXISTS (
       SELECT 1 FROM assignment a WHERE a.task_id = t.id AND a.role = 'LEAD' AND a.parent_id IS NULL AND a.status <> 'CLOSED')
       THEN 'IN_PROGRESS' ELSE 'CLOSED' END
     WHERE t.title LIKE '生成任务 %'`,
  );
}

/** Reports for last month (mostly) and this month (some), the ladder overdue work has climbed, notices, missed reports. */
async function insertActivity(manager: EntityManager, seed: number, now: Date): Promise<void> {
  const beijing = new Date(now.getTime() + 8 * 3600_000);
  const thisMonth = beijing.toISOString().slice(0, 7);
  const lastMonth = new Date(Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth() - 1, 1))
    .toISOString()
    .slice(0, 7);
  // Row ids are random uuids; a share's stable key is its task's and unit's codes (joined, not looked up per row:
  // at 10M a lookup per report took most of the generator's time).
  const key = `hashtext(t.code || ':' || o.code)::bigint`;
  const shares = `assignment a JOIN task t ON t.id = a.task_id JOIN org_unit o ON o.id = a.org_unit_id`;
  const open = `a.status IN ('ACCEPTED', 'IN_PROGRESS', 'CLOSE_OUT_REQUESTED') AND a.org_unit_id IN (SELECT id FROM org_unit WHERE code LIKE 'GEN-%')`;
  await manager.query(
    `INSERT INTO progress_report (assignment_id, period, text, percent, submitted_by_id, submitted_at)
     SELECT a.id, p.period, '按计划推进（生成数据）', a.progress_percent, u.id, $2::timestamptz - p.age
     FROM ${shares}
     JOIN app_user u ON u.org_unit_id = a.org_unit_id AND u.role IN ('DEPARTMENT_OFFICER', 'SUBDISTRICT_OFFICER')
     CROSS JOIN (VALUES ($3::text, 0.8, interval '25 days'), ($4::text, 0.5, interval '2 days')) AS p(period, share, age)
     WHERE ${open} AND pg_temp.r($1, 'report' || p.period, ${key}) < p.share`,
    [seed, now, lastMonth, thisMonth],
  );
  await manager.query(
    `INSERT INTO missed_report (assignment_id, period_key, due_at, recorded_at)
     SELECT a.id, $1::varchar, $2::timestamptz - interval '5 days', $2::timestamptz
     FROM assignment a WHERE ${open}
       AND NOT EXISTS (SELECT 1 FROM progress_report r WHERE r.assignment_id = a.id AND r.period = $1::varchar)`,
    [lastMonth, now],
  );
  // The default ladder: levels 0–2 by the due date, SUPERVISE after a day, REPORT after a week, INTERVIEW after two.
  await manager.query(
    `WITH v AS (SELECT v.id FROM escalation_policy_version v JOIN escalation_policy p ON p.id = v.policy_id
                WHERE p.is_default AND v.number = 1),
     overdue AS (SELECT a.id, a.due_at, extract(day FROM $1::timestamptz - a.due_at)::int AS days
                 FROM assignment a WHERE ${open} AND a.due_at < $1)
     INSERT INTO escalation (assignment_id, policy_version_id, cycle, level, occurrence, action, outcome, planned_at, fired_at)
     SELECT o.id, v.id, 0, l.level, 0, l.action, 'FIRED', o.due_at + l.after, o.due_at + l.after + interval '1 second'
     FROM overdue o, v, (VALUES
       (0, 'REMIND', interval '-7 days', 0), (1, 'REMIND', interval '-1 day', 0), (2, 'URGE', interval '0', 0),
       (3, 'SUPERVISE', interval '1 day', 1), (4, 'REPORT', interval '7 days', 7), (5, 'INTERVIEW', interval '14 days', 14)
     ) AS l(level, action, after, min_days)
     WHERE o.days >= l.min_days`,
    [now],
  );
  await manager.query(
    `INSERT INTO supervision_notice (code, assignment_id, escalation_id, status, reason, opened_at, response_due_at,
       response_workdays, response, new_plan, answered_at, closed_at)
     SELECT '督〔生成〕' || row_number() OVER (ORDER BY e.fired_at, ${key}) || '号', e.assignment_id, e.id, s.status,
       '逾期未完成（生成数据）', e.fired_at, e.fired_at + interval '3 days', 3,
       CASE WHEN s.status <> 'OPEN' THEN '已制定整改措施' END, CASE WHEN s.status <> 'OPEN' THEN '本月底前完成' END,
       CASE WHEN s.status <> 'OPEN' THEN e.fired_at + interval '2 days' END,
       CASE WHEN s.status = 'CLOSED' THEN e.fired_at + interval '4 days' END
     FROM escalation e JOIN ${shares} ON a.id = e.assignment_id
     CROSS JOIN LATERAL (SELECT CASE WHEN pg_temp.r($1, 'notice', ${key}) < 0.4 THEN 'OPEN'
                                     WHEN pg_temp.r($1, 'notice', ${key}) < 0.8 THEN 'ANSWERED'
                                     ELSE 'CLOSED' END AS status) s
     WHERE e.action = 'SUPERVISE'`,
    [seed],
  );
}

async function summarize(manager: EntityManager): Promise<CitySummary> {
  const [row] = await manager.query<CitySummary[]>(
    `SELECT
       (SELECT count(*)::int FROM org_unit WHERE code LIKE 'GEN-%') AS units,
       (SELECT count(*)::int FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id WHERE o.code LIKE 'GEN-%') AS users,
       (SELECT count(*)::int FROM plan WHERE title LIKE '【生成】%') AS plans,
       (SELECT count(*)::int FROM task WHERE title LIKE '生成任务 %') AS tasks,
       (SELECT count(*)::int FROM assignment a JOIN task t ON t.id = a.task_id WHERE t.title LIKE '生成任务 %') AS assignments,
       (SELECT count(*)::int FROM progress_report WHERE text = '按计划推进（生成数据）') AS "progressReports",
       (SELECT count(*)::int FROM escalation e JOIN assignment a ON a.id = e.assignment_id
          JOIN org_unit o ON o.id = a.org_unit_id WHERE o.code LIKE 'GEN-%') AS escalations,
       (SELECT count(*)::int FROM supervision_notice WHERE code LIKE '督〔生成〕%') AS "supervisionNotices",
       (SELECT count(*)::int FROM missed_report m JOIN assignment a ON a.id = m.assignment_id
          JOIN org_unit o ON o.id = a.org_unit_id WHERE o.code LIKE 'GEN-%') AS "missedReports"`,
  );
  return row;
}
