import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { APP_CONFIG, Role, type AppConfig } from '@zhezi/core';
import { writeTaskList } from '@zhezi/decomposition';
import { OrgUnitKind } from '@zhezi/org';
import { periodOf, ReportCadence } from '@zhezi/task';
import { FIXTURE_PASSWORD, type UnitKey, type UserKey } from '@zhezi/testing';
import {
  countRows,
  dataOf,
  outcomeOf,
  taskOps,
  UNASSIGN,
  type AssignmentRef,
  type Outcome,
} from './support/ops';
import { startTestApi, type GqlResult, type TestApi } from './support/test-api';
import { graphql } from './gql';
import type {
  CreateEscalationPolicyInput,
  CreateNotificationChannelInput,
  MatrixChannelFieldsFragment,
  MatrixEscalationFieldsFragment,
  MatrixNestedShareFragment,
  MatrixNoticeFieldsFragment,
  MatrixPolicyFieldsFragment,
  MatrixSupervisionNoticesQuery,
  MatrixTasksQuery,
  MatrixUnitBoardQuery,
  TypedDocumentString,
} from './gql/graphql';

/**
 * Who may do what, walked cell by cell: every role (and callers without a valid token) × every query and
 * mutation × own unit vs another unit where that makes a difference. Read cells that succeed must return
 * exactly what the rules let the caller see; refused cells must leave no trace in the audit log.
 *
 * Reads run against a fixed "read plan" built once in beforeAll; every mutation cell builds what it
 * consumes in a separate "scratch plan", so cells may run in any order.
 */

// ---------------------------------------------------------------------------------------------------
// The world the read cells look at. Splits are made by the department's own officer, as in real use.
// ---------------------------------------------------------------------------------------------------
type TaskKey = 't1' | 't2' | 't3' | 't4' | 't5' | 't6';

interface TaskSpec {
  key: TaskKey;
  title: string;
  dueAt: string;
  lead?: UnitKey[];
  support?: UnitKey[];
  splits?: Partial<Record<'fgw' | 'swj', UnitKey[]>>;
}

const WORLD: TaskSpec[] = [
  {
    key: 't1',
    title: '发改委牵头，分解给中关村、学院路',
    dueAt: '2026-03-31T15:59:59.000Z',
    lead: ['fgw'],
    splits: { fgw: ['zgc', 'xyl'] },
  },
  {
    key: 't2',
    title: '水务局牵头，分解给海淀街道',
    dueAt: '2026-04-30T15:59:59.000Z',
    lead: ['swj'],
    splits: { swj: ['hd'] },
  },
  {
    key: 't3',
    title: '发改委牵头、水务局配合；发改委分给学院路，水务局分给中关村',
    dueAt: '2026-05-31T15:59:59.000Z',
    lead: ['fgw'],
    support: ['swj'],
    splits: { fgw: ['xyl'], swj: ['zgc'] },
  },
  {
    key: 't4',
    title: '发改委牵头、教委配合，未分解',
    dueAt: '2026-06-30T15:59:59.000Z',
    lead: ['fgw'],
    support: ['jw'],
  },
  { key: 't5', title: '教委牵头', dueAt: '2026-07-31T15:59:59.000Z', lead: ['jw'] },
  { key: 't6', title: '尚未交办', dueAt: '2026-08-31T15:59:59.000Z' },
];

/**
 * Approval requests waiting on the world's shares, so the approval lists have rows to tell callers apart.
 * Each waits at its first step with approvers: the head of the share's unit, or the 督查室 where neither the
 * unit nor the department that split the share has a head (海淀街道, 区水务局). None is on t1, whose audit
 * trail the unit columns read as their own task's: approval events name the requester's unit only.
 */
interface RequestSpec {
  kind: 'CLOSE_OUT' | 'EXTENSION';
  share: string;
  by: UserKey;
  /** Whose inbox it waits in. */
  waitsFor: UserKey;
}

const WORLD_REQUESTS: RequestSpec[] = [
  // zgc works on t3 for swj: a department sees none of it.
  { kind: 'CLOSE_OUT', share: 't3.zgc', by: 'zgcOfficer', waitsFor: 'zgcHead' },
  // The world's deadlines may have passed, when only the 督查室 may open an extension for a unit.
  { kind: 'EXTENSION', share: 't4.fgw', by: 'inspector', waitsFor: 'fgwHead' },
  // No caller's unit is on it: readers only.
  { kind: 'CLOSE_OUT', share: 't2.hd', by: 'hdOfficer', waitsFor: 'inspector' },
];

/** The approval flows the migrations configure (1764600000000-Approvals), listed by kind: step names. */
const APPROVAL_FLOWS = [
  { kind: 'ADJUSTMENT', steps: ['牵头部门负责人审核', '督查室审核', '责任领导审定'] },
  { kind: 'CLOSE_OUT', steps: ['承办单位负责人审核', '牵头部门负责人审核', '督查室审核', '责任领导审定'] },
  { kind: 'DECOMPOSITION', steps: ['督查室审核', '区领导审定'] },
  { kind: 'EXTENSION', steps: ['承办单位负责人审核', '督查室初审', '责任领导审定'] },
];

/** A unit's share of a task in the world, keyed like `t1.zgc`. */
interface Share {
  key: string;
  id: string;
  task: TaskKey;
  unit: UnitKey;
  parent: string | null;
}

interface World {
  readPlan: string;
  scratchPlan: string;
  tasks: Record<TaskKey, string>;
  shares: Map<string, Share>;
  /** The supervision notice open on each share, keyed like the shares. */
  notices: Map<string, string>;
}

// ---------------------------------------------------------------------------------------------------
// Who asks. Department users belong to fgw, subdistrict users to zgc.
// ---------------------------------------------------------------------------------------------------
type Who = Role | 'ANONYMOUS' | 'GARBAGE_TOKEN' | 'EXPIRED_TOKEN';
type Side = 'reader' | 'department' | 'subdistrict' | 'nobody';

interface Caller {
  who: Who;
  user: UserKey | null;
  side: Side;
}

const ROLE_COLUMNS: Caller[] = [
  { who: Role.ADMIN, user: 'admin', side: 'reader' },
  { who: Role.LEADER, user: 'leader', side: 'reader' },
  { who: Role.INSPECTOR, user: 'inspector', side: 'reader' },
  { who: Role.DEPARTMENT_HEAD, user: 'fgwHead', side: 'department' },
  { who: Role.DEPARTMENT_OFFICER, user: 'fgwOfficer', side: 'department' },
  { who: Role.SUBDISTRICT_HEAD, user: 'zgcHead', side: 'subdistrict' },
  { who: Role.SUBDISTRICT_OFFICER, user: 'zgcOfficer', side: 'subdistrict' },
];

/** Without a valid token every operation is UNAUTHENTICATED; they run wherever the reader columns run. */
const NOBODY: Caller[] = [
  { who: 'ANONYMOUS', user: null, side: 'nobody' },
  { who: 'GARBAGE_TOKEN', user: null, side: 'nobody' },
  { who: 'EXPIRED_TOKEN', user: null, side: 'nobody' },
];

/** What "own" and "other" mean for each kind of caller. Readers and callers without a token have no own unit. */
interface View {
  ownUnit: UnitKey | null;
  otherUnit: UnitKey;
  ownTask: TaskKey | null;
  otherTask: TaskKey;
  ownShare: string | null;
  otherShare: string;
}

const VIEWS: Record<Side, View> = {
  reader: {
    ownUnit: null,
    otherUnit: 'swj',
    ownTask: null,
    otherTask: 't2',
    ownShare: null,
    otherShare: 't2.swj',
  },
  nobody: {
    ownUnit: null,
    otherUnit: 'swj',
    ownTask: null,
    otherTask: 't2',
    ownShare: null,
    otherShare: 't2.swj',
  },
  department: {
    ownUnit: 'fgw',
    otherUnit: 'swj',
    ownTask: 't1',
    otherTask: 't2',
    ownShare: 't1.fgw',
    otherShare: 't2.swj',
  },
  subdistrict: {
    ownUnit: 'zgc',
    otherUnit: 'hd',
    ownTask: 't1',
    otherTask: 't2',
    ownShare: 't1.zgc',
    otherShare: 't2.hd',
  },
};

// ---------------------------------------------------------------------------------------------------
// The rules, restated independently of the code: the oracle the 'ok' read cells are checked against.
// ---------------------------------------------------------------------------------------------------
function shareOf(world: World, key: string): Share {
  const share = world.shares.get(key);
  if (!share) throw new Error(`no share ${key} in the world`);
  return share;
}

/** Whether a share of `unit`, split off a share of `parentUnit` (if any), is visible to the caller. */
function seesShareOf(side: Side, unit: UnitKey, parentUnit: UnitKey | null): boolean {
  if (side === 'reader') return true;
  if (side === 'department') return unit === 'fgw' || parentUnit === 'fgw';
  if (side === 'subdistrict') return unit === 'zgc';
  return false;
}

function sees(world: World, side: Side, share: Share): boolean {
  return seesShareOf(side, share.unit, share.parent ? shareOf(world, share.parent).unit : null);
}

function visibleShares(world: World, side: Side, task?: TaskKey): Share[] {
  return [...world.shares.values()].filter((s) => (!task || s.task === task) && sees(world, side, s));
}

/** Tasks of the read plan the caller sees (in due order), optionally only those where `unit` has a visible share. */
function visibleTasks(world: World, side: Side, unit?: UnitKey): TaskKey[] {
  return WORLD.map((t) => t.key).filter((task) => {
    const shares = visibleShares(world, side, task).filter((s) => !unit || s.unit === unit);
    return side === 'reader' && !unit ? true : shares.length > 0;
  });
}

/** Units whose audit events a unit user may read on a task: its own, and what it split off on that task. */
function auditUnitsOf(world: World, side: Side, task: TaskKey): Set<string> | null {
  if (side === 'reader') return null;
  const units = new Set<UnitKey>();
  if (side === 'subdistrict') units.add('zgc');
  if (side === 'department') {
    units.add('fgw');
    for (const s of visibleShares(world, side, task)) units.add(s.unit);
  }
  return new Set([...units].map((u) => unitIdOf(u)));
}

// Filled in beforeAll; the rows below close over them.
let api: TestApi;
let world: World;
let unitIdOf: (key: UnitKey) => string;
const tokens = new Map<Who, string | undefined>();

// ---------------------------------------------------------------------------------------------------
// Shape checks shared by the read rows.
// ---------------------------------------------------------------------------------------------------
graphql(`
  fragment MatrixNestedShare on Assignment {
    id
    parent {
      id
    }
    children {
      id
    }
  }
`);

const ids = (list: { id: string }[]) => list.map((x) => x.id);
const sorted = (list: string[]) => [...list].sort();

/** World keys (`t3`, `t1.zgc`) instead of UUIDs, so a failing cell says what leaked or went missing. */
const taskKeys = (list: string[]) =>
  list.map((id) => (Object.keys(world.tasks) as TaskKey[]).find((k) => world.tasks[k] === id) ?? `? ${id}`);
const shareKeys = (list: string[]) =>
  sorted(list.map((id) => [...world.shares.values()].find((s) => s.id === id)?.key ?? `? ${id}`));
const unitKeys = (list: string[]) =>
  list.map(
    (id) => (Object.keys(api.fixture.units) as UnitKey[]).find((k) => unitIdOf(k) === id) ?? `? ${id}`,
  );

/** A share as the caller should see it: its parent only if visible, and only visible children. */
function expectShareView(side: Side, got: MatrixNestedShareFragment): void {
  const share = [...world.shares.values()].find((s) => s.id === got.id);
  if (!share) throw new Error(`unknown share ${got.id}`);
  const parent = share.parent ? shareOf(world, share.parent) : null;
  const children = [...world.shares.values()].filter((s) => s.parent === share.key && sees(world, side, s));
  expect({
    share: share.key,
    parent: got.parent ? shareKeys([got.parent.id])[0] : null,
    children: shareKeys(ids(got.children)),
  }).toEqual({
    share: share.key,
    parent: parent && sees(world, side, parent) ? parent.key : null,
    children: children.map((c) => c.key).sort(),
  });
}

function expectTaskView(side: Side, task: { id: string; assignments: MatrixNestedShareFragment[] }): void {
  const [key] = taskKeys([task.id]) as TaskKey[];
  expect({ task: key, assignments: shareKeys(ids(task.assignments)) }).toEqual({
    task: key,
    assignments: visibleShares(world, side, key)
      .map((s) => s.key)
      .sort(),
  });
  task.assignments.forEach((a) => expectShareView(side, a));
}

const TASKS_QUERY = graphql(`
  query MatrixTasks($filter: TaskFilter) {
    tasks(first: 100, filter: $filter) {
      totalCount
      edges {
        node {
          id
          assignments {
            ...MatrixNestedShare
          }
        }
      }
    }
  }
`);

const TASK_QUERY = graphql(`
  query MatrixTask($id: ID!) {
    task(id: $id) {
      id
      assignments {
        ...MatrixNestedShare
      }
    }
  }
`);

/** The read plan's tasks the caller sees, in due order, each with only the shares it may see. */
function expectTaskList(side: Side, got: MatrixTasksQuery, unit?: UnitKey): void {
  const expected = visibleTasks(world, side, unit);
  expect(taskKeys(got.tasks.edges.map((e) => e.node.id))).toEqual(expected);
  expect(got.tasks.totalCount).toBe(expected.length);
  got.tasks.edges.forEach((e) => expectTaskView(side, e.node));
}

async function expectAuditView(side: Side, task: TaskKey, got: { id: string }[]): Promise<void> {
  const rows = await api.dataSource.query<{ id: string; action: string; unit_ids: string[] }[]>(
    `SELECT id::text AS id, action, to_json(unit_ids) AS unit_ids FROM audit_event
      WHERE entity_id = $1 OR task_id = $1 ORDER BY audit_event.id`,
    [world.tasks[task]],
  );
  const label = (id: string) => {
    const row = rows.find((e) => e.id === id);
    return row ? `#${id} ${row.action} [${unitKeys(row.unit_ids).join(',')}]` : `? #${id}`;
  };
  const units = auditUnitsOf(world, side, task);
  const expected = rows.filter(
    (e) => !units || e.unit_ids.length === 0 || e.unit_ids.some((u) => units.has(u)),
  );
  expect(expected.length).toBeGreaterThan(0);
  expect(ids(got).map(label)).toEqual(ids(expected).map(label));
}

/** The shares the side sees, counted per unit (keyed like `zgc`), as the boards' per-unit figures must be. */
function sharesPerUnit(side: Side): Partial<Record<UnitKey, number>> {
  const counts: Partial<Record<UnitKey, number>> = {};
  for (const s of visibleShares(world, side)) counts[s.unit] = (counts[s.unit] ?? 0) + 1;
  return counts;
}

const UNIT_BOARD = graphql(`
  query MatrixUnitBoard($orgUnitId: ID, $planId: ID) {
    unitBoard(orgUnitId: $orgUnitId, filter: { planId: $planId }) {
      orgUnitId
      columns {
        status
        count
      }
      items(first: 100) {
        totalCount
        edges {
          node {
            id
          }
        }
      }
    }
  }
`);

/** A unit's board shows exactly the unit's shares the side sees, in its items and in its columns. */
function expectUnitBoard(side: Side, unit: UnitKey, got: MatrixUnitBoardQuery['unitBoard']): void {
  const expected = sorted(
    visibleShares(world, side)
      .filter((s) => s.unit === unit)
      .map((s) => s.key),
  );
  expect({
    unit: unitKeys([got.orgUnitId])[0],
    items: shareKeys(got.items.edges.map((e) => e.node.id)),
    total: got.items.totalCount,
    columns: got.columns.reduce((n, col) => n + col.count, 0),
  }).toEqual({ unit, items: expected, total: expected.length, columns: expected.length });
}

/** Another unit of every kind: a unit no caller belongs to, or one whose board only some callers may read. */
const OTHER_UNITS: [string, UnitKey][] = [
  ['GOVERNMENT', 'gov'],
  ['INSPECTORATE', 'inspectorate'],
  ['DEPARTMENT', 'jw'],
  ['SUBDISTRICT', 'hd'],
  ['TOWN', 'sz'],
];

/** Units whose figures a board shows the side: everything, its own unit and those it split work to, or its own. */
function boardUnitsOf(side: Side): UnitKey[] {
  const shares = [...world.shares.values()];
  if (side === 'subdistrict') return ['zgc'];
  const units =
    side === 'reader'
      ? shares.map((s) => s.unit)
      : [
          'fgw' as UnitKey,
          ...shares.filter((s) => s.parent && shareOf(world, s.parent).unit === 'fgw').map((s) => s.unit),
        ];
  return [...new Set(units)];
}

// ---------------------------------------------------------------------------------------------------
// The matrix. Columns: ADMIN, LEADER, INSPECTOR, DEPARTMENT_HEAD, DEPARTMENT_OFFICER, SUBDISTRICT_HEAD,
// SUBDISTRICT_OFFICER; `__` where the row does not apply to that kind of caller.
// ---------------------------------------------------------------------------------------------------
type Expect = Outcome | null;
type Columns = [Expect, Expect, Expect, Expect, Expect, Expect, Expect];

const ok = 'ok';
const F = 'FORBIDDEN';
const NF = 'NOT_FOUND';
const __ = null;

interface Cell {
  caller: Caller;
  token: string | undefined;
  view: View;
  /**
   * Sends the request under test and records whether it wrote to the audit log, as `api.gql` sends it: a
   * typed operation (`graphql(...)`) checks its variables and types its result; a plain string is untyped.
   */
  send<R, V>(query: TypedDocumentString<R, V>, variables: V): Promise<GqlResult<R>>;
  send<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GqlResult<T>>;
}

interface Row {
  op: string;
  expect: Columns;
  /** Prepares what the cell needs, sends one request through `cell.send`, returns the check for an 'ok'. */
  run(cell: Cell): Promise<() => void | Promise<void>>;
}

/** Rows of one operation on a unit the caller's side picks (its own, another), run alike. */
function unitRows(
  rows: [string, Columns, (v: View) => UnitKey][],
  run: (cell: Cell, unit: UnitKey) => Promise<() => void | Promise<void>>,
): Row[] {
  return rows.map(([op, columns, pick]) => ({
    op,
    expect: columns,
    run: (cell) => run(cell, pick(cell.view)),
  }));
}

const leaderToken = () => api.token('leader');
const CLOSE_OUT = graphql(`
  mutation MatrixRequestCloseOut($input: RequestCloseOutInput!) {
    requestCloseOut(input: $input) {
      id
      status
    }
  }
`);
const EXTENSION = graphql(`
  mutation MatrixRequestExtension($input: RequestExtensionInput!) {
    requestExtension(input: $input) {
      id
      status
    }
  }
`);
const WITHDRAW = graphql(`
  mutation MatrixWithdrawApproval($id: ID!) {
    withdrawApproval(requestId: $id) {
      status
    }
  }
`);
const APPROVAL_REQUEST = graphql(`
  query MatrixApprovalRequest($id: ID!) {
    approvalRequest(id: $id) {
      id
    }
  }
`);

const SUBMIT = graphql(`
  mutation MatrixSubmitProgress($input: SubmitProgressInput!) {
    submitProgress(input: $input) {
      id
      percent
    }
  }
`);
const THIS_MONTH = periodOf(new Date(), ReportCadence.MONTHLY);
const ACCEPT = graphql(`
  mutation MatrixAcceptAssignment($input: AssignmentTransitionInput!) {
    acceptAssignment(input: $input) {
      id
      status
    }
  }
`);
const SUSPEND = graphql(`
  mutation MatrixSuspendAssignment($input: AssignmentReasonInput!) {
    suspendAssignment(input: $input) {
      id
      status
    }
  }
`);
const RESUME = graphql(`
  mutation MatrixResumeAssignment($input: AssignmentReasonInput!) {
    resumeAssignment(input: $input) {
      id
      status
    }
  }
`);
const UNASSIGN_STATUS = graphql(`
  mutation MatrixUnassign($id: ID!) {
    unassign(assignmentId: $id) {
      id
      status
    }
  }
`);
const ops = () => taskOps(api);

/** A new task in the scratch plan, optionally assigned and split, so a mutation cell owns what it consumes. */
/** The caller's own accepted share: a department's top-level one, a subdistrict's part (due a year early). */
async function ownAcceptedShare(c: Cell): Promise<string> {
  let id: string;
  if (c.view.ownUnit === 'fgw') {
    id = (await freshTask('fgw')).share!.id;
  } else {
    const { share } = await freshTask('fgw');
    const parts = await ops().split(await api.token('fgwOfficer'), share!.id, [
      { orgUnitId: unitIdOf('zgc'), dueAt: '2029-12-31T15:59:59.000Z' },
    ]);
    id = parts[0].id;
  }
  dataOf(await api.gql(ACCEPT, { input: { assignmentId: id, version: 1 } }, c.token));
  return id;
}

/** A close-out request of 海淀街道 (split off 区水务局): no head in either unit, so the 督查室 decides first. */
async function otherUnitRequest(): Promise<string> {
  const { child } = await freshTask('swj', 'hd');
  const hd = await api.token('hdOfficer');
  dataOf(await api.gql(ACCEPT, { input: { assignmentId: child!.id, version: 1 } }, hd));
  const input = { assignmentId: child!.id, version: 2, comment: '' };
  return dataOf(await api.gql(CLOSE_OUT, { input }, hd)).requestCloseOut.id;
}

async function freshTask(lead?: 'fgw' | 'swj', splitTo?: UnitKey, splitBy?: UserKey) {
  const task = await ops().createTask(await leaderToken(), {
    planId: world.scratchPlan,
    title: '矩阵测试任务',
  });
  if (!lead) return { task, share: null, child: null };
  const [share] = await ops().assignTask(await leaderToken(), task.id, [{ orgUnitId: unitIdOf(lead) }]);
  if (!splitTo) return { task, share, child: null };
  const by = splitBy ?? (lead === 'fgw' ? 'fgwOfficer' : 'swjOfficer');
  const [child] = await ops().split(await api.token(by), share.id, [{ orgUnitId: unitIdOf(splitTo) }]);
  return { task, share, child };
}

async function expectGone(id: string, parentId: string | null): Promise<void> {
  expect(await countRows(api, 'assignment', 'id = $1', [id])).toBe(0);
  if (parentId) expect(await countRows(api, 'assignment', 'id = $1', [parentId])).toBe(1);
}

const ALL_OK: Columns = [ok, ok, ok, ok, ok, ok, ok];
const ASSIGNERS_ONLY: Columns = [ok, ok, F, F, F, F, F];
const READERS_ONLY: Columns = [ok, ok, ok, F, F, F, F];

// ---------------------------------------------------------------------------------------------------
// Plan decomposition: drafts are built with SQL outside the request under test.
// ---------------------------------------------------------------------------------------------------
const ADMIN_ONLY: Columns = [ok, F, F, F, F, F, F];
const PLAN_MARKDOWN =
  '# 2026年重点工作任务\n\n## 一、改善水环境\n\n加强河道治理。完成清河综合治理。\n\n推进污水处理。新建再生水厂一座。\n';

async function draftPlan(
  count: number,
): Promise<{ planId: string; drafts: { id: string; version: number }[] }> {
  const [plan] = await api.dataSource.query<{ id: string }[]>(
    `INSERT INTO plan (title, kind, period_start, period_end)
     VALUES ('矩阵草稿', 'TASK_LIST', '2025-12-31T16:00:00Z', '2026-12-31T15:59:59Z') RETURNING id`,
  );
  const drafts = await api.dataSource.query<{ id: string; version: number }[]>(
    `INSERT INTO draft_task (plan_id, position, code, title, lead_unit_ids, due_at)
     SELECT $1, n, n::text, '草稿' || n, ARRAY[$2::uuid], '2026-06-30T15:59:59Z' FROM generate_series(1, $3) n
     RETURNING id, version`,
    [plan.id, unitIdOf('swj'), count],
  );
  return { planId: plan.id, drafts };
}

async function keywordOf(unit: UnitKey): Promise<string> {
  const [row] = await api.dataSource.query<{ id: string }[]>(
    `INSERT INTO unit_keyword (org_unit_id, keyword, weight) VALUES ($1, $2, 1) RETURNING id`,
    [unitIdOf(unit), `词${randomUUID().slice(0, 8)}`],
  );
  return row.id;
}

function decompositionRows(): Row[] {
  return [
    {
      op: 'draftTasks',
      expect: READERS_ONLY,
      async run(c) {
        const { planId } = await draftPlan(2);
        const r = await c.send(
          graphql(`
            query MatrixDraftTasks($planId: ID!) {
              draftTasks(planId: $planId) {
                totalCount
              }
            }
          `),
          { planId },
        );
        return () => expect(r.data!.draftTasks.totalCount).toBe(2);
      },
    },
    {
      op: 'suggestUnits',
      expect: READERS_ONLY,
      async run(c) {
        const r = await c.send(
          graphql(`
            query MatrixSuggestUnits {
              suggestUnits(text: "加强河道治理") {
                score
              }
            }
          `),
          {},
        );
        return () => expect(Array.isArray(r.data!.suggestUnits)).toBe(true);
      },
    },
    {
      op: 'ingestPlan',
      expect: ASSIGNERS_ONLY,
      async run(c) {
        const file = { fileName: '重点工作.md', content: Buffer.from(PLAN_MARKDOWN).toString('base64') };
        const r = await c.send(
          graphql(`
            mutation MatrixIngestPlan($input: IngestPlanInput!) {
              ingestPlan(input: $input) {
                draftTaskCount
              }
            }
          `),
          { input: { file } },
        );
        return () => expect(r.data!.ingestPlan.draftTaskCount).toBe(2);
      },
    },
    {
      op: 'importTaskList',
      expect: ASSIGNERS_ONLY,
      async run(c) {
        const row = { code: '1', title: '矩阵导入', content: '', supportUnits: [], responsibleLeader: '' };
        const xlsx = await writeTaskList('矩阵导入', [
          {
            ...row,
            leadUnits: ['区水务局'],
            deadline: '2026-06-30',
            status: '',
            light: '',
            progress: '',
            latestReport: '',
            escalation: '',
          },
        ]);
        const r = await c.send(
          graphql(`
            mutation MatrixImportTaskList($input: ImportTaskListInput!) {
              importTaskList(input: $input) {
                draftTaskCount
              }
            }
          `),
          { input: { year: 2026, file: { fileName: '折子.xlsx', content: xlsx.toString('base64') } } },
        );
        return () => expect(r.data!.importTaskList.draftTaskCount).toBe(1);
      },
    },
    {
      op: 'updateDraftTask',
      expect: ASSIGNERS_ONLY,
      async run(c) {
        const { drafts } = await draftPlan(1);
        const r = await c.send(
          graphql(`
            mutation MatrixUpdateDraftTask($input: UpdateDraftTaskInput!) {
              updateDraftTask(input: $input) {
                title
              }
            }
          `),
          { input: { ...drafts[0], title: '改过的草稿' } },
        );
        return () => expect(r.data!.updateDraftTask.title).toBe('改过的草稿');
      },
    },
    {
      op: 'mergeDraftTasks',
      expect: ASSIGNERS_ONLY,
      async run(c) {
        const { drafts } = await draftPlan(2);
        const r = await c.send(
          graphql(`
            mutation MatrixMergeDraftTasks($input: MergeDraftTasksInput!) {
              mergeDraftTasks(input: $input) {
                id
              }
            }
          `),
          { input: { drafts } },
        );
        return () => expect(r.data!.mergeDraftTasks.id).toBe(drafts[0].id);
      },
    },
    {
      op: 'splitDraftTask',
      expect: ASSIGNERS_ONLY,
      async run(c) {
        const { drafts } = await draftPlan(1);
        const r = await c.send(
          graphql(`
            mutation MatrixSplitDraftTask($input: SplitDraftTaskInput!) {
              splitDraftTask(input: $input) {
                id
              }
            }
          `),
          { input: { ...drafts[0], parts: [{ title: '甲' }, { title: '乙' }] } },
        );
        return () => expect(r.data!.splitDraftTask).toHaveLength(2);
      },
    },
    {
      op: 'removeDraftTasks',
      expect: ASSIGNERS_ONLY,
      async run(c) {
        const { drafts } = await draftPlan(2);
        const r = await c.send(
          graphql(`
            mutation MatrixRemoveDraftTasks($input: RemoveDraftTasksInput!) {
              removeDraftTasks(input: $input) {
                id
              }
            }
          `),
          { input: { drafts: drafts.slice(0, 1) } },
        );
        return () => expect(r.data!.removeDraftTasks).toHaveLength(1);
      },
    },
    {
      op: 'submitDecomposition',
      expect: ASSIGNERS_ONLY,
      async run(c) {
        const { planId } = await draftPlan(1);
        const r = await c.send(
          graphql(`
            mutation MatrixSubmitDecomposition($input: SubmitDecompositionInput!) {
              submitDecomposition(input: $input) {
                kind
              }
            }
          `),
          { input: { planId } },
        );
        return () => expect(r.data!.submitDecomposition.kind).toBe('DECOMPOSITION');
      },
    },
    {
      op: 'unitKeywords',
      expect: ADMIN_ONLY,
      async run(c) {
        const id = await keywordOf('swj');
        const r = await c.send(
          graphql(`
            query MatrixUnitKeywords($unit: ID) {
              unitKeywords(orgUnitId: $unit, first: 100) {
                edges {
                  node {
                    id
                  }
                }
              }
            }
          `),
          { unit: unitIdOf('swj') },
        );
        return () => expect(r.data!.unitKeywords.edges.map((e) => e.node.id)).toContain(id);
      },
    },
    {
      op: 'setUnitKeyword',
      expect: ADMIN_ONLY,
      async run(c) {
        const r = await c.send(
          graphql(`
            mutation MatrixSetUnitKeyword($input: SetUnitKeywordInput!) {
              setUnitKeyword(input: $input) {
                weight
              }
            }
          `),
          { input: { orgUnitId: unitIdOf('jw'), keyword: `校${randomUUID().slice(0, 6)}`, weight: 2 } },
        );
        return () => expect(r.data!.setUnitKeyword.weight).toBe(2);
      },
    },
    {
      op: 'removeUnitKeyword',
      expect: ADMIN_ONLY,
      async run(c) {
        const id = await keywordOf('jw');
        await c.send(
          graphql(`
            mutation MatrixRemoveUnitKeyword($id: ID!) {
              removeUnitKeyword(id: $id) {
                id
              }
            }
          `),
          { id },
        );

        return async () => expect(await countRows(api, 'unit_keyword', 'id = $1', [id])).toBe(0);
      },
    },
  ];
}

// ---------------------------------------------------------------------------------------------------
// Org chart administration and leaders' portfolios: admins only. Units the admin cells change are scratch
// units made with SQL, so the world's units stay as they are.
// ---------------------------------------------------------------------------------------------------
graphql(`
  fragment MatrixUnitRef on OrgUnit {
    id
    name
    version
    active
  }
`);

async function scratchUnit(): Promise<{ id: string; version: number }> {
  const tag = randomUUID().slice(0, 8);
  const [row] = await api.dataSource.query<{ id: string; version: number }[]>(
    `INSERT INTO org_unit (code, name, kind, parent_id) VALUES ($1, $2, 'DEPARTMENT', $3) RETURNING id, version`,
    [`X${tag}`, `临时机构${tag}`, unitIdOf('gov')],
  );
  return row;
}

/** The unit a cell names: its own or another's for the refused columns, a scratch unit where the admin acts. */
async function unitFor(c: Cell, pick: (v: View) => UnitKey | null): Promise<{ id: string; version: number }> {
  const key = pick(c.view);
  if (c.caller.who === Role.ADMIN || !key) return scratchUnit();
  const [row] = await api.dataSource.query<{ id: string; version: number }[]>(
    'SELECT id, version FROM org_unit WHERE id = $1',
    [unitIdOf(key)],
  );
  return row;
}

function orgAdminRows(): Row[] {
  const sides: [string, (v: View) => UnitKey | null][] = [
    ['own unit', (v) => v.ownUnit],
    ['other unit', (v) => v.otherUnit],
  ];
  return [
    {
      op: 'createOrgUnit',
      expect: ADMIN_ONLY,
      async run(c) {
        const tag = randomUUID().slice(0, 8);
        const r = await c.send(
          graphql(`
            mutation MatrixCreateOrgUnit($input: CreateOrgUnitInput!) {
              createOrgUnit(input: $input) {
                ...MatrixUnitRef
              }
            }
          `),
          { input: { code: `N${tag}`, name: `新机构${tag}`, kind: 'DEPARTMENT', parentId: unitIdOf('gov') } },
        );
        return () => expect(r.data!.createOrgUnit.name).toBe(`新机构${tag}`);
      },
    },
    ...sides.map(
      ([side, pick]): Row => ({
        op: `updateOrgUnit(${side})`,
        expect: ADMIN_ONLY,
        async run(c) {
          const unit = await unitFor(c, pick);
          const r = await c.send(
            graphql(`
              mutation MatrixUpdateOrgUnit($input: UpdateOrgUnitInput!) {
                updateOrgUnit(input: $input) {
                  ...MatrixUnitRef
                }
              }
            `),
            { input: { id: unit.id, version: unit.version, aliases: [`简称${randomUUID().slice(0, 8)}`] } },
          );
          return () => expect(r.data!.updateOrgUnit.version).toBe(unit.version + 1);
        },
      }),
    ),
    ...sides.map(
      ([side, pick]): Row => ({
        op: `deactivateOrgUnit(${side})`,
        expect: ADMIN_ONLY,
        async run(c) {
          const unit = await unitFor(c, pick);
          const r = await c.send(
            graphql(`
              mutation MatrixDeactivateOrgUnit($input: OrgUnitVersionInput!) {
                deactivateOrgUnit(input: $input) {
                  ...MatrixUnitRef
                }
              }
            `),
            { input: { id: unit.id, version: unit.version } },
          );
          return () => expect(r.data!.deactivateOrgUnit.active).toBe(false);
        },
      }),
    ),
    ...sides.map(
      ([side, pick]): Row => ({
        op: `mergeOrgUnits(${side})`,
        expect: ADMIN_ONLY,
        async run(c) {
          const [from, into] = [await unitFor(c, pick), await scratchUnit()];
          const r = await c.send(
            graphql(`
              mutation MatrixMergeOrgUnits($input: MergeOrgUnitsInput!) {
                mergeOrgUnits(input: $input) {
                  from {
                    ...MatrixUnitRef
                  }
                }
              }
            `),
            {
              input: {
                fromId: from.id,
                fromVersion: from.version,
                intoId: into.id,
                intoVersion: into.version,
              },
            },
          );
          return () => expect(r.data!.mergeOrgUnits.from.active).toBe(false);
        },
      }),
    ),
    {
      op: 'leaderPortfolios',
      expect: ALL_OK,
      async run(c) {
        const r = await c.send(
          graphql(`
            query MatrixLeaderPortfolios {
              leaderPortfolios {
                leader {
                  id
                }
                orgUnits {
                  id
                }
              }
            }
          `),
          {},
        );
        return () =>
          expect(ids(r.data!.leaderPortfolios.map((p) => p.leader))).toContain(api.fixture.users.leader.id);
      },
    },
    ...sides.map(
      ([side, pick]): Row => ({
        op: `setLeaderPortfolio(${side})`,
        expect: ADMIN_ONLY,
        async run(c) {
          // A leader of its own, so the fixture leader's portfolio (and default leaders) never change.
          const [leader] = await api.dataSource.query<{ id: string }[]>(
            `INSERT INTO app_user (username, display_name, password_hash, role, org_unit_id)
             SELECT $1, '矩阵区领导', password_hash, 'LEADER', org_unit_id FROM app_user WHERE username = 'leader'
             RETURNING id`,
            [`leader-${randomUUID().slice(0, 8)}`],
          );
          const unit = await unitFor(c, pick);
          const r = await c.send(
            graphql(`
              mutation MatrixSetLeaderPortfolio($input: SetLeaderPortfolioInput!) {
                setLeaderPortfolio(input: $input) {
                  leader {
                    id
                  }
                  orgUnits {
                    id
                  }
                }
              }
            `),
            { input: { leaderId: leader.id, orgUnitIds: [unit.id] } },
          );

          return () => expect(ids(r.data!.setLeaderPortfolio.orgUnits)).toEqual([unit.id]);
        },
      }),
    ),
  ];
}

// ---------------------------------------------------------------------------------------------------
// People administration: the users a row acts on are made with SQL, so no cell touches a fixture user;
// the rows where callers change their own password or sessions put the caller's row back afterwards.
// ---------------------------------------------------------------------------------------------------
const HEADS_OWN_UNIT: Columns = [__, __, __, ok, F, ok, F];

const officerRoleOf = (unit: UnitKey) =>
  api.fixture.units[unit].kind === OrgUnitKind.DEPARTMENT
    ? Role.DEPARTMENT_OFFICER
    : Role.SUBDISTRICT_OFFICER;

/** A new officer of the unit, as a unit head would manage. */
async function officerOf(unit: UnitKey): Promise<string> {
  const [row] = await api.dataSource.query<{ id: string }[]>(
    `INSERT INTO app_user (username, display_name, password_hash, role, org_unit_id)
     VALUES ($1, '矩阵经办人', 'not-a-hash', $2, $3) RETURNING id`,
    [`m.${randomUUID().slice(0, 8)}`, officerRoleOf(unit), unitIdOf(unit)],
  );
  return row.id;
}

/** Sends the request, then restores the caller's password and session version, so its tokens work again. */
async function sendAsItself<R, V>(c: Cell, query: TypedDocumentString<R, V>, variables: V) {
  const id = c.caller.user && api.fixture.users[c.caller.user].id;
  const [saved] = await api.dataSource.query<{ password_hash: string; session_version: number }[]>(
    'SELECT password_hash, session_version FROM app_user WHERE id = $1',
    [id],
  );
  const result = await c.send(query, variables);
  if (saved) {
    await api.dataSource.query(
      'UPDATE app_user SET password_hash = $2, session_version = $3, must_change_password = false WHERE id = $1',
      [id, saved.password_hash, saved.session_version],
    );
  }
  return result;
}

function userAdminRows(): Row[] {
  const scoped = (
    name: string,
    adminOnly: boolean,
    run: (c: Cell, unit: UnitKey) => ReturnType<Row['run']>,
  ): Row[] => [
    ...(adminOnly
      ? []
      : [
          {
            op: `${name}(own unit officer)`,
            expect: HEADS_OWN_UNIT,
            run: (c: Cell) => run(c, c.view.ownUnit!),
          },
        ]),
    { op: `${name}(other unit officer)`, expect: ADMIN_ONLY, run: (c: Cell) => run(c, c.view.otherUnit) },
  ];
  const byId =
    <R>(
      mutation: TypedDocumentString<R, { id: string }>,
      userOf: (data: R) => { id: string; active: boolean },
      expectActive?: boolean,
    ) =>
    async (c: Cell, unit: UnitKey) => {
      const id = await officerOf(unit);
      const r = await c.send(mutation, { id });
      return () => expect(userOf(r.data!)).toEqual({ id, active: expectActive ?? true });
    };
  return [
    ...scoped('users', false, async (c, unit) => {
      await officerOf(unit);
      const r = await c.send(
        graphql(`
          query MatrixUsers($unit: ID) {
            users(first: 100, filter: { orgUnitId: $unit }) {
              totalCount
              edges {
                node {
                  orgUnit {
                    id
                  }
                }
              }
            }
          }
        `),
        { unit: unitIdOf(unit) },
      );
      return async () => {
        expect(r.data!.users.totalCount).toBe(
          await countRows(api, 'app_user', 'org_unit_id = $1', [unitIdOf(unit)]),
        );
        expect(new Set(r.data!.users.edges.map((e) => e.node.orgUnit.id))).toEqual(new Set([unitIdOf(unit)]));
      };
    }),
    ...scoped('createUser', false, async (c, unit) => {
      const role = officerRoleOf(unit);
      const username = `new.${randomUUID().slice(0, 8)}`;
      const r = await c.send(
        graphql(`
          mutation MatrixCreateUser($input: CreateUserInput!) {
            createUser(input: $input) {
              user {
                username
                mustChangePassword
              }
            }
          }
        `),
        { input: { username, displayName: '新经办人', role, orgUnitId: unitIdOf(unit) } },
      );
      return () => expect(r.data!.createUser.user).toEqual({ username, mustChangePassword: true });
    }),
    ...scoped('updateUser', false, async (c, unit) => {
      const id = await officerOf(unit);
      const r = await c.send(
        graphql(`
          mutation MatrixUpdateUser($input: UpdateUserInput!) {
            updateUser(input: $input) {
              displayName
            }
          }
        `),
        { input: { id, displayName: '改名经办人' } },
      );
      return () => expect(r.data!.updateUser.displayName).toBe('改名经办人');
    }),
    ...scoped(
      'disableUser',
      false,
      byId(
        graphql(`
          mutation MatrixDisableUser($id: ID!) {
            disableUser(id: $id) {
              id
              active
            }
          }
        `),
        (d) => d.disableUser,
        false,
      ),
    ),
    ...scoped('enableUser', false, async (c, unit) => {
      const id = await officerOf(unit);
      await api.dataSource.query('UPDATE app_user SET active = false WHERE id = $1', [id]);
      const r = await c.send(
        graphql(`
          mutation MatrixEnableUser($id: ID!) {
            enableUser(id: $id) {
              active
            }
          }
        `),
        { id },
      );
      return () => expect(r.data!.enableUser.active).toBe(true);
    }),
    ...scoped('resetUserPassword', false, async (c, unit) => {
      const id = await officerOf(unit);
      const r = await c.send(
        graphql(`
          mutation MatrixResetUserPassword($id: ID!) {
            resetUserPassword(id: $id) {
              temporaryPassword
              user {
                mustChangePassword
              }
            }
          }
        `),
        { id },
      );
      return () => {
        expect(r.data!.resetUserPassword.temporaryPassword?.length).toBeGreaterThanOrEqual(10);
        expect(r.data!.resetUserPassword.user.mustChangePassword).toBe(true);
      };
    }),
    ...scoped(
      'unlockUser',
      true,
      byId(
        graphql(`
          mutation MatrixUnlockUser($id: ID!) {
            unlockUser(id: $id) {
              id
              active
            }
          }
        `),
        (d) => d.unlockUser,
      ),
    ),
    {
      op: 'changePassword',
      expect: ALL_OK,
      async run(c) {
        const r = await sendAsItself(
          c,
          graphql(`
            mutation MatrixChangePassword($input: ChangePasswordInput!) {
              changePassword(input: $input) {
                token
                user {
                  mustChangePassword
                }
              }
            }
          `),
          { input: { oldPassword: FIXTURE_PASSWORD, newPassword: 'Matrix-Change#2026' } },
        );
        return () => expect(r.data!.changePassword.user.mustChangePassword).toBe(false);
      },
    },
    {
      op: 'signOutEverywhere',
      expect: ALL_OK,
      async run(c) {
        const r = await sendAsItself(
          c,
          graphql(`
            mutation MatrixSignOutEverywhere {
              signOutEverywhere
            }
          `),
          {},
        );

        return async () => {
          expect(r.data!.signOutEverywhere).toBe(true);
          const id = api.fixture.users[c.caller.user!].id;
          expect(
            await countRows(api, 'audit_event', `action = 'auth.sign_out_everywhere' AND actor_id = $1`, [
              id,
            ]),
          ).toBeGreaterThan(0);
        };
      },
    },
  ];
}

// ---------------------------------------------------------------------------------------------------
// Deadline engine and notifications: what their rows build outside the request under test.
// ---------------------------------------------------------------------------------------------------
const inspectorToken = () => api.token('inspector');
graphql(`
  fragment MatrixNoticeFields on SupervisionNotice {
    id
    version
    status
    assignmentId
    returnCount
  }
`);
const OPEN_NOTICE = graphql(`
  mutation MatrixOpenSupervisionNotice($input: OpenSupervisionNoticeInput!) {
    openSupervisionNotice(input: $input) {
      ...MatrixNoticeFields
    }
  }
`);
const ANSWER_NOTICE = graphql(`
  mutation MatrixAnswerSupervisionNotice($input: AnswerSupervisionNoticeInput!) {
    answerSupervisionNotice(input: $input) {
      ...MatrixNoticeFields
    }
  }
`);
const ACCEPT_ANSWER = graphql(`
  mutation MatrixAcceptSupervisionAnswer($input: ReviewSupervisionNoticeInput!) {
    acceptSupervisionAnswer(input: $input) {
      ...MatrixNoticeFields
    }
  }
`);
const RETURN_ANSWER = graphql(`
  mutation MatrixReturnSupervisionAnswer($input: ReviewSupervisionNoticeInput!) {
    returnSupervisionAnswer(input: $input) {
      ...MatrixNoticeFields
    }
  }
`);
graphql(`
  fragment MatrixEscalationFields on Escalation {
    id
    assignmentId
    action
    level
    outcome
    acknowledgedAt
  }
`);
const ESCALATE_NOW = graphql(`
  mutation MatrixEscalateNow($id: ID!, $reason: String!) {
    escalateNow(assignmentId: $id, reason: $reason) {
      ...MatrixEscalationFields
    }
  }
`);
const SKIP_LEVEL = graphql(`
  mutation MatrixSkipEscalationLevel($id: ID!, $reason: String!) {
    skipEscalationLevel(assignmentId: $id, reason: $reason) {
      ...MatrixEscalationFields
    }
  }
`);
const ACKNOWLEDGE = graphql(`
  mutation MatrixAcknowledgeEscalation($id: ID!) {
    acknowledgeEscalation(escalationId: $id) {
      ...MatrixEscalationFields
    }
  }
`);
graphql(`
  fragment MatrixPolicyFields on EscalationPolicy {
    id
    version
    currentVersion
    name
  }
`);
const CREATE_POLICY = graphql(`
  mutation MatrixCreateEscalationPolicy($input: CreateEscalationPolicyInput!) {
    createEscalationPolicy(input: $input) {
      ...MatrixPolicyFields
    }
  }
`);
const UPDATE_POLICY = graphql(`
  mutation MatrixUpdateEscalationPolicy($input: UpdateEscalationPolicyInput!) {
    updateEscalationPolicy(input: $input) {
      ...MatrixPolicyFields
    }
  }
`);
const SET_TASK_POLICY = graphql(`
  mutation MatrixSetTaskEscalationPolicy($taskId: ID!, $policyId: ID!) {
    setTaskEscalationPolicy(taskId: $taskId, policyId: $policyId) {
      id
      escalationPolicyId
    }
  }
`);
graphql(`
  fragment MatrixChannelFields on NotificationChannel {
    id
    version
    orgUnitId
    kind
    name
    active
  }
`);
const CREATE_CHANNEL = graphql(`
  mutation MatrixCreateNotificationChannel($input: CreateNotificationChannelInput!) {
    createNotificationChannel(input: $input) {
      ...MatrixChannelFields
    }
  }
`);
const UPDATE_CHANNEL = graphql(`
  mutation MatrixUpdateNotificationChannel($input: UpdateNotificationChannelInput!) {
    updateNotificationChannel(input: $input) {
      ...MatrixChannelFields
    }
  }
`);
const SEND_TEST = graphql(`
  mutation MatrixSendTestNotification($id: ID!) {
    sendTestNotification(channelId: $id) {
      id
      channelId
      status
      attempts
      title
      attemptLog {
        ok
      }
    }
  }
`);
const MARK_READ = graphql(`
  mutation MatrixMarkNotificationsRead($ids: [ID!]!) {
    markNotificationsRead(ids: $ids) {
      id
      readAt
    }
  }
`);
const SUPERVISION_NOTICES = graphql(`
  query MatrixSupervisionNotices($orgUnitId: ID) {
    supervisionNotices(first: 100, orgUnitId: $orgUnitId) {
      totalCount
      edges {
        node {
          id
        }
      }
    }
  }
`);

/** A new share of the caller's own unit: a department's top-level one, a subdistrict's part of it. */
async function ownFreshShare(c: Cell): Promise<string> {
  const fresh = c.view.ownUnit === 'fgw' ? await freshTask('fgw') : await freshTask('fgw', 'zgc');
  return (fresh.child ?? fresh.share!).id;
}

/** The 督查室 opens a supervision notice on a share; the share's officers and head are told. */
async function openNotice(assignmentId: string): Promise<MatrixNoticeFieldsFragment> {
  const input = { assignmentId, reason: '进度滞后', responseWorkdays: 3 };
  return dataOf(await api.gql(OPEN_NOTICE, { input }, await inspectorToken())).openSupervisionNotice;
}

/** A notice on a fresh 发改委 share, answered by its officer: waiting for the 督查室's review. */
async function answeredNotice(): Promise<MatrixNoticeFieldsFragment> {
  const { share } = await freshTask('fgw');
  const notice = await openNotice(share!.id);
  const input = { noticeId: notice.id, version: notice.version, response: '已整改', newPlan: '月底前完成' };
  const fgw = await api.token('fgwOfficer');
  return dataOf(await api.gql(ANSWER_NOTICE, { input }, fgw)).answerSupervisionNotice;
}

/** An escalation the 督查室 fires on the spot, for the share's unit to sign for. */
async function escalationOn(assignmentId: string): Promise<string> {
  const variables = { id: assignmentId, reason: '提前催办' };
  return dataOf(await api.gql(ESCALATE_NOW, variables, await inspectorToken())).escalateNow.id;
}

/** Fires (or skips) the first level of a fresh 发改委 share's ladder on the spot. */
function escalationRow<R>(
  op: string,
  mutation: TypedDocumentString<R, { id: string; reason: string }>,
  escalationOf: (data: R) => MatrixEscalationFieldsFragment,
  outcome: 'FIRED' | 'SKIPPED',
): Row {
  return {
    op,
    expect: [ok, F, ok, F, F, F, F],
    async run(c) {
      const { share } = await freshTask('fgw');
      const r = await c.send(mutation, { id: share!.id, reason: '领导批示' });
      return () =>
        expect(escalationOf(r.data!)).toMatchObject({
          assignmentId: share!.id,
          action: 'REMIND',
          level: 0,
          outcome,
        });
    },
  };
}

/** A new escalation policy of the admin's, under a name no other cell uses. */
async function freshPolicy(): Promise<MatrixPolicyFieldsFragment> {
  const input: CreateEscalationPolicyInput = {
    name: `矩阵督办流程 ${randomUUID().slice(0, 8)}`,
    levels: [
      { offsetWorkdays: -3, action: 'REMIND', recipients: ['UNIT_OFFICERS'] },
      { offsetWorkdays: 0, action: 'URGE', recipients: ['UNIT_HEAD'] },
    ],
  };
  return dataOf(await api.gql(CREATE_POLICY, { input }, await api.token('admin'))).createEscalationPolicy;
}

const channelInput = (unit: UnitKey): CreateNotificationChannelInput => ({
  orgUnitId: unitIdOf(unit),
  kind: 'WEBHOOK',
  name: '矩阵测试推送',
  url: 'http://127.0.0.1:9/matrix-hook',
  secret: 'matrix-secret',
});

/** A robot of `unit`, set up by the admin. */
async function channelOf(unit: UnitKey): Promise<MatrixChannelFieldsFragment> {
  const input = channelInput(unit);
  return dataOf(await api.gql(CREATE_CHANNEL, { input }, await api.token('admin'))).createNotificationChannel;
}

/** A notification for `user`, written straight into its table: only who may read or mark it matters here. */
async function notificationFor(user: UserKey): Promise<string> {
  const [{ id }] = await api.dataSource.query<{ id: string }[]>(
    `INSERT INTO notification (user_id, kind, title, body, dedupe_key, created_at)
     VALUES ($1, 'DIGEST', '矩阵测试通知', '', $2, now()) RETURNING id`,
    [api.fixture.users[user].id, `matrix:${randomUUID()}`],
  );
  return id;
}

async function notificationsOf(user: UserKey, unreadOnly = false): Promise<{ id: string }[]> {
  return api.dataSource.query<{ id: string }[]>(
    `SELECT id FROM notification WHERE user_id = $1 AND ($2::boolean IS FALSE OR read_at IS NULL)`,
    [api.fixture.users[user].id, unreadOnly],
  );
}

/** Whose notifications a caller acts on; callers without a valid token try the leader's (the expired token is). */
const ownerOf = (c: Cell): UserKey => c.caller.user ?? 'leader';

/**
 * Every supervision notice in the database the caller should see (optionally only those of `unit`'s shares),
 * labelled by the world share it is on (or the unit of a scratch share) and its code.
 */
async function expectNoticeList(
  side: Side,
  got: MatrixSupervisionNoticesQuery['supervisionNotices'],
  unit?: UnitKey,
): Promise<void> {
  const rows = await api.dataSource.query<
    { id: string; code: string; assignment_id: string; unit: string; parent_unit: string | null }[]
  >(
    `SELECT n.id, n.code, a.id AS assignment_id, a.org_unit_id AS unit, p.org_unit_id AS parent_unit
       FROM supervision_notice n JOIN assignment a ON a.id = n.assignment_id
       LEFT JOIN assignment p ON p.id = a.parent_id`,
  );
  const keyOf = (id: string) => unitKeys([id])[0] as UnitKey;
  const label = (id: string) => {
    const row = rows.find((r) => r.id === id);
    if (!row) return `? ${id}`;
    const share = [...world.shares.values()].find((s) => s.id === row.assignment_id);
    return `${share?.key ?? `scratch.${keyOf(row.unit)}`} ${row.code}`;
  };
  const expected = rows.filter(
    (r) =>
      (!unit || r.unit === unitIdOf(unit)) &&
      seesShareOf(side, keyOf(r.unit), r.parent_unit ? keyOf(r.parent_unit) : null),
  );
  expect(expected.length).toBeGreaterThan(0);
  expect(sorted(got.edges.map((e) => label(e.node.id)))).toEqual(sorted(expected.map((r) => label(r.id))));
  expect(got.totalCount).toBe(expected.length);
}

/** A request of the world's as the lists are labelled: kind and share (`CLOSE_OUT t3.zgc`). */
const requestLabel = (request: { kind: string; share: string }) => `${request.kind} ${request.share}`;

/** Opens one of the world's requests as its spec says; a close-out's share is accepted first. */
async function openWorldRequest(spec: RequestSpec): Promise<void> {
  const share = shareOf(world, spec.share);
  const token = await api.token(spec.by);
  const version = async () =>
    (
      await api.dataSource.query<{ version: number }[]>('SELECT version FROM assignment WHERE id = $1', [
        share.id,
      ])
    )[0].version;
  if (spec.kind === 'EXTENSION') {
    const input = {
      assignmentId: share.id,
      version: await version(),
      newDueAt: '2027-06-30T15:59:59.000Z',
      reason: '矩阵：延期',
      comment: '',
    };
    dataOf(await api.gql(EXTENSION, { input }, token));
    return;
  }
  dataOf(await api.gql(ACCEPT, { input: { assignmentId: share.id, version: await version() } }, token));
  const input = { assignmentId: share.id, version: await version(), comment: '矩阵：销号' };
  dataOf(await api.gql(CLOSE_OUT, { input }, token));
}

interface RequestRow {
  id: string;
  kind: string;
  status: string;
  current_step: number | null;
  requester_unit_id: string;
  assignment_id: string | null;
  /** The unit of the share the request is about, and of the share that share was split off. */
  unit: string | null;
  parent_unit: string | null;
}

/** Every approval request in the database, with every step and decision. */
async function approvalRows() {
  const requests = await api.dataSource.query<RequestRow[]>(
    `SELECT r.id, r.kind, r.status, r.current_step, r.requester_unit_id, r.assignment_id,
            a.org_unit_id AS unit, p.org_unit_id AS parent_unit
       FROM approval_request r LEFT JOIN assignment a ON a.id = r.assignment_id
       LEFT JOIN assignment p ON p.id = a.parent_id`,
  );
  const steps = await api.dataSource.query<
    { id: string; request_id: string; position: number; approver_ids: string[] }[]
  >('SELECT id, request_id, position, to_json(approver_ids) AS approver_ids FROM approval_step');
  const decisions = await api.dataSource.query<{ step_id: string; approver_id: string }[]>(
    'SELECT step_id, approver_id FROM approval_decision',
  );
  return { requests, steps, decisions };
}

/** A request labelled like the world's (`CLOSE_OUT t3.zgc`), or by the requester's unit for another cell's. */
function labelOf(r: RequestRow): string {
  const share = [...world.shares.values()].find((s) => s.id === r.assignment_id);
  const requester = unitKeys([r.requester_unit_id])[0];
  return requestLabel({ kind: r.kind, share: share?.key ?? `scratch.${requester}` });
}

type ApprovalRows = Awaited<ReturnType<typeof approvalRows>>;

/** The rule (libs/access): readers see every request; others their unit's, their steps' and their shares'. */
function seesRequest(caller: Caller, r: RequestRow, { steps }: ApprovalRows): boolean {
  const user = api.fixture.users[caller.user!];
  const key = (id: string) => unitKeys([id])[0] as UnitKey;
  return (
    caller.side === 'reader' ||
    r.requester_unit_id === user.orgUnitId ||
    steps.some((s) => s.request_id === r.id && s.approver_ids.includes(user.id)) ||
    (r.unit !== null && seesShareOf(caller.side, key(r.unit), r.parent_unit ? key(r.parent_unit) : null))
  );
}

/** An inbox holds the pending requests whose current step names the caller, until it has decided. */
function waitsForCaller(caller: Caller, r: RequestRow, { steps, decisions }: ApprovalRows): boolean {
  const me = api.fixture.users[caller.user!].id;
  const step = steps.find((s) => s.request_id === r.id && s.position === r.current_step);
  return (
    r.status === 'PENDING' &&
    !!step?.approver_ids.includes(me) &&
    !decisions.some((d) => d.step_id === step.id && d.approver_id === me)
  );
}

/**
 * A list of approval requests is exactly what the rule gives over every request in the database (other
 * cells add theirs, labelled `scratch.<unit>`, when they run first), and of the world's requests exactly
 * those the world says: `world` is the list of labels the caller must get.
 */
async function expectApprovalList(
  caller: Caller,
  got: { totalCount: number; edges: { node: { id: string } }[] },
  rule: (caller: Caller, r: RequestRow, rows: ApprovalRows) => boolean,
  world: string[],
): Promise<void> {
  const rows = await approvalRows();
  const label = (id: string) => {
    const row = rows.requests.find((r) => r.id === id);
    return row ? labelOf(row) : `? ${id}`;
  };
  const labels = sorted(got.edges.map((e) => label(e.node.id)));
  const expected = rows.requests.filter((r) => rule(caller, r, rows));
  expect(labels).toEqual(sorted(expected.map(labelOf)));
  expect(got.totalCount).toBe(expected.length);
  const worldLabels = new Set(WORLD_REQUESTS.map(requestLabel));
  expect(labels.filter((l) => worldLabels.has(l))).toEqual(sorted(world));
}

const ROWS: Row[] = [
  // ---- queries -------------------------------------------------------------------------------------
  {
    op: 'viewer',
    expect: ALL_OK,
    async run(c) {
      const r = await c.send(
        graphql(`
          query MatrixViewer {
            viewer {
              id
              role
              orgUnit {
                id
              }
            }
          }
        `),
        {},
      );
      return () => {
        const user = api.fixture.users[c.caller.user!];
        expect(r.data!.viewer).toEqual({ id: user.id, role: c.caller.who, orgUnit: { id: user.orgUnitId } });
      };
    },
  },
  {
    op: 'orgUnits',
    expect: ALL_OK,
    async run(c) {
      const r = await c.send(
        graphql(`
          query MatrixOrgUnits {
            orgUnits {
              id
            }
          }
        `),
        {},
      );
      return () => {
        // Units the org-chart cells create are listed too.
        const all = Object.values(api.fixture.units).map((u) => u.id);
        expect(ids(r.data!.orgUnits)).toEqual(expect.arrayContaining(all));
      };
    },
  },
  {
    op: 'plans',
    expect: ALL_OK,
    async run(c) {
      const r = await c.send(
        graphql(`
          query MatrixPlans {
            plans(first: 100) {
              totalCount
              edges {
                node {
                  id
                }
              }
            }
          }
        `),
        {},
      );
      const all = await api.dataSource.query<{ id: string }[]>('SELECT id FROM plan');
      return () => {
        expect(sorted(r.data!.plans.edges.map((e) => e.node.id))).toEqual(sorted(ids(all)));
        expect(r.data!.plans.totalCount).toBe(all.length);
      };
    },
  },
  {
    op: 'plan',
    expect: ALL_OK,
    async run(c) {
      const r = await c.send(
        graphql(`
          query MatrixPlan($id: ID!) {
            plan(id: $id) {
              id
              targets {
                id
              }
            }
          }
        `),
        { id: api.fixture.plan.id },
      );
      return () => {
        expect(r.data!.plan.id).toBe(api.fixture.plan.id);
        expect(ids(r.data!.plan.targets)).toEqual([api.fixture.chapter.id, api.fixture.section.id]);
      };
    },
  },
  {
    op: 'plan(unknown id)',
    expect: [NF, NF, NF, NF, NF, NF, NF],
    async run(c) {
      await c.send(
        graphql(`
          query MatrixPlanId($id: ID!) {
            plan(id: $id) {
              id
            }
          }
        `),
        { id: '00000000-0000-4000-8000-000000000000' },
      );
      return () => undefined;
    },
  },
  {
    op: 'tasks',
    expect: ALL_OK,
    async run(c) {
      const r = await c.send(TASKS_QUERY, { filter: { planId: world.readPlan } });
      return () => expectTaskList(c.caller.side, r.data!);
    },
  },
  {
    op: 'tasks(filter: own unit)',
    expect: [__, __, __, ok, ok, ok, ok],
    async run(c) {
      const unit = c.view.ownUnit!;
      const filter = { planId: world.readPlan, orgUnitId: unitIdOf(unit) };
      const r = await c.send(TASKS_QUERY, { filter });
      return () => expectTaskList(c.caller.side, r.data!, unit);
    },
  },
  {
    op: 'tasks(filter: other unit)',
    expect: READERS_ONLY,
    async run(c) {
      const filter = { planId: world.readPlan, orgUnitId: unitIdOf(c.view.otherUnit) };
      const r = await c.send(TASKS_QUERY, { filter });
      return () => expectTaskList(c.caller.side, r.data!, c.view.otherUnit);
    },
  },
  {
    // fgw split t1 to zgc; on t3 zgc works for swj, which fgw must not learn through the filter either.
    op: 'tasks(filter: a subdistrict it split to)',
    expect: [__, __, __, ok, ok, __, __],
    async run(c) {
      const r = await c.send(TASKS_QUERY, {
        filter: { planId: world.readPlan, orgUnitId: unitIdOf('zgc') },
      });
      return () => expectTaskList(c.caller.side, r.data!, 'zgc');
    },
  },
  {
    op: 'tasks(filter: its parent department)',
    expect: [__, __, __, __, __, F, F],
    async run(c) {
      await c.send(TASKS_QUERY, { filter: { planId: world.readPlan, orgUnitId: unitIdOf('fgw') } });
      return () => undefined;
    },
  },
  {
    op: 'task(own unit)',
    expect: [__, __, __, ok, ok, ok, ok],
    async run(c) {
      const r = await c.send(TASK_QUERY, { id: world.tasks[c.view.ownTask!] });
      return () => expectTaskView(c.caller.side, r.data!.task);
    },
  },
  {
    op: 'task(other unit)',
    expect: READERS_ONLY,
    async run(c) {
      const r = await c.send(TASK_QUERY, { id: world.tasks[c.view.otherTask] });
      return () => expectTaskView(c.caller.side, r.data!.task);
    },
  },
  {
    op: 'task(unassigned)',
    expect: READERS_ONLY,
    async run(c) {
      const r = await c.send(TASK_QUERY, { id: world.tasks.t6 });
      return () => expect(r.data!.task).toEqual({ id: world.tasks.t6, assignments: [] });
    },
  },
  {
    // The published list names who leads and supports t3: everyone who sees the task sees them, zgc too
    // (it works on t3 for swj) although it sees neither department's share.
    op: 'task(lead and support units)',
    expect: ALL_OK,
    async run(c) {
      const r = await c.send(
        graphql(`
          query MatrixTaskUnits($id: ID!) {
            task(id: $id) {
              leadUnits {
                id
              }
              supportUnits {
                id
              }
            }
          }
        `),
        { id: world.tasks.t3 },
      );
      return () =>
        expect(r.data!.task).toEqual({
          leadUnits: [{ id: unitIdOf('fgw') }],
          supportUnits: [{ id: unitIdOf('swj') }],
        });
    },
  },
  {
    op: 'task(unknown id)',
    expect: [NF, NF, NF, NF, NF, NF, NF],
    async run(c) {
      await c.send(
        graphql(`
          query MatrixTaskId($id: ID!) {
            task(id: $id) {
              id
            }
          }
        `),
        { id: '00000000-0000-4000-8000-000000000000' },
      );
      return () => undefined;
    },
  },
  {
    op: 'myAssignments',
    expect: ALL_OK,
    async run(c) {
      const r = await c.send(
        graphql(`
          query MatrixMyAssignments($planId: ID) {
            myAssignments(first: 100, filter: { planId: $planId }) {
              totalCount
              edges {
                node {
                  id
                  task {
                    id
                    assignments {
                      ...MatrixNestedShare
                    }
                  }
                }
              }
            }
          }
        `),
        { planId: world.readPlan },
      );
      return () => {
        const own = c.view.ownUnit;
        const expected = [...world.shares.values()].filter((s) => s.unit === own).map((s) => s.key);
        const nodes = r.data!.myAssignments.edges.map((e) => e.node);
        expect(shareKeys(ids(nodes))).toEqual(expected.sort());
        expect(r.data!.myAssignments.totalCount).toBe(expected.length);
        nodes.forEach((n) => expectTaskView(c.caller.side, n.task));
      };
    },
  },
  ...(
    [
      ['assignment(own unit)', [__, __, __, ok, ok, ok, ok], (v: View) => v.ownShare!],
      ['assignment(other unit)', READERS_ONLY, (v: View) => v.otherShare],
      ['assignment(split off own unit)', [__, __, __, ok, ok, __, __], () => 't1.zgc'],
      ['assignment(another department split)', [__, __, __, F, F, __, __], () => 't2.hd'],
      ['assignment(its department share)', [__, __, __, __, __, F, F], () => 't1.fgw'],
      ['assignment(sibling subdistrict, same task)', [__, __, __, __, __, F, F], () => 't1.xyl'],
      ['assignment(other department, same task)', [__, __, __, F, F, __, __], () => 't3.swj'],
      ['assignment(split off other department, same task)', [__, __, __, F, F, __, __], () => 't3.zgc'],
    ] as [string, Columns, (v: View) => string][]
  ).map(
    ([op, columns, pick]): Row => ({
      op,
      expect: columns,
      async run(c) {
        const share = shareOf(world, pick(c.view));
        const r = await c.send(
          graphql(`
            query MatrixAssignment($id: ID!) {
              assignment(id: $id) {
                ...MatrixNestedShare
                orgUnit {
                  id
                }
                task {
                  id
                  assignments {
                    ...MatrixNestedShare
                  }
                }
              }
            }
          `),
          { id: share.id },
        );
        return () => {
          const got = r.data!.assignment;
          expect(got.id).toBe(share.id);
          expect(got.orgUnit.id).toBe(unitIdOf(share.unit));
          expectShareView(c.caller.side, got);
          expectTaskView(c.caller.side, got.task);
        };
      },
    }),
  ),
  {
    op: 'assignment(unknown id)',
    expect: [NF, NF, NF, NF, NF, NF, NF],
    async run(c) {
      await c.send(
        graphql(`
          query MatrixAssignmentId($id: ID!) {
            assignment(id: $id) {
              id
            }
          }
        `),
        { id: '00000000-0000-4000-8000-000000000000' },
      );
      return () => undefined;
    },
  },
  ...(
    [
      ['auditTrail(own unit task)', [__, __, __, ok, ok, ok, ok], (v: View) => v.ownTask!],
      ['auditTrail(other unit task)', READERS_ONLY, (v: View) => v.otherTask],
      // fgw and swj both hold t3 and each split its share; fgw split to zgc elsewhere (t1), swj to zgc here.
      ['auditTrail(task shared with another department)', ALL_OK, () => 't3'],
    ] as [string, Columns, (v: View) => TaskKey][]
  ).map(
    ([op, columns, pick]): Row => ({
      op,
      expect: columns,
      async run(c) {
        const task = pick(c.view);
        const r = await c.send(
          graphql(`
            query MatrixAuditTrail($id: ID!) {
              auditTrail(entityId: $id) {
                id
              }
            }
          `),
          { id: world.tasks[task] },
        );
        return () => expectAuditView(c.caller.side, task, r.data!.auditTrail);
      },
    }),
  ),

  {
    // The department split a share and removed it again: both steps belong to its own history of the task.
    // Split to qh, which no other cell uses, so the answer cannot hinge on some other share split to qh.
    op: 'auditTrail(task where own unit removed its split)',
    expect: [__, __, __, ok, ok, __, __],
    async run(c) {
      const { task, child } = await freshTask('fgw', 'qh', c.caller.user!);
      dataOf(await api.gql(UNASSIGN, { id: child!.id }, c.token));
      const r = await c.send(
        graphql(`
          query MatrixAuditTrailActions($id: ID!) {
            auditTrail(entityId: $id) {
              action
              entityId
            }
          }
        `),
        { id: task.id },
      );
      return () => {
        expect(r.data!.auditTrail.filter((e) => e.entityId === child!.id)).toEqual([
          { action: 'assignment.split', entityId: child!.id },
          { action: 'assignment.remove', entityId: child!.id },
        ]);
      };
    },
  },
  {
    op: 'verifyAuditChain',
    expect: [ok, F, ok, F, F, F, F],
    async run(c) {
      const r = await c.send(
        graphql(`
          query MatrixVerifyAuditChain {
            verifyAuditChain {
              ok
              checked
            }
          }
        `),
        {},
      );
      return () => expect(r.data!.verifyAuditChain.ok).toBe(true);
    },
  },
  {
    // the read world has no reports: every visible open share of a past month is missing, none other.
    op: 'missingReports',
    expect: ALL_OK,
    async run(c) {
      const r = await c.send(
        graphql(`
          query MatrixMissingReports {
            missingReports(period: "2025-10") {
              totalCount
            }
          }
        `),
        {},
      );
      return () => expect(r.data!.missingReports.totalCount).toBe(0);
    },
  },
  {
    // Each of the world's requests waits in one inbox: a unit head's, or the 督查室's.
    op: 'myApprovalInbox',
    expect: ALL_OK,
    async run(c) {
      const r = await c.send(
        graphql(`
          query MatrixApprovalInbox {
            myApprovalInbox(first: 100) {
              totalCount
              edges {
                node {
                  id
                }
              }
            }
          }
        `),
        {},
      );
      return () =>
        expectApprovalList(
          c.caller,
          r.data!.myApprovalInbox,
          waitsForCaller,
          WORLD_REQUESTS.filter((q) => q.waitsFor === c.caller.user).map(requestLabel),
        );
    },
  },
  {
    // The world's requests are about shares; each caller sees those on shares it sees (their requester is
    // the share's unit, and whom their steps name is a reader or a head of that unit).
    op: 'approvalRequests',
    expect: ALL_OK,
    async run(c) {
      const r = await c.send(
        graphql(`
          query MatrixApprovalRequests {
            approvalRequests(first: 100) {
              totalCount
              edges {
                node {
                  id
                }
              }
            }
          }
        `),
        {},
      );
      return () =>
        expectApprovalList(
          c.caller,
          r.data!.approvalRequests,
          seesRequest,
          WORLD_REQUESTS.filter((q) => sees(world, c.caller.side, shareOf(world, q.share))).map(requestLabel),
        );
    },
  },
  {
    op: 'approvalFlows',
    expect: ALL_OK,
    async run(c) {
      const r = await c.send(
        graphql(`
          query MatrixApprovalFlows {
            approvalFlows {
              kind
              steps {
                name
              }
            }
          }
        `),
        {},
      );
      return () =>
        expect(
          r.data!.approvalFlows.map((f) => ({ kind: f.kind, steps: f.steps.map((s) => s.name) })),
        ).toEqual(APPROVAL_FLOWS);
    },
  },
  {
    op: 'evidenceRules',
    expect: ALL_OK,
    async run(c) {
      const r = await c.send(
        graphql(`
          query MatrixEvidenceRules {
            evidenceRules {
              maxBytes
              extensions
            }
          }
        `),
        {},
      );
      return () => {
        expect(r.data!.evidenceRules.maxBytes).toBe(api.app.get<AppConfig>(APP_CONFIG).evidenceMaxBytes);
        expect(r.data!.evidenceRules.extensions).toEqual(expect.arrayContaining(['pdf', 'jpg', 'docx']));
      };
    },
  },
  {
    op: 'approvalRequest(own unit request)',
    expect: [__, __, __, ok, ok, ok, ok],
    async run(c) {
      const id = await ownAcceptedShare(c);
      const input = { assignmentId: id, version: 2, comment: '' };
      const request = dataOf(await api.gql(CLOSE_OUT, { input }, c.token));
      const r = await c.send(APPROVAL_REQUEST, { id: request.requestCloseOut.id });
      return () => expect(r.data!.approvalRequest.id).toBe(request.requestCloseOut.id);
    },
  },
  {
    op: 'approvalRequest(another unit request)',
    expect: READERS_ONLY,
    async run(c) {
      const id = await otherUnitRequest();
      const r = await c.send(APPROVAL_REQUEST, { id });
      return () => expect(r.data!.approvalRequest.id).toBe(id);
    },
  },
  {
    op: 'escalationPolicies',
    expect: ALL_OK,
    async run(c) {
      const r = await c.send(
        graphql(`
          query MatrixEscalationPolicies {
            escalationPolicies {
              id
              isDefault
            }
          }
        `),
        {},
      );
      return async () => {
        const all = await api.dataSource.query<{ id: string }[]>('SELECT id FROM escalation_policy');
        expect(sorted(ids(r.data!.escalationPolicies))).toEqual(sorted(ids(all)));
        expect(r.data!.escalationPolicies[0].isDefault).toBe(true);
      };
    },
  },
  {
    op: 'workCalendar',
    expect: ALL_OK,
    async run(c) {
      const r = await c.send(
        graphql(`
          query MatrixWorkCalendar {
            workCalendar(year: 2026) {
              year
              specialDays {
                day
                kind
              }
            }
          }
        `),
        {},
      );
      return () => {
        expect(r.data!.workCalendar.year).toBe(2026);
        expect(r.data!.workCalendar.specialDays).toContainEqual({ day: '2026-10-01', kind: 'HOLIDAY' });
      };
    },
  },
  {
    op: 'supervisionNotices',
    expect: ALL_OK,
    async run(c) {
      const r = await c.send(SUPERVISION_NOTICES, {});
      return () => expectNoticeList(c.caller.side, r.data!.supervisionNotices);
    },
  },
  {
    // fgw split t1 to zgc; on t3 zgc works for swj, whose notice fgw must not see through the filter.
    op: 'supervisionNotices(filter: a subdistrict both departments split to)',
    expect: ALL_OK,
    async run(c) {
      const r = await c.send(SUPERVISION_NOTICES, { orgUnitId: unitIdOf('zgc') });

      return () => expectNoticeList(c.caller.side, r.data!.supervisionNotices, 'zgc');
    },
  },
  {
    op: 'leaderBoard',
    expect: ALL_OK,
    async run(c) {
      const r = await c.send(
        graphql(`
          query MatrixLeaderBoard($planId: ID) {
            leaderBoard(planId: $planId) {
              totals {
                assigned
              }
              units(first: 100) {
                edges {
                  node {
                    orgUnitId
                    assigned
                  }
                }
              }
            }
          }
        `),
        { planId: world.readPlan },
      );
      return () => {
        const units = boardUnitsOf(c.caller.side);
        const got = r.data!.leaderBoard.units.edges.map((e) => e.node);
        expect(sorted(got.map((u) => u.orgUnitId))).toEqual(sorted(units.map(unitIdOf)));
        // A unit split to counts only the shares the caller sees there, as the lists do.
        expect(Object.fromEntries(got.map((u) => [unitKeys([u.orgUnitId])[0], u.assigned]))).toEqual(
          sharesPerUnit(c.caller.side),
        );
        expect(r.data!.leaderBoard.totals.assigned).toBe(visibleShares(world, c.caller.side).length);
      };
    },
  },
  {
    op: 'unitBoard(own unit)',
    expect: ALL_OK,
    async run(c) {
      const r = await c.send(
        graphql(`
          query MatrixOwnUnitBoard($planId: ID) {
            unitBoard(filter: { planId: $planId }) {
              orgUnitId
              items {
                totalCount
              }
            }
          }
        `),
        { planId: world.readPlan },
      );
      return () => {
        const unit = api.fixture.users[c.caller.user!].orgUnitId;
        const own = [...world.shares.values()].filter((s) => unitIdOf(s.unit) === unit);
        expect(r.data!.unitBoard).toEqual({ orgUnitId: unit, items: { totalCount: own.length } });
      };
    },
  },
  {
    op: 'unitBoard(other unit)',
    expect: READERS_ONLY,
    async run(c) {
      const r = await c.send(
        graphql(`
          query MatrixUnitBoardCount($orgUnitId: ID, $planId: ID) {
            unitBoard(orgUnitId: $orgUnitId, filter: { planId: $planId }) {
              items {
                totalCount
              }
            }
          }
        `),
        { orgUnitId: unitIdOf('hd'), planId: world.readPlan },
      );
      return () => {
        const hd = [...world.shares.values()].filter((s) => s.unit === 'hd');
        expect(r.data!.unitBoard.items.totalCount).toBe(hd.length);
      };
    },
  },
  {
    // fgw split t1 to zgc, swj split t3 to zgc: on zgc's board fgw sees its own part only.
    op: 'unitBoard(a subdistrict both departments split to)',
    expect: ALL_OK,
    async run(c) {
      const r = await c.send(UNIT_BOARD, {
        orgUnitId: unitIdOf('zgc'),
        planId: world.readPlan,
      });
      return () => expectUnitBoard(c.caller.side, 'zgc', r.data!.unitBoard);
    },
  },
  // Another unit's id, for every kind of unit: the boards refuse or narrow, never widen.
  ...OTHER_UNITS.map(
    ([kind, unit]): Row => ({
      op: `unitBoard(other unit: ${kind})`,
      expect: READERS_ONLY,
      async run(c) {
        const r = await c.send(UNIT_BOARD, {
          orgUnitId: unitIdOf(unit),
          planId: world.readPlan,
        });
        return () => expectUnitBoard(c.caller.side, unit, r.data!.unitBoard);
      },
    }),
  ),
  ...OTHER_UNITS.map(
    ([kind, unit]): Row => ({
      op: `inspectorBoard(filter: other unit: ${kind})`,
      expect: ALL_OK,
      async run(c) {
        const r = await c.send(
          graphql(`
            query MatrixInspectorBoardFiltered($filter: InspectorBoardFilter) {
              inspectorBoard(first: 100, filter: $filter) {
                edges {
                  node {
                    id
                  }
                }
              }
            }
          `),
          { filter: { orgUnitId: unitIdOf(unit), planId: world.readPlan } },
        );
        // Every share of the read plan has an open notice, so every visible one is red and listed.
        return () =>
          expect(shareKeys(r.data!.inspectorBoard.edges.map((e) => e.node.id))).toEqual(
            sorted(
              visibleShares(world, c.caller.side)
                .filter((s) => s.unit === unit)
                .map((s) => s.key),
            ),
          );
      },
    }),
  ),
  {
    op: 'unitBoard(no such unit)',
    expect: [NF, NF, NF, NF, NF, NF, NF],
    async run(c) {
      await c.send(UNIT_BOARD, { orgUnitId: randomUUID(), planId: world.readPlan });
      return () => undefined;
    },
  },
  {
    op: 'bulletin',
    expect: ALL_OK,
    async run(c) {
      const r = await c.send(
        graphql(`
          query MatrixBulletin($planId: ID!, $month: String!) {
            bulletin(planId: $planId, month: $month) {
              rows {
                orgUnitId
                assigned
              }
            }
          }
        `),
        { planId: world.readPlan, month: new Date().toISOString().slice(0, 7) },
      );
      return () => {
        expect(sorted(r.data!.bulletin.rows.map((row) => row.orgUnitId))).toEqual(
          sorted(boardUnitsOf(c.caller.side).map(unitIdOf)),
        );
        expect(
          Object.fromEntries(
            r.data!.bulletin.rows.map((row) => [unitKeys([row.orgUnitId])[0], row.assigned]),
          ),
        ).toEqual(sharesPerUnit(c.caller.side));
      };
    },
  },
  {
    op: 'indicatorBoard',
    expect: ALL_OK,
    async run(c) {
      const r = await c.send(
        graphql(`
          query MatrixIndicatorBoard($planId: ID!) {
            indicatorBoard(planId: $planId) {
              totalCount
            }
          }
        `),
        { planId: world.readPlan },
      );
      return () => expect(r.data!.indicatorBoard.totalCount).toBe(0);
    },
  },
  {
    op: 'reportIndicatorValue',
    expect: [ok, ok, F, ok, ok, F, F],
    async run(c) {
      const [indicator] = await api.dataSource.query<{ id: string }[]>(
        `INSERT INTO indicator (target_id, name, kind, target_value, target_year)
         VALUES ($1, '矩阵测试指标', 'EXPECTED', 10, 2027) RETURNING id`,
        [api.fixture.section.id],
      );
      const r = await c.send(
        graphql(`
          mutation MatrixReportIndicatorValue($input: ReportIndicatorValueInput!) {
            reportIndicatorValue(input: $input) {
              latest {
                value
              }
            }
          }
        `),
        { input: { indicatorId: indicator.id, year: 2026, value: 7 } },
      );
      return () => expect(r.data!.reportIndicatorValue.latest?.value).toBe(7);
    },
  },
  {
    op: 'indicatorBoard(values)',
    expect: ALL_OK,
    async run(c) {
      // An indicator with two years reported: the board lists both, oldest first, whoever reads it.
      const [indicator] = await api.dataSource.query<{ id: string }[]>(
        `WITH i AS (INSERT INTO indicator (target_id, name, kind, target_value, target_year)
                    VALUES ($1, '矩阵测试指标（历年值）', 'EXPECTED', 10, 2027) RETURNING id),
              v AS (INSERT INTO indicator_value (indicator_id, year, value, reported_by_id, reported_at)
                    SELECT i.id, y, y - 2020, $2, now() FROM i, (VALUES (2026), (2025)) AS years(y))
         SELECT id FROM i`,
        [api.fixture.section.id, api.fixture.users.admin.id],
      );
      const r = await c.send(
        graphql(`
          query MatrixIndicatorBoardValues($planId: ID!) {
            indicatorBoard(planId: $planId, first: 100) {
              edges {
                node {
                  indicator {
                    id
                  }
                  values {
                    year
                  }
                }
              }
            }
          }
        `),
        { planId: api.fixture.plan.id },
      );
      return () => {
        const row = r.data!.indicatorBoard.edges.find((e) => e.node.indicator.id === indicator.id);
        expect(row?.node.values.map((v) => v.year)).toEqual([2025, 2026]);
      };
    },
  },
  {
    op: 'inspectorBoard',
    expect: ALL_OK,
    async run(c) {
      const r = await c.send(
        graphql(`
          query MatrixInspectorBoard($planId: ID) {
            inspectorBoard(first: 100, filter: { planId: $planId }) {
              edges {
                node {
                  id
                }
              }
            }
          }
        `),
        { planId: world.readPlan },
      );
      return () => {
        const visible = new Set(visibleShares(world, c.caller.side).map((s) => s.id));
        for (const { node } of r.data!.inspectorBoard.edges) expect(visible.has(node.id)).toBe(true);
      };
    },
  },
  ...(
    [
      ['supervisionNotice(own unit)', [__, __, __, ok, ok, ok, ok], (v: View) => v.ownShare!],
      ['supervisionNotice(other unit)', READERS_ONLY, (v: View) => v.otherShare],
      ['supervisionNotice(split off own unit)', [__, __, __, ok, ok, __, __], () => 't1.zgc'],
    ] as [string, Columns, (v: View) => string][]
  ).map(
    ([op, columns, pick]): Row => ({
      op,
      expect: columns,
      async run(c) {
        const key = pick(c.view);
        const id = world.notices.get(key)!;
        const r = await c.send(
          graphql(`
            query MatrixSupervisionNotice($id: ID!) {
              supervisionNotice(id: $id) {
                id
                assignment {
                  id
                }
              }
            }
          `),
          { id },
        );
        return () =>
          expect(r.data!.supervisionNotice).toEqual({ id, assignment: { id: shareOf(world, key).id } });
      },
    }),
  ),
  {
    op: 'myNotifications',
    expect: ALL_OK,
    async run(c) {
      const r = await c.send(
        graphql(`
          query MatrixMyNotifications {
            myNotifications(first: 100) {
              totalCount
              edges {
                node {
                  id
                }
              }
            }
          }
        `),
        {},
      );
      return async () => {
        const own = await notificationsOf(c.caller.user!);
        expect(own.length).toBeGreaterThan(0);
        expect(sorted(r.data!.myNotifications.edges.map((e) => e.node.id))).toEqual(sorted(ids(own)));
        expect(r.data!.myNotifications.totalCount).toBe(own.length);
      };
    },
  },
  {
    op: 'unreadNotificationCount',
    expect: ALL_OK,
    async run(c) {
      await notificationFor(ownerOf(c));
      const r = await c.send(
        graphql(`
          query MatrixUnreadNotificationCount {
            unreadNotificationCount
          }
        `),
        {},
      );
      return async () =>
        expect(r.data!.unreadNotificationCount).toBe((await notificationsOf(c.caller.user!, true)).length);
    },
  },
  ...(
    [
      ['notificationChannels(own unit)', [__, __, __, ok, ok, ok, ok], (v: View) => v.ownUnit!],
      ['notificationChannels(other unit)', READERS_ONLY, (v: View) => v.otherUnit],
    ] as [string, Columns, (v: View) => UnitKey][]
  ).map(
    ([op, columns, pick]): Row => ({
      op,
      expect: columns,
      async run(c) {
        const unit = pick(c.view);
        const r = await c.send(
          graphql(`
            query MatrixNotificationChannels($id: ID!) {
              notificationChannels(orgUnitId: $id) {
                id
                orgUnitId
              }
            }
          `),
          { id: unitIdOf(unit) },
        );
        return async () => {
          const all = await api.dataSource.query<{ id: string }[]>(
            'SELECT id FROM notification_channel WHERE org_unit_id = $1',
            [unitIdOf(unit)],
          );
          expect(all.length).toBeGreaterThan(0);
          expect(sorted(ids(r.data!.notificationChannels))).toEqual(sorted(ids(all)));
        };
      },
    }),
  ),
  ...unitRows(
    [
      ['notificationChannelDeliveries(own unit)', [__, __, __, ok, F, ok, F], (v) => v.ownUnit!],
      ['notificationChannelDeliveries(other unit)', [ok, F, F, F, F, F, F], (v) => v.otherUnit],
    ],
    async (c, unit) => {
      const channel = await channelOf(unit);
      await api.gql(SEND_TEST, { id: channel.id }, await api.token('admin'));
      const r = await c.send(
        graphql(`
          query MatrixNotificationChannelDeliveries($id: ID!) {
            notificationChannelDeliveries(channelId: $id) {
              edges {
                node {
                  id
                }
              }
            }
          }
        `),
        { id: channel.id },
      );

      return async () => {
        const all = await api.dataSource.query<{ id: string }[]>(
          'SELECT id FROM notification_delivery WHERE channel_id = $1',
          [channel.id],
        );
        expect(all).toHaveLength(1);
        expect(ids(r.data!.notificationChannelDeliveries.edges.map((e) => e.node))).toEqual(ids(all));
      };
    },
  ),
  // ---- mutations -----------------------------------------------------------------------------------
  {
    op: 'createPlan',
    expect: ASSIGNERS_ONLY,
    async run(c) {
      const input = {
        title: '矩阵新建规划',
        kind: 'TASK_LIST' as const,
        periodStart: '2025-12-31T16:00:00.000Z',
        periodEnd: '2026-12-31T15:59:59.000Z',
      };
      const r = await c.send(
        graphql(`
          mutation MatrixCreatePlan($input: CreatePlanInput!) {
            createPlan(input: $input) {
              id
            }
          }
        `),
        { input },
      );
      return async () => expect(await countRows(api, 'plan', 'id = $1', [r.data!.createPlan.id])).toBe(1);
    },
  },
  {
    op: 'createTarget',
    expect: ASSIGNERS_ONLY,
    async run(c) {
      const input = { planId: world.scratchPlan, level: 'CHAPTER' as const, title: '矩阵新建章' };
      const r = await c.send(
        graphql(`
          mutation MatrixCreateTarget($input: CreateTargetInput!) {
            createTarget(input: $input) {
              id
              planId
            }
          }
        `),
        { input },
      );
      return () => expect(r.data!.createTarget.planId).toBe(world.scratchPlan);
    },
  },
  {
    op: 'createTask',
    expect: ASSIGNERS_ONLY,
    async run(c) {
      const input = { planId: world.scratchPlan, title: '矩阵新建任务' };
      const r = await c.send(
        graphql(`
          mutation MatrixCreateTask($input: CreateTaskInput!) {
            createTask(input: $input) {
              id
              code
              version
              status
              dueAt
            }
          }
        `),
        { input },
      );
      return async () => {
        expect(r.data!.createTask).toMatchObject({ status: 'UNASSIGNED', version: 1 });
        const userId = api.fixture.users[c.caller.user!].id;
        const where = `entity_id = $1 AND action = 'task.create' AND actor_id = $2`;
        expect(await countRows(api, 'audit_event', where, [r.data!.createTask.id, userId])).toBe(1);
      };
    },
  },
  {
    op: 'updateTask',
    expect: ASSIGNERS_ONLY,
    async run(c) {
      const { task } = await freshTask();
      const r = await c.send(
        graphql(`
          mutation MatrixUpdateTask($input: UpdateTaskInput!) {
            updateTask(input: $input) {
              id
              version
              title
            }
          }
        `),
        { input: { id: task.id, version: task.version, title: '改过的名称' } },
      );
      return () =>
        expect(r.data!.updateTask).toEqual({ id: task.id, version: task.version + 1, title: '改过的名称' });
    },
  },
  {
    op: 'assignTask',
    expect: ASSIGNERS_ONLY,
    async run(c) {
      const { task } = await freshTask();
      const r = await c.send(
        graphql(`
          mutation MatrixAssignTask($input: AssignTaskInput!) {
            assignTask(input: $input) {
              id
              role
              parentId
              orgUnitId
            }
          }
        `),
        { input: { taskId: task.id, leadUnits: [{ orgUnitId: unitIdOf('jw') }] } },
      );
      return () => {
        const created = r.data!.assignTask.map(({ id: _id, ...rest }) => rest);
        expect(created).toEqual([{ role: 'LEAD', parentId: null, orgUnitId: unitIdOf('jw') }]);
      };
    },
  },
  ...(
    [
      // own unit: a department splits its own share; a subdistrict tries to split the share it was given.
      [
        'splitAssignment(own unit share)',
        [__, __, __, ok, ok, F, F],
        async (v: View) => {
          const fresh = v.ownUnit === 'fgw' ? await freshTask('fgw') : await freshTask('fgw', 'zgc');
          return fresh.child ?? fresh.share!;
        },
      ],
      [
        'splitAssignment(another department share)',
        ASSIGNERS_ONLY,
        async () => (await freshTask('swj')).share!,
      ],
    ] as [string, Columns, (v: View) => Promise<AssignmentRef>][]
  ).map(
    ([op, columns, prepare]): Row => ({
      op,
      expect: columns,
      async run(c) {
        const target = await prepare(c.view);
        const r = await c.send(
          graphql(`
            mutation MatrixSplitAssignment($input: SplitAssignmentInput!) {
              splitAssignment(input: $input) {
                id
                role
                parentId
                orgUnitId
              }
            }
          `),
          { input: { assignmentId: target.id, parts: [{ orgUnitId: unitIdOf('sz') }] } },
        );
        return () => {
          const created = r.data!.splitAssignment.map(({ id: _id, ...rest }) => rest);
          expect(created).toEqual([{ role: 'LEAD', parentId: target.id, orgUnitId: unitIdOf('sz') }]);
        };
      },
    }),
  ),
  {
    // a department's own share was given by the leader, a subdistrict's by its department: neither may drop it.
    op: 'unassign(own unit share)',
    expect: [__, __, __, F, F, F, F],
    async run(c) {
      const fresh = c.view.ownUnit === 'fgw' ? await freshTask('fgw') : await freshTask('fgw', 'zgc');
      await c.send(
        graphql(`
          mutation MatrixUnassignId($id: ID!) {
            unassign(assignmentId: $id) {
              id
            }
          }
        `),
        { id: (fresh.child ?? fresh.share!).id },
      );
      return () => undefined;
    },
  },
  {
    op: 'unassign(another unit share)',
    expect: ASSIGNERS_ONLY,
    async run(c) {
      const { task, share } = await freshTask('swj');
      const r = await c.send(UNASSIGN_STATUS, { id: share!.id });
      return async () => {
        expect(r.data!.unassign).toEqual({ id: task.id, status: 'UNASSIGNED' });
        await expectGone(share!.id, null);
      };
    },
  },
  {
    op: 'unassign(sub-assignment own unit split)',
    expect: [__, __, __, ok, ok, __, __],
    async run(c) {
      const { task, share, child } = await freshTask('fgw', 'sz', c.caller.user!);
      const r = await c.send(UNASSIGN_STATUS, { id: child!.id });
      return async () => {
        expect(r.data!.unassign).toEqual({ id: task.id, status: 'ASSIGNED' });
        await expectGone(child!.id, share!.id);
      };
    },
  },
  {
    op: 'unassign(sub-assignment another department split)',
    expect: ASSIGNERS_ONLY,
    async run(c) {
      const { task, share, child } = await freshTask('swj', 'sz');
      const r = await c.send(UNASSIGN_STATUS, { id: child!.id });
      return async () => {
        expect(r.data!.unassign).toEqual({ id: task.id, status: 'ASSIGNED' });
        await expectGone(child!.id, share!.id);
      };
    },
  },
  {
    // a reader has no share of its own; a department accepts its share, a subdistrict the part it was given.
    op: 'acceptAssignment(own unit share)',
    expect: [__, __, __, ok, ok, ok, ok],
    async run(c) {
      const fresh = c.view.ownUnit === 'fgw' ? await freshTask('fgw') : await freshTask('fgw', 'zgc');
      const target = fresh.child ?? fresh.share!;
      const r = await c.send(ACCEPT, {
        input: { assignmentId: target.id, version: 1 },
      });
      return () => expect(r.data!.acceptAssignment).toEqual({ id: target.id, status: 'ACCEPTED' });
    },
  },
  {
    op: 'submitProgress(own unit share)',
    expect: [__, __, __, ok, ok, ok, ok],
    async run(c) {
      const fresh = c.view.ownUnit === 'fgw' ? await freshTask('fgw') : await freshTask('fgw', 'zgc');
      const target = fresh.child ?? fresh.share!;
      dataOf(await api.gql(ACCEPT, { input: { assignmentId: target.id, version: 1 } }, c.token));
      const r = await c.send(SUBMIT, {
        input: {
          assignmentId: target.id,
          version: 2,
          period: THIS_MONTH,
          text: '按计划推进',
          percent: 20,
          evidenceIds: [],
        },
      });
      return () => expect(r.data!.submitProgress.percent).toBe(20);
    },
  },
  {
    op: 'submitProgress(another unit share)',
    expect: [F, F, F, F, F, F, F],
    async run(c) {
      const { child } = await freshTask('swj', 'hd');
      dataOf(
        await api.gql(
          ACCEPT,
          { input: { assignmentId: child!.id, version: 1 } },
          await api.token('hdOfficer'),
        ),
      );
      await c.send(SUBMIT, {
        input: {
          assignmentId: child!.id,
          version: 2,
          period: THIS_MONTH,
          text: '代报',
          percent: 20,
          evidenceIds: [],
        },
      });
      return () => undefined;
    },
  },
  {
    op: 'requestCloseOut(own unit share)',
    expect: [__, __, __, ok, ok, ok, ok],
    async run(c) {
      const id = await ownAcceptedShare(c);
      const r = await c.send(CLOSE_OUT, {
        input: { assignmentId: id, version: 2, comment: '已完成' },
      });
      return () => expect(r.data!.requestCloseOut.status).toBe('PENDING');
    },
  },
  {
    op: 'requestCloseOut(another unit share)',
    expect: [F, F, F, F, F, F, F],
    async run(c) {
      const { child } = await freshTask('swj', 'hd');
      dataOf(
        await api.gql(
          ACCEPT,
          { input: { assignmentId: child!.id, version: 1 } },
          await api.token('hdOfficer'),
        ),
      );
      await c.send(CLOSE_OUT, { input: { assignmentId: child!.id, version: 2, comment: '' } });
      return () => undefined;
    },
  },
  {
    op: 'requestExtension(own unit share)',
    expect: [__, __, __, ok, ok, ok, ok],
    async run(c) {
      const id = await ownAcceptedShare(c);
      // past a department's own deadline (the plan's end); within it for a subdistrict's part
      const newDueAt = c.view.ownUnit === 'fgw' ? '2031-06-30T15:59:59.000Z' : '2030-06-30T15:59:59.000Z';
      const r = await c.send(EXTENSION, {
        input: {
          assignmentId: id,
          version: 2,
          newDueAt,
          reason: '需延期',
          comment: '',
        },
      });
      return () => expect(r.data!.requestExtension.status).toBe('PENDING');
    },
  },
  {
    // only the 督查室 opens an extension for another unit (as it must once a unit is overdue)
    op: 'requestExtension(another unit share)',
    expect: [F, F, ok, F, F, F, F],
    async run(c) {
      const { share } = await freshTask('swj');
      const r = await c.send(EXTENSION, {
        input: {
          assignmentId: share!.id,
          version: 1,
          newDueAt: '2031-06-30T15:59:59.000Z',
          reason: '代为申请',
          comment: '',
        },
      });
      return () => expect(r.data!.requestExtension.status).toBe('PENDING');
    },
  },
  {
    // the lead department or a leader proposes; a subdistrict has no lead share of its own here
    op: 'requestAdjustment',
    expect: [ok, ok, F, ok, ok, F, F],
    async run(c) {
      const { task } = await freshTask('fgw');
      const r = await c.send(
        graphql(`
          mutation MatrixRequestAdjustment($input: RequestAdjustmentInput!) {
            requestAdjustment(input: $input) {
              status
            }
          }
        `),
        { input: { taskId: task.id, title: '调整后的名称', reason: '按最新部署调整' } },
      );
      return () => expect(r.data!.requestAdjustment.status).toBe('PENDING');
    },
  },
  {
    op: 'decideApproval(request at the inspectorate step)',
    expect: [F, F, ok, F, F, F, F],
    async run(c) {
      const id = await otherUnitRequest();
      const r = await c.send(
        graphql(`
          mutation MatrixDecideApproval($input: DecideApprovalInput!) {
            decideApproval(input: $input) {
              currentStep
            }
          }
        `),
        { input: { requestId: id, decision: 'APPROVE', comment: '' } },
      );
      return () => expect(r.data!.decideApproval.currentStep).toBe(4);
    },
  },
  {
    op: 'withdrawApproval(own unit request)',
    expect: [__, __, __, ok, ok, ok, ok],
    async run(c) {
      const id = await ownAcceptedShare(c);
      const input = { assignmentId: id, version: 2, comment: '' };
      const request = dataOf(await api.gql(CLOSE_OUT, { input }, c.token));
      const r = await c.send(WITHDRAW, { id: request.requestCloseOut.id });
      return () => expect(r.data!.withdrawApproval.status).toBe('WITHDRAWN');
    },
  },
  {
    op: 'withdrawApproval(another unit request)',
    expect: [F, F, F, F, F, F, F],
    async run(c) {
      await c.send(WITHDRAW, { id: await otherUnitRequest() });
      return () => undefined;
    },
  },
  {
    op: 'updateApprovalFlow',
    expect: [ok, F, F, F, F, F, F],
    async run(c) {
      const flows = dataOf(
        await api.gql(
          graphql(`
            query MatrixApprovalFlowSteps {
              approvalFlows {
                kind
                version
                steps {
                  name
                  source
                  role
                  orgUnitId
                  mode
                }
              }
            }
          `),
          {},
          await leaderToken(),
        ),
      ).approvalFlows;
      const flow = flows.find((f) => f.kind === 'DECOMPOSITION')!;
      const r = await c.send(
        graphql(`
          mutation MatrixUpdateApprovalFlow($input: UpdateApprovalFlowInput!) {
            updateApprovalFlow(input: $input) {
              version
            }
          }
        `),
        { input: { kind: flow.kind, version: flow.version, steps: flow.steps } },
      );
      return () => expect(r.data!.updateApprovalFlow.version).toBe(flow.version + 1);
    },
  },
  ...decompositionRows(),
  ...userAdminRows(),
  {
    op: 'acceptAssignment(another unit share)',
    expect: [F, F, F, F, F, F, F],
    async run(c) {
      const { child } = await freshTask('swj', 'hd');
      await c.send(ACCEPT, { input: { assignmentId: child!.id, version: 1 } });
      return () => undefined;
    },
  },
  {
    op: 'suspendAssignment',
    expect: ASSIGNERS_ONLY,
    async run(c) {
      const { share } = await freshTask('fgw');
      const r = await c.send(SUSPEND, {
        input: { assignmentId: share!.id, version: 1, reason: '暂缓' },
      });
      return () => expect(r.data!.suspendAssignment).toEqual({ id: share!.id, status: 'SUSPENDED' });
    },
  },
  {
    op: 'resumeAssignment',
    expect: ASSIGNERS_ONLY,
    async run(c) {
      const { share } = await freshTask('fgw');
      dataOf(
        await api.gql(
          SUSPEND,
          { input: { assignmentId: share!.id, version: 1, reason: '暂缓' } },
          await leaderToken(),
        ),
      );
      const r = await c.send(RESUME, {
        input: { assignmentId: share!.id, version: 2, reason: '恢复' },
      });
      return () => expect(r.data!.resumeAssignment).toEqual({ id: share!.id, status: 'ASSIGNED' });
    },
  },
  {
    op: 'createEscalationPolicy',
    expect: [ok, F, F, F, F, F, F],
    async run(c) {
      const input: CreateEscalationPolicyInput = {
        name: `矩阵新建督办流程 ${randomUUID().slice(0, 8)}`,
        levels: [{ offsetWorkdays: 0, action: 'URGE', recipients: ['UNIT_OFFICERS', 'UNIT_HEAD'] }],
      };
      const r = await c.send(CREATE_POLICY, { input });
      return async () => {
        expect(r.data!.createEscalationPolicy).toMatchObject({ name: input.name, currentVersion: 1 });
        const { id } = r.data!.createEscalationPolicy;
        expect(await countRows(api, 'escalation_policy_version', 'policy_id = $1', [id])).toBe(1);
      };
    },
  },
  {
    op: 'updateEscalationPolicy',
    expect: [ok, F, F, F, F, F, F],
    async run(c) {
      const policy = await freshPolicy();
      const r = await c.send(UPDATE_POLICY, {
        input: {
          id: policy.id,
          version: policy.version,
          levels: [{ offsetWorkdays: -1, action: 'REMIND', recipients: ['UNIT_OFFICERS'] }],
        },
      });
      return () => expect(r.data!.updateEscalationPolicy).toMatchObject({ id: policy.id, currentVersion: 2 });
    },
  },
  {
    // a share started on the policy's first version; the policy then gained a second, which it moves to.
    op: 'migrateEscalationPolicy',
    expect: [ok, F, F, F, F, F, F],
    async run(c) {
      const policy = await freshPolicy();
      const { task } = await freshTask();
      const leader = await leaderToken();
      dataOf(await api.gql(SET_TASK_POLICY, { taskId: task.id, policyId: policy.id }, leader));
      await ops().assignTask(leader, task.id, [{ orgUnitId: unitIdOf('fgw') }]);
      const levels = [
        { offsetWorkdays: -1, action: 'REMIND' as const, recipients: ['UNIT_OFFICERS' as const] },
      ];
      const input = { id: policy.id, version: policy.version, levels };
      dataOf(await api.gql(UPDATE_POLICY, { input }, await api.token('admin')));
      const r = await c.send(
        graphql(`
          mutation MatrixMigrateEscalationPolicy($id: ID!) {
            migrateEscalationPolicy(policyId: $id)
          }
        `),
        { id: policy.id },
      );
      return () => expect(r.data!.migrateEscalationPolicy).toBe(1);
    },
  },
  {
    op: 'setTaskEscalationPolicy',
    expect: ASSIGNERS_ONLY,
    async run(c) {
      const policy = await freshPolicy();
      const { task } = await freshTask();
      const r = await c.send(SET_TASK_POLICY, { taskId: task.id, policyId: policy.id });
      return () =>
        expect(r.data!.setTaskEscalationPolicy).toEqual({ id: task.id, escalationPolicyId: policy.id });
    },
  },
  {
    // a year far off, which no deadline of any other cell reaches
    op: 'importWorkCalendar',
    expect: [ok, F, F, F, F, F, F],
    async run(c) {
      const content = JSON.stringify({
        holidays: [{ name: '元旦', from: '2098-01-01', to: '2098-01-03' }],
        workdays: [],
      });
      const r = await c.send(
        graphql(`
          mutation MatrixImportWorkCalendar($input: ImportWorkCalendarInput!) {
            importWorkCalendar(input: $input) {
              year
              provisional
              specialDays {
                day
              }
            }
          }
        `),
        { input: { year: 2098, format: 'JSON', content, source: '矩阵测试通知' } },
      );
      return () =>
        expect(r.data!.importWorkCalendar).toEqual({
          year: 2098,
          provisional: false,
          specialDays: [{ day: '2098-01-01' }, { day: '2098-01-02' }, { day: '2098-01-03' }],
        });
    },
  },
  {
    op: 'setWorkCalendarDay',
    expect: [ok, F, F, F, F, F, F],
    async run(c) {
      const r = await c.send(
        graphql(`
          mutation MatrixSetWorkCalendarDay($input: SetWorkCalendarDayInput!) {
            setWorkCalendarDay(input: $input) {
              specialDays {
                day
                kind
              }
            }
          }
        `),
        { input: { day: '2099-06-02', kind: 'HOLIDAY', name: '矩阵测试日', source: '矩阵测试' } },
      );
      return () =>
        expect(r.data!.setWorkCalendarDay.specialDays).toContainEqual({ day: '2099-06-02', kind: 'HOLIDAY' });
    },
  },
  ...[
    escalationRow('escalateNow', ESCALATE_NOW, (d) => d.escalateNow, 'FIRED'),
    escalationRow('skipEscalationLevel', SKIP_LEVEL, (d) => d.skipEscalationLevel, 'SKIPPED'),
  ],
  ...(
    [
      ['acknowledgeEscalation(own unit escalation)', [__, __, __, ok, ok, ok, ok], ownFreshShare],
      [
        'acknowledgeEscalation(another unit escalation)',
        [F, F, F, F, F, F, F],
        async () => (await freshTask('swj', 'hd')).child!.id,
      ],
      // the department sees the share it split off, but signing for it is the subdistrict's own business
      [
        'acknowledgeEscalation(split off own unit)',
        [__, __, __, F, F, __, __],
        async () => (await freshTask('fgw', 'zgc')).child!.id,
      ],
    ] as [string, Columns, (c: Cell) => Promise<string>][]
  ).map(
    ([op, columns, prepare]): Row => ({
      op,
      expect: columns,
      async run(c) {
        const id = await escalationOn(await prepare(c));
        const r = await c.send(ACKNOWLEDGE, { id });
        return () => {
          expect(r.data!.acknowledgeEscalation.id).toBe(id);
          expect(r.data!.acknowledgeEscalation.acknowledgedAt).not.toBeNull();
        };
      },
    }),
  ),
  {
    op: 'openSupervisionNotice',
    expect: [ok, F, ok, F, F, F, F],
    async run(c) {
      const { share } = await freshTask('fgw');
      const r = await c.send(OPEN_NOTICE, {
        input: { assignmentId: share!.id, reason: '进度滞后', responseWorkdays: 5 },
      });
      return () =>
        expect(r.data!.openSupervisionNotice).toMatchObject({ assignmentId: share!.id, status: 'OPEN' });
    },
  },
  ...(
    [
      ['answerSupervisionNotice(own unit notice)', [__, __, __, ok, ok, ok, ok], ownFreshShare],
      [
        'answerSupervisionNotice(another unit notice)',
        [F, F, F, F, F, F, F],
        async () => (await freshTask('swj', 'hd')).child!.id,
      ],
      // the department sees the notice on the share it split off, but the answer is the subdistrict's
      [
        'answerSupervisionNotice(split off own unit)',
        [__, __, __, F, F, __, __],
        async () => (await freshTask('fgw', 'zgc')).child!.id,
      ],
    ] as [string, Columns, (c: Cell) => Promise<string>][]
  ).map(
    ([op, columns, prepare]): Row => ({
      op,
      expect: columns,
      async run(c) {
        const notice = await openNotice(await prepare(c));
        const r = await c.send(ANSWER_NOTICE, {
          input: { noticeId: notice.id, version: notice.version, response: '已整改', newPlan: '月底前完成' },
        });
        return () =>
          expect(r.data!.answerSupervisionNotice).toMatchObject({ id: notice.id, status: 'ANSWERED' });
      },
    }),
  ),
  {
    op: 'acceptSupervisionAnswer',
    expect: [ok, F, ok, F, F, F, F],
    async run(c) {
      const notice = await answeredNotice();
      const r = await c.send(ACCEPT_ANSWER, {
        input: { noticeId: notice.id, version: notice.version },
      });
      return () => expect(r.data!.acceptSupervisionAnswer).toMatchObject({ id: notice.id, status: 'CLOSED' });
    },
  },
  {
    op: 'returnSupervisionAnswer',
    expect: [ok, F, ok, F, F, F, F],
    async run(c) {
      const notice = await answeredNotice();
      const r = await c.send(RETURN_ANSWER, {
        input: { noticeId: notice.id, version: notice.version, reason: '计划不具体' },
      });
      return () =>
        expect(r.data!.returnSupervisionAnswer).toMatchObject({
          id: notice.id,
          status: 'OPEN',
          returnCount: 1,
        });
    },
  },
  {
    op: 'markNotificationsRead(own notification)',
    expect: ALL_OK,
    async run(c) {
      const id = await notificationFor(ownerOf(c));
      const r = await c.send(MARK_READ, { ids: [id] });
      return () => {
        expect(ids(r.data!.markNotificationsRead)).toEqual([id]);
        expect(r.data!.markNotificationsRead[0].readAt).not.toBeNull();
      };
    },
  },
  {
    // 清河街道's officer is no caller of the matrix: the notification is nobody's here but its own.
    op: "markNotificationsRead(someone else's notification)",
    expect: [NF, NF, NF, NF, NF, NF, NF],
    async run(c) {
      const id = await notificationFor('qhOfficer');
      await c.send(MARK_READ, { ids: [id] });
      return () => undefined;
    },
  },
  {
    op: 'markAllNotificationsRead',
    expect: ALL_OK,
    async run(c) {
      await notificationFor(ownerOf(c));
      const unread = (await notificationsOf(ownerOf(c), true)).length;
      const r = await c.send(
        graphql(`
          mutation MatrixMarkAllNotificationsRead {
            markAllNotificationsRead
          }
        `),
        {},
      );
      return async () => {
        expect(r.data!.markAllNotificationsRead).toBe(unread);
        expect(await notificationsOf(c.caller.user!, true)).toEqual([]);
      };
    },
  },
  ...(
    [
      ['createNotificationChannel(own unit)', [__, __, __, ok, F, ok, F], (v: View) => v.ownUnit!],
      ['createNotificationChannel(other unit)', [ok, F, F, F, F, F, F], (v: View) => v.otherUnit],
    ] as [string, Columns, (v: View) => UnitKey][]
  ).map(
    ([op, columns, pick]): Row => ({
      op,
      expect: columns,
      async run(c) {
        const unit = pick(c.view);
        const r = await c.send(CREATE_CHANNEL, {
          input: channelInput(unit),
        });
        return () =>
          expect(r.data!.createNotificationChannel).toMatchObject({
            orgUnitId: unitIdOf(unit),
            kind: 'WEBHOOK',
            active: true,
          });
      },
    }),
  ),
  ...(
    [
      ['updateNotificationChannel(own unit)', [__, __, __, ok, F, ok, F], (v: View) => v.ownUnit!],
      ['updateNotificationChannel(other unit)', [ok, F, F, F, F, F, F], (v: View) => v.otherUnit],
    ] as [string, Columns, (v: View) => UnitKey][]
  ).map(
    ([op, columns, pick]): Row => ({
      op,
      expect: columns,
      async run(c) {
        const channel = await channelOf(pick(c.view));
        const r = await c.send(UPDATE_CHANNEL, {
          input: { id: channel.id, version: channel.version, name: '改名后的推送', active: false },
        });
        return () =>
          expect(r.data!.updateNotificationChannel).toMatchObject({
            id: channel.id,
            version: channel.version + 1,
            name: '改名后的推送',
            active: false,
          });
      },
    }),
  ),
  ...unitRows(
    [
      ['sendTestNotification(own unit)', [__, __, __, ok, F, ok, F], (v) => v.ownUnit!],
      ['sendTestNotification(other unit)', [ok, F, F, F, F, F, F], (v) => v.otherUnit],
    ],
    async (c, unit) => {
      const channel = await channelOf(unit);
      const r = await c.send(SEND_TEST, { id: channel.id });
      // Nothing listens on the discard port: one attempt, refused, and no retry for a test message.
      return () =>
        expect(r.data!.sendTestNotification).toMatchObject({
          channelId: channel.id,
          status: 'DEAD',
          attempts: 1,
          title: '测试消息：矩阵测试推送',
          attemptLog: [{ ok: false }],
        });
    },
  ),
  ...orgAdminRows(),
];

// ---------------------------------------------------------------------------------------------------
// One `it` per cell.
// ---------------------------------------------------------------------------------------------------
interface CellCase {
  name: string;
  row: Row;
  caller: Caller;
  expected: Outcome;
}

const CELLS: CellCase[] = ROWS.flatMap((row) => {
  const cells: CellCase[] = [];
  ROLE_COLUMNS.forEach((caller, column) => {
    const expected = row.expect[column];
    if (expected) cells.push({ name: `${caller.who} × ${row.op} → ${expected}`, row, caller, expected });
  });
  if (row.expect[0]) {
    for (const caller of NOBODY) {
      cells.push({
        name: `${caller.who} × ${row.op} → UNAUTHENTICATED`,
        row,
        caller,
        expected: 'UNAUTHENTICATED',
      });
    }
  }
  return cells;
});

/** A leader token signed with the API's own secret, expiring `seconds` from now (negative: already expired). */
function leaderTokenExpiringIn(seconds: number): Promise<string> {
  const { jwtSecret } = api.app.get<AppConfig>(APP_CONFIG);
  const claims = { sub: api.fixture.users.leader.id, exp: Math.floor(Date.now() / 1000) + seconds };
  return new JwtService().signAsync(claims, { secret: jwtSecret });
}

describe('permission matrix', () => {
  beforeAll(async () => {
    api = await startTestApi();
    unitIdOf = (key) => api.fixture.units[key].id;
    const leader = await api.token('leader');
    for (const { who, user } of ROLE_COLUMNS) tokens.set(who, await api.token(user!));
    tokens.set('ANONYMOUS', undefined);
    tokens.set('GARBAGE_TOKEN', 'not.a-real.token');
    // Well signed, for the leader, but expired a minute ago.
    tokens.set('EXPIRED_TOKEN', await leaderTokenExpiringIn(-60));

    const readPlan = await ops().createPlan(leader, '权限矩阵：只读数据');
    const scratchPlan = await ops().createPlan(leader, '权限矩阵：变更用数据');
    world = {
      readPlan,
      scratchPlan,
      tasks: {} as Record<TaskKey, string>,
      shares: new Map(),
      notices: new Map(),
    };
    for (const spec of WORLD) {
      const task = await ops().createTask(leader, { planId: readPlan, title: spec.title, dueAt: spec.dueAt });
      world.tasks[spec.key] = task.id;
      if (!spec.lead) continue;
      const units = [...spec.lead, ...(spec.support ?? [])];
      const created = await ops().assignTask(
        leader,
        task.id,
        spec.lead.map((u) => ({ orgUnitId: unitIdOf(u) })),
        (spec.support ?? []).map((u) => ({ orgUnitId: unitIdOf(u) })),
      );
      created.forEach((a, i) => {
        const key = `${spec.key}.${units[i]}`;
        world.shares.set(key, { key, id: a.id, task: spec.key, unit: units[i], parent: null });
      });
      for (const [dept, parts] of Object.entries(spec.splits ?? {}) as ['fgw' | 'swj', UnitKey[]][]) {
        const parent = shareOf(world, `${spec.key}.${dept}`);
        const children = await ops().split(
          await api.token(`${dept}Officer`),
          parent.id,
          parts.map((u) => ({ orgUnitId: unitIdOf(u) })),
        );
        children.forEach((a, i) => {
          const key = `${spec.key}.${parts[i]}`;
          world.shares.set(key, { key, id: a.id, task: spec.key, unit: parts[i], parent: parent.key });
        });
      }
    }
    // The 督查室 has a notice open on every share; three approval requests wait (WORLD_REQUESTS); every caller
    // has a notification; four units have a robot (made last, so nothing the setup sends reaches them).
    for (const share of world.shares.values()) world.notices.set(share.key, (await openNotice(share.id)).id);
    for (const spec of WORLD_REQUESTS) await openWorldRequest(spec);
    for (const { user } of ROLE_COLUMNS) await notificationFor(user!);
    for (const unit of ['fgw', 'swj', 'zgc', 'hd'] as const) await channelOf(unit);
  });

  afterAll(() => api.close());

  it('the expired token fails for its age alone: the same claims, still valid, are accepted', async () => {
    const result = await api.gql(
      graphql(`
        query MatrixViewerId {
          viewer {
            id
          }
        }
      `),
      {},
      await leaderTokenExpiringIn(60),
    );
    expect(dataOf(result).viewer.id).toBe(api.fixture.users.leader.id);
  });

  it('a token accepted before is refused once it expires (the verified token is held, not its validity)', async () => {
    const viewer = async (token: string) =>
      api.gql(
        graphql(`
          query MatrixViewerAgain {
            viewer {
              id
            }
          }
        `),
        {},
        token,
      );
    const token = await leaderTokenExpiringIn(1);
    expect(dataOf(await viewer(token)).viewer.id).toBe(api.fixture.users.leader.id);
    // Expiry is whole seconds of wall time, as jsonwebtoken reads it: the real clock has to pass it.
    const { exp } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number };
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, exp * 1000 - Date.now()) + 20));
    expect(outcomeOf(await viewer(token))).toBe('UNAUTHENTICATED');
  });

  it('covers every query and mutation of the schema (login and logout aside, which need no valid token)', () => {
    const { schema } = api.app.get(GraphQLSchemaHost);
    const operations = [schema.getQueryType(), schema.getMutationType()].flatMap((type) =>
      Object.keys(type?.getFields() ?? {}),
    );
    const ops = new Set(ROWS.map((r) => r.op.replace(/\(.*$/, '')));
    expect(sorted([...ops])).toEqual(
      sorted(operations.filter((name) => !['login', 'logout'].includes(name))),
    );
  });

  it.each(CELLS)('$name', async ({ row, caller, expected }) => {
    let auditWrites = 0;
    let result: GqlResult<unknown> | undefined;
    const token = tokens.get(caller.who);
    const send = (async (query: string | TypedDocumentString<unknown, unknown>, variables: unknown = {}) => {
      if (result) throw new Error('a cell sends exactly one request under test');
      const before = await countRows(api, 'audit_event');
      const sent = await api.gql(String(query), variables as Record<string, unknown>, token);
      auditWrites = (await countRows(api, 'audit_event')) - before;
      result = sent;
      return sent;
    }) as Cell['send'];
    const cell: Cell = { caller, token, view: VIEWS[caller.side], send };

    const check = await row.run(cell);
    if (!result) throw new Error(`row ${row.op} sent no request`);
    expect({ outcome: outcomeOf(result), errors: expected === 'ok' ? result.errors : undefined }).toEqual({
      outcome: expected,
      errors: undefined,
    });
    if (expected === 'ok') {
      dataOf(result);
      await check();
    } else {
      // A refused request changes nothing, so it leaves nothing in the append-only log either.
      expect(auditWrites).toBe(0);
    }
  });
});
