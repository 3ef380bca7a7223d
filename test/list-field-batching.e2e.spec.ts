import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  getNamedType,
  isObjectType,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { periodOf, ReportCadence } from '@zhezi/task';
import type { UserKey } from '@zhezi/testing';
import { graphql } from './gql';
import type { TypedDocumentString } from './gql/graphql';
import { dataOf, taskOps } from './support/ops';
import { startTestApi, type TestApi } from './support/test-api';

/**
 * The N+1 guard over the whole schema. A field with a resolver of its own that sits under a list runs once per
 * item; it must batch (a DataLoader, or SQL done once for the page) or the statements grow with the page. Each
 * case below asks for a list with such fields, once with the world at two units of activity and once at six
 * (twice the tasks, shares, reports, requests, notices, notifications, plans, users, units and policies); the
 * statements must be the same (give or take a loader dispatched in two ticks). A last test walks the schema: every such field must be asked for by some case,
 * so a new one cannot be added unguarded.
 */

const SIZES = [2, 6] as const;
/**
 * Statements the larger world may add: a loader shared by two parts of one query (a user's unit and a unit's
 * parent) dispatches once or twice depending on timing. A field that runs a query per item adds at least four.
 */
const TIMING_SLACK = 2;
const MONTH = periodOf(new Date(), ReportCadence.MONTHLY);
const now = new Date();
/** Missing reports are asked of a period that has ended. */
const LAST_MONTH = periodOf(new Date(now.getFullYear(), now.getMonth(), 0, 12), ReportCadence.MONTHLY);

graphql(`
  fragment ListBatchingShare on Assignment {
    id
    light
    daysOverdue
    lastReportAt
    levelReached
    escalateNowTo
    nextEscalation {
      label
    }
    orgUnit {
      id
      parent {
        id
      }
    }
    parent {
      id
    }
    task {
      id
    }
    escalations {
      id
    }
    extensions {
      requestId
    }
    supervisionNotices {
      id
      assignment {
        id
      }
    }
    progressReports {
      id
      submittedBy {
        id
        orgUnit {
          id
        }
      }
      evidence {
        id
      }
      revisions {
        revision
      }
    }
    approvalRequests {
      ...ListBatchingRequest
    }
  }
`);

graphql(`
  fragment ListBatchingRequest on ApprovalRequest {
    id
    requestedBy {
      id
    }
    task {
      id
    }
    assignment {
      id
    }
    plan {
      id
    }
    steps {
      id
      approvers {
        id
      }
      decisions {
        id
      }
    }
  }
`);

graphql(`
  fragment ListBatchingTarget on Target {
    id
    parent {
      id
    }
    indicators {
      id
    }
  }
`);

interface Case {
  name: string;
  user: UserKey;
  query: TypedDocumentString<unknown, never>;
  /** Variables for the world at this size. */
  variables: (size: number) => Record<string, unknown>;
}

const document = <R, V>(query: TypedDocumentString<R, V>) => query as TypedDocumentString<unknown, never>;

let api: TestApi;
let draftPlanId: string;
let listPlanId: string;

const CASES: Case[] = [
  {
    name: 'tasks with their shares, parts and everything hanging off a share',
    user: 'leader',
    variables: () => ({ planId: listPlanId }),
    query: document(
      graphql(`
        query ListBatchingTasks($planId: ID) {
          tasks(first: 20, filter: { planId: $planId }) {
            edges {
              node {
                id
                plan {
                  id
                }
                target {
                  id
                }
                responsibleLeader {
                  id
                }
                milestones {
                  id
                }
                leadUnits {
                  id
                }
                supportUnits {
                  id
                }
                assignments {
                  ...ListBatchingShare
                  children {
                    ...ListBatchingShare
                  }
                }
              }
            }
          }
        }
      `),
    ),
  },
  {
    name: "a subdistrict's own list",
    user: 'zgcOfficer',
    variables: () => ({}),
    query: document(
      graphql(`
        query ListBatchingMyShares {
          myAssignments(first: 20) {
            edges {
              node {
                ...ListBatchingShare
              }
            }
          }
        }
      `),
    ),
  },
  {
    name: "a department's unit board",
    user: 'fgwOfficer',
    variables: () => ({}),
    query: document(
      graphql(`
        query ListBatchingUnitBoard {
          unitBoard {
            items(first: 20, orderBy: DUE_AT, direction: ASC) {
              edges {
                node {
                  ...ListBatchingShare
                }
              }
            }
            nextDeadlines(first: 20) {
              ...ListBatchingShare
            }
          }
        }
      `),
    ),
  },
  {
    name: "the inspectorate's board and missing reports",
    user: 'inspector',
    variables: () => ({ period: LAST_MONTH }),
    query: document(
      graphql(`
        query ListBatchingInspector($period: String!) {
          inspectorBoard(first: 20) {
            edges {
              node {
                ...ListBatchingShare
              }
            }
          }
          missingReports(first: 20, period: $period) {
            edges {
              node {
                id
                orgUnit {
                  id
                }
                task {
                  id
                }
              }
            }
          }
        }
      `),
    ),
  },
  {
    name: 'approval requests and the inbox',
    user: 'fgwHead',
    variables: () => ({}),
    query: document(
      graphql(`
        query ListBatchingApprovals {
          approvalRequests(first: 20) {
            edges {
              node {
                ...ListBatchingRequest
              }
            }
          }
          myApprovalInbox(first: 20) {
            edges {
              node {
                ...ListBatchingRequest
              }
            }
          }
        }
      `),
    ),
  },
  {
    name: 'supervision notices with their shares',
    user: 'inspector',
    variables: () => ({}),
    query: document(
      graphql(`
        query ListBatchingNotices {
          supervisionNotices(first: 20) {
            edges {
              node {
                id
                assignment {
                  ...ListBatchingShare
                }
              }
            }
          }
        }
      `),
    ),
  },
  {
    name: 'notifications, their deliveries and attempts',
    user: 'zgcOfficer',
    variables: () => ({}),
    query: document(
      graphql(`
        query ListBatchingNotifications {
          myNotifications(first: 20, unreadOnly: false) {
            edges {
              node {
                id
                deliveries {
                  id
                  title
                  attemptLog {
                    ok
                  }
                }
              }
            }
          }
        }
      `),
    ),
  },
  {
    name: 'plans, their target trees and indicators',
    user: 'leader',
    variables: () => ({}),
    query: document(
      graphql(`
        query ListBatchingPlans {
          plans(first: 20) {
            edges {
              node {
                id
                targets {
                  ...ListBatchingTarget
                  children {
                    ...ListBatchingTarget
                  }
                }
              }
            }
          }
        }
      `),
    ),
  },
  {
    name: 'drafts of a decomposed plan (a page as long as the size)',
    user: 'leader',
    variables: (size) => ({ planId: draftPlanId, first: size }),
    query: document(
      graphql(`
        query ListBatchingDrafts($planId: ID!, $first: Int) {
          draftTasks(planId: $planId, first: $first) {
            edges {
              node {
                id
                leadUnits {
                  id
                }
                supportUnits {
                  id
                }
                targets {
                  id
                }
                task {
                  id
                }
                responsibleLeader {
                  id
                }
                units {
                  orgUnit {
                    id
                  }
                }
                suggestions {
                  orgUnit {
                    id
                  }
                }
              }
            }
          }
        }
      `),
    ),
  },
  {
    name: 'unit suggestions for a keyword every new unit has, and the keyword dictionary',
    user: 'admin',
    variables: () => ({}),
    query: document(
      graphql(`
        query ListBatchingSuggestions {
          suggestUnits(text: "推进批量测试工作") {
            orgUnit {
              id
            }
          }
          unitKeywords(first: 20) {
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
    ),
  },
  {
    name: 'the indicator board of a plan with an indicator per unit of activity',
    user: 'leader',
    variables: () => ({ planId: listPlanId }),
    query: document(
      graphql(`
        query ListBatchingIndicators($planId: ID!) {
          indicatorBoard(planId: $planId, first: 20) {
            edges {
              node {
                values {
                  year
                }
              }
            }
          }
        }
      `),
    ),
  },
  {
    name: "the month's bulletin and the leader board's units",
    user: 'inspector',
    variables: () => ({ planId: listPlanId, month: MONTH }),
    query: document(
      graphql(`
        query ListBatchingBoards($planId: ID!, $month: String!) {
          bulletin(planId: $planId, month: $month) {
            rows {
              orgUnit {
                id
              }
            }
          }
          leaderBoard(planId: $planId) {
            units(first: 20) {
              edges {
                node {
                  orgUnit {
                    id
                  }
                }
              }
            }
          }
        }
      `),
    ),
  },
  {
    name: 'users and their units',
    user: 'admin',
    variables: () => ({}),
    query: document(
      graphql(`
        query ListBatchingUsers {
          users(first: 20) {
            edges {
              node {
                id
                email
                phone
                orgUnit {
                  id
                }
              }
            }
          }
        }
      `),
    ),
  },
  {
    name: 'the unit tree',
    user: 'admin',
    variables: () => ({}),
    query: document(
      graphql(`
        query ListBatchingUnits {
          orgUnits {
            id
            parent {
              id
            }
            children {
              id
            }
          }
        }
      `),
    ),
  },
  {
    name: 'escalation policies and their versions',
    user: 'admin',
    variables: () => ({}),
    query: document(
      graphql(`
        query ListBatchingPolicies {
          escalationPolicies {
            id
            versions {
              levels {
                action
              }
            }
          }
        }
      `),
    ),
  },
];

const SET_KEYWORD = graphql(`
  mutation ListBatchingSetKeyword($input: SetUnitKeywordInput!) {
    setUnitKeyword(input: $input) {
      id
    }
  }
`);
const CREATE_TARGET = graphql(`
  mutation ListBatchingCreateTarget($input: CreateTargetInput!) {
    createTarget(input: $input) {
      id
    }
  }
`);
const ACCEPT = graphql(`
  mutation ListBatchingAccept($input: AssignmentTransitionInput!) {
    acceptAssignment(input: $input) {
      version
    }
  }
`);
const SUBMIT = graphql(`
  mutation ListBatchingSubmit($input: SubmitProgressInput!) {
    submitProgress(input: $input) {
      id
    }
  }
`);
const SHARE_VERSION = graphql(`
  query ListBatchingShareVersion($id: ID!) {
    assignment(id: $id) {
      version
    }
  }
`);
const CLOSE_OUT = graphql(`
  mutation ListBatchingCloseOut($input: RequestCloseOutInput!) {
    requestCloseOut(input: $input) {
      id
    }
  }
`);
const OPEN_NOTICE = graphql(`
  mutation ListBatchingOpenNotice($input: OpenSupervisionNoticeInput!) {
    openSupervisionNotice(input: $input) {
      id
    }
  }
`);
const ESCALATE = graphql(`
  mutation ListBatchingEscalate($id: ID!) {
    escalateNow(assignmentId: $id, reason: "批量测试") {
      id
    }
  }
`);
const CREATE_USER = graphql(`
  mutation ListBatchingCreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      user {
        id
      }
    }
  }
`);
const CREATE_UNIT = graphql(`
  mutation ListBatchingCreateUnit($input: CreateOrgUnitInput!) {
    createOrgUnit(input: $input) {
      id
    }
  }
`);
const CREATE_POLICY = graphql(`
  mutation ListBatchingCreatePolicy($input: CreateEscalationPolicyInput!) {
    createEscalationPolicy(input: $input) {
      id
    }
  }
`);
const INGEST = graphql(`
  mutation ListBatchingIngest($input: IngestPlanInput!) {
    ingestPlan(input: $input) {
      plan {
        id
      }
      draftTaskCount
    }
  }
`);

const DRAFT_PLAN = [
  '海淀区2026年批量测试工作要点',
  '一、发展',
  '1.区发展改革委牵头，区水务局配合，推进甲项工作。（完成时限：2026年12月底）',
  '2.区教委牵头，中关村街道配合，推进乙项工作。（完成时限：2026年12月底）',
  '3.区水务局牵头，推进丙项工作。（完成时限：2026年12月底）',
  '4.学院路街道牵头，区发展改革委配合，推进丁项工作。（完成时限：2026年12月底）',
  '5.区教委牵头，学院路街道配合，推进戊项工作。（完成时限：2026年12月底）',
  '6.区水务局牵头，中关村街道配合，推进己项工作。（完成时限：2026年12月底）',
].join('\n');

/**
 * One more unit of activity: a unit with a keyword and a user; a task with an indicator, shared, split, reported
 * on, asked to close, supervised and escalated; a notification with a delivery tried twice; a plan with a target
 * tree; an escalation policy.
 */
async function grow(n: number): Promise<void> {
  const { fixture } = api;
  const as = (user: UserKey) => api.token(user);
  const ops = taskOps(api);
  const admin = await as('admin');
  const unit = dataOf(
    await api.gql(
      CREATE_UNIT,
      {
        input: {
          code: `L${1000 + n}`,
          kind: 'SUBDISTRICT',
          name: `批量街道${n}`,
          parentId: fixture.units.gov.id,
        },
      },
      admin,
    ),
  );
  dataOf(
    await api.gql(
      SET_KEYWORD,
      { input: { orgUnitId: unit.createOrgUnit.id, keyword: '批量测试', weight: 1 } },
      admin,
    ),
  );
  const target = dataOf(
    await api.gql(
      CREATE_TARGET,
      {
        input: {
          planId: listPlanId,
          level: 'SECTION',
          title: `任务清单第${n}节`,
          indicators: [{ name: `清单指标${n}`, targetValue: 50, targetYear: 2027 }],
        },
      },
      await as('leader'),
    ),
  );
  const task = await ops.createTask(await as('leader'), {
    planId: listPlanId,
    title: `批量任务 ${n}`,
    dueAt: '2027-06-30T15:59:59.000Z',
    targetId: target.createTarget.id,
    responsibleLeaderId: fixture.users.leader.id,
    milestones: [
      { title: '方案', dueAt: '2027-03-31T15:59:59.000Z' },
      { title: '验收', dueAt: '2027-06-15T15:59:59.000Z' },
    ],
  });
  const [lead] = await ops.assignTask(
    await as('leader'),
    task.id,
    [{ orgUnitId: fixture.units.fgw.id }],
    [{ orgUnitId: fixture.units.swj.id }],
  );
  const [zgc, xyl] = await ops.split(await as('fgwOfficer'), lead.id, [
    { orgUnitId: fixture.units.zgc.id },
    { orgUnitId: fixture.units.xyl.id },
    { orgUnitId: unit.createOrgUnit.id },
  ]);
  const officer = await as('zgcOfficer');
  const accepted = dataOf(await api.gql(ACCEPT, { input: { assignmentId: zgc.id, version: 1 } }, officer));
  dataOf(
    await api.gql(
      SUBMIT,
      {
        input: {
          assignmentId: zgc.id,
          version: accepted.acceptAssignment.version,
          period: MONTH,
          text: '按计划推进',
          percent: 40,
          evidenceIds: [],
        },
      },
      officer,
    ),
  );
  const { assignment } = dataOf(await api.gql(SHARE_VERSION, { id: zgc.id }, officer));
  dataOf(
    await api.gql(
      CLOSE_OUT,
      { input: { assignmentId: zgc.id, version: assignment.version, comment: '已完成' } },
      officer,
    ),
  );
  const inspector = await as('inspector');
  dataOf(
    await api.gql(
      OPEN_NOTICE,
      { input: { assignmentId: xyl.id, reason: '进展滞后', responseWorkdays: 3 } },
      inspector,
    ),
  );
  dataOf(await api.gql(ESCALATE, { id: lead.id }, inspector));

  await api.dataSource.query(
    `WITH n AS (
       INSERT INTO notification (user_id, kind, title, body, dedupe_key, created_at)
       VALUES ($1, 'ESCALATION', '提醒 ' || $2, '正文', 'list-batching-' || $2, now()) RETURNING id, dedupe_key),
     d AS (
       INSERT INTO notification_delivery (notification_id, dedupe_key, channel_kind, target, status, attempts, created_at)
       SELECT id, dedupe_key, 'EMAIL', 'zgc@example.gov.cn', 'SENT', 2, now() FROM n RETURNING id)
     INSERT INTO delivery_attempt (delivery_id, attempted_at, ok, status_code, duration_ms)
     SELECT d.id, now(), a.ok, NULL, 5 FROM d CROSS JOIN (VALUES (false), (true)) a (ok)`,
    [fixture.users.zgcOfficer.id, String(n)],
  );

  const leader = await as('leader');
  const planId = await ops.createPlan(leader, `批量规划 ${n}`);
  const chapter = dataOf(
    await api.gql(CREATE_TARGET, { input: { planId, level: 'CHAPTER', title: `第${n}章` } }, leader),
  );
  dataOf(
    await api.gql(
      CREATE_TARGET,
      {
        input: {
          planId,
          parentId: chapter.createTarget.id,
          level: 'SECTION',
          title: `第${n}节`,
          indicators: [{ name: `指标${n}`, targetValue: 100, targetYear: 2030 }],
        },
      },
      leader,
    ),
  );

  dataOf(
    await api.gql(
      CREATE_USER,
      {
        input: {
          username: `batch${n}`,
          displayName: `批量用户${n}`,
          orgUnitId: unit.createOrgUnit.id,
          role: 'SUBDISTRICT_OFFICER',
          email: `batch${n}@example.gov.cn`,
          phone: '13800000000',
        },
      },
      admin,
    ),
  );
  dataOf(
    await api.gql(
      CREATE_POLICY,
      {
        input: {
          name: `批量策略${n}`,
          levels: [{ action: 'REMIND', offsetWorkdays: -1, recipients: ['UNIT_OFFICERS'] }],
        },
      },
      admin,
    ),
  );
}

/** Objects in a response, counted everywhere: the larger world must show more of them. */
function objectsIn(value: unknown): number {
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + objectsIn(item), 0);
  if (value && typeof value === 'object') {
    return 1 + Object.values(value).reduce<number>((sum, item) => sum + objectsIn(item), 0);
  }
  return 0;
}

/**
 * Statements one request costs, after a first run that fills per-process caches (calendar, policies): the fewer of
 * two runs, since the count is the process's and a busy machine can slip a loader's second dispatch into one.
 */
async function measure(c: Case, size: number): Promise<{ statements: number; objects: number }> {
  const token = await api.token(c.user);
  const variables = c.variables(size) as never;
  dataOf(await api.gql(c.query, variables, token));
  const run = async () => {
    const before = api.queryCount();
    const data = dataOf(await api.gql(c.query, variables, token));
    return { statements: api.queryCount() - before, objects: objectsIn(data) };
  };
  const [first, second] = [await run(), await run()];
  return first.statements <= second.statements ? first : second;
}

/**
 * The fields that run once per list item with a resolver of their own: on a type that is a list's item, or
 * reached from one through single objects (an edge's node, a share's task).
 */
function perItemResolvedFields(schema: GraphQLSchema): Set<string> {
  const perItem = new Set<string>();
  const queue: GraphQLObjectType[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      if (isObjectType(named) && String(field.type).includes('[')) queue.push(named);
    }
  }
  while (queue.length > 0) {
    const type = queue.pop()!;
    if (perItem.has(type.name) || type === schema.getMutationType()) continue;
    perItem.add(type.name);
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      if (isObjectType(named)) queue.push(named);
    }
  }
  const fields = new Set<string>();
  for (const name of perItem) {
    const type = schema.getType(name) as GraphQLObjectType;
    for (const field of Object.values(type.getFields())) {
      // Nest reads a plain property with its own rootFieldResolver; anything else is a @ResolveField method.
      if (field.resolve && field.resolve.name !== 'rootFieldResolver') fields.add(`${name}.${field.name}`);
    }
  }
  return fields;
}

/** Type.field for every field a document selects. */
function selectedFields(schema: GraphQLSchema, query: string): Set<string> {
  const fields = new Set<string>();
  const info = new TypeInfo(schema);
  visit(
    parse(query),
    visitWithTypeInfo(info, {
      Field() {
        const parent = info.getParentType();
        const field = info.getFieldDef();
        if (parent && field) fields.add(`${parent.name}.${field.name}`);
      },
    }),
  );
  return fields;
}

describe('N+1 guard over every list field with its own resolver', () => {
  const results = new Map<string, { statements: number; objects: number }[]>();

  beforeAll(async () => {
    api = await startTestApi();
    const leader = await api.token('leader');
    listPlanId = await taskOps(api).createPlan(leader, '批量测试任务清单');
    const ingested = dataOf(
      await api.gql(
        INGEST,
        {
          input: {
            file: { fileName: '批量测试.txt', content: Buffer.from(DRAFT_PLAN).toString('base64') },
          },
        },
        leader,
      ),
    );
    expect(ingested.ingestPlan.draftTaskCount).toBeGreaterThanOrEqual(SIZES[1]);
    draftPlanId = ingested.ingestPlan.plan.id;
    let grown = 0;
    for (const size of SIZES) {
      while (grown < size) await grow(++grown);
      for (const c of CASES) results.set(c.name, [...(results.get(c.name) ?? []), await measure(c, size)]);
    }
  }, 120_000);

  afterAll(() => api.close());

  it.each(CASES.map((c) => c.name))('%s: as many statements at six units as at two', (name) => {
    const [small, large] = results.get(name)!;
    expect(large.objects).toBeGreaterThan(small.objects);
    expect(large.statements).toBeLessThanOrEqual(small.statements + TIMING_SLACK);
  });

  it('every field that resolves per list item is asked for by a case above', () => {
    const { schema } = api.app.get(GraphQLSchemaHost);
    const covered = new Set(CASES.flatMap((c) => [...selectedFields(schema, String(c.query))]));
    const unguarded = [...perItemResolvedFields(schema)].filter((field) => !covered.has(field)).sort();
    expect(unguarded).toEqual([]);
  });
});
