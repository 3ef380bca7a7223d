import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readTaskList } from '@zhezi/decomposition';
import { graphql } from './gql';
import { dataOf } from './support/ops';
import { demoUserClient, startSeededApi, type SeededApi } from './support/seeded-api';

const fixture = (name: string) => readFileSync(resolve(__dirname, 'fixtures', name));

const IMPORT = graphql(`
  mutation DecompositionReadingImport($input: ImportTaskListInput!) {
    importTaskList(input: $input) {
      plan {
        id
      }
      draftTaskCount
    }
  }
`);
const INGEST = graphql(`
  mutation DecompositionReadingIngest($input: IngestPlanInput!) {
    ingestPlan(input: $input) {
      plan {
        id
      }
      draftTaskCount
    }
  }
`);
const DRAFTS = graphql(`
  query DecompositionReadingDrafts($planId: ID!) {
    draftTasks(planId: $planId, first: 100) {
      edges {
        node {
          id
          version
          title
          dueAt
          dueKind
          recurrence
          milestones {
            title
            dueAt
          }
          targets {
            number
            title
            level
          }
          issues {
            phrase
          }
        }
      }
    }
  }
`);
const TARGETS = graphql(`
  query DecompositionReadingTargets($id: ID!) {
    plan(id: $id) {
      targets {
        level
        levelName
        number
        title
        indicators {
          targetValue
          unit
          recurrence
        }
      }
    }
  }
`);
const REMOVE = graphql(`
  mutation DecompositionReadingRemoveDrafts($input: RemoveDraftTasksInput!) {
    removeDraftTasks(input: $input) {
      id
    }
  }
`);
const SUBMIT = graphql(`
  mutation DecompositionReadingSubmit($input: SubmitDecompositionInput!) {
    submitDecomposition(input: $input) {
      id
    }
  }
`);
const DECIDE = graphql(`
  mutation DecompositionReadingDecide($input: DecideApprovalInput!) {
    decideApproval(input: $input) {
      status
    }
  }
`);
const SHARES = graphql(`
  query DecompositionReadingShares($planId: ID!) {
    myAssignments(filter: { planId: $planId }, first: 100) {
      edges {
        node {
          dueKind
          light
          daysOverdue
          task {
            title
            dueKind
            recurrence
            milestones {
              title
            }
          }
        }
      }
    }
  }
`);

/**
 * What issue 17's reading puts across the API: deadline kinds on drafts, tasks and shares; a 折子 list sent as
 * a Word table read like the sheet, its category rows as the list's targets; an outline's 篇 as a PART with
 * the document's level names; indicators in counted units with their recurrence.
 */
describe('reading documents as offices write them, over HTTP (issue 17)', () => {
  let api: SeededApi;
  let client: ReturnType<typeof demoUserClient>;

  beforeAll(async () => {
    api = await startSeededApi();
    client = demoUserClient(api);
  }, 120_000);

  afterAll(() => api?.close());

  const gql: ReturnType<typeof demoUserClient>['gql'] = (user, doc, variables) =>
    client.gql(user, doc, variables);

  const draftsOf = async (planId: string) =>
    dataOf(await gql('leader', DRAFTS, { planId })).draftTasks.edges.map((e) => e.node);

  it('imports a list sent as a Word table like the sheet: categories, deadline kinds, then 长期 on the lists', async () => {
    const { plan, draftTaskCount } = dataOf(
      await gql('leader', IMPORT, {
        input: {
          file: {
            fileName: 'task-table-2026.docx',
            content: fixture('task-table-2026.docx').toString('base64'),
          },
          year: 2026,
        },
      }),
    ).importTaskList;
    // One draft per row: the introduction and the signature around the table give none.
    expect(draftTaskCount).toBe(12);
    const drafts = await draftsOf(plan.id);
    const draft = (key: string) => drafts.find((d) => d.title.includes(key))!;
    // Each task stands under its category row, a target one level above it.
    expect(draft('建设概念验证中心').targets).toEqual([
      { number: '一、', title: '科技创新', level: 'CHAPTER' },
    ]);
    expect(draft('稳定和扩大就业').targets).toEqual([
      { number: '三、', title: '民生保障', level: 'CHAPTER' },
    ]);
    // 长期坚持: ongoing, no milestones; 每季度: a milestone at the end of each quarter before the last.
    expect(draft('深化生活垃圾分类')).toMatchObject({ dueKind: 'ONGOING', recurrence: null, milestones: [] });
    const quarterly = draft('深化科技成果转化改革');
    expect(quarterly).toMatchObject({ dueKind: 'RECURRING', recurrence: 'QUARTERLY' });
    expect(quarterly.milestones.map((m) => m.title)).toEqual([
      '2026年第一季度',
      '2026年第二季度',
      '2026年第三季度',
    ]);
    expect(draft('建设概念验证中心')).toMatchObject({ dueKind: 'DATE', dueAt: '2026-06-30T15:59:59.999Z' });

    // The two rows with vague units are the leader's to settle; here they are left out, the rest published.
    const vague = drafts.filter((d) => d.issues.length > 0);
    expect(vague.map((d) => d.issues[0].phrase).sort()).toEqual(['各有关部门', '相关街道'].sort());
    dataOf(
      await gql('leader', REMOVE, {
        input: { drafts: vague.map((d) => ({ id: d.id, version: d.version })) },
      }),
    );
    const request = dataOf(await gql('leader', SUBMIT, { input: { planId: plan.id } })).submitDecomposition;
    for (const user of ['inspector', 'executive']) {
      dataOf(
        await gql(user, DECIDE, { input: { requestId: request.id, decision: 'APPROVE', comment: '同意' } }),
      );
    }

    // On 上庄地区's list (every town supports 垃圾分类) the ongoing share is never overdue; the task keeps its kind.
    const shares = dataOf(await gql('sz.officer', SHARES, { planId: plan.id })).myAssignments.edges.map(
      (e) => e.node,
    );
    const ongoing = shares.find((s) => s.task.title.includes('深化生活垃圾分类'))!;
    expect(ongoing).toMatchObject({ dueKind: 'ONGOING', light: 'GREEN', daysOverdue: 0 });
    expect(ongoing.task).toMatchObject({ dueKind: 'ONGOING', milestones: [] });

    // The export writes the category rows and the kinds back; the sheet reads them again.
    const response = await fetch(`${api.base}/plans/${plan.id}/task-list.xlsx`, {
      headers: { authorization: `Bearer ${await client.token('leader')}` },
    });
    expect(response.status).toBe(200);
    const read = await readTaskList(Buffer.from(await response.arrayBuffer()));
    const cells = read.rows.map((r) => [r.cells.code, r.cells.deadline]);
    expect(cells).toContainEqual(['一、科技创新', '']);
    expect(cells).toContainEqual(['二、城市治理', '']);
    expect(read.rows.find((r) => r.cells.title.includes('深化生活垃圾分类'))!.cells.deadline).toBe('长期');
    expect(read.rows.find((r) => r.cells.title.includes('深化科技成果转化改革'))!.cells.deadline).toBe(
      '每季度，2026-12-31前',
    );
  }, 120_000);

  it('refuses to read a Word table as a plan document, pointing to the list import', async () => {
    const refused = await gql('leader', INGEST, {
      input: {
        file: {
          fileName: 'task-table-2026.docx',
          content: fixture('task-table-2026.docx').toString('base64'),
        },
      },
    });
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'file' });
    expect(refused.errors?.[0].message).toContain('导入折子工程');
  });

  it('reads an outline with 篇 as PARTs above the chapters, its framing and review paragraphs giving no drafts', async () => {
    const { plan, draftTaskCount } = dataOf(
      await gql('leader', INGEST, {
        input: {
          file: {
            fileName: 'outline-2021-2025.txt',
            content: fixture('outline-2021-2025.txt').toString('base64'),
          },
        },
      }),
    ).ingestPlan;
    expect(draftTaskCount).toBe(15);
    const targets = dataOf(await gql('leader', TARGETS, { id: plan.id })).plan.targets;
    expect(targets[0]).toMatchObject({ level: 'PART', levelName: '篇', number: '第一篇' });
    expect(targets[1]).toMatchObject({ level: 'CHAPTER', levelName: '章', number: '第一章' });
    expect(targets[2]).toMatchObject({ level: 'SECTION', levelName: '节', number: '第一节' });
    const indicators = targets.flatMap((t) => t.indicators);
    expect(indicators).toContainEqual({ targetValue: 30000, unit: '家', recurrence: null });
    expect(indicators).toContainEqual({ targetValue: 10, unit: '处', recurrence: 'YEARLY' });
    // The 十三五 figures are results, not targets.
    expect(indicators.some((i) => i.targetValue === 10000 && i.unit === '家')).toBe(false);
  });
});
