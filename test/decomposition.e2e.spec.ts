import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { FixedClock } from '@zhezi/core';
import { graphql } from './gql';
import type {
  ApprovalDecisionKind,
  DecompositionDraftsQuery,
  DecompositionKeywordsQueryVariables,
  DecompositionTasksQuery,
  IngestPlanInput,
  TypedDocumentString,
  UpdateDraftTaskInput,
} from './gql/graphql';
import { dataOf, outcomeOf } from './support/ops';
import { docxOf } from './support/zip';
import { startTestApi, type TestApi } from './support/test-api';

/** A row as offices write it: abbreviated and prefixed unit names, a leader's name, a Chinese deadline. */
const PROJECT_ROW = [
  '1',
  '推进重点项目建设',
  '完成年度投资计划',
  '区发改委',
  '海淀区水务局',
  '王副区长',
  '2026年6月底前',
];

const SEED_FILE = resolve(__dirname, '../libs/seed/data/haidian-13th-five-year-plan.txt');
const END_OF_BEIJING_DAY = /T15:59:59\.999Z$/;
/** The instant a Beijing calendar day ends, as the API writes it. */
const endOfDay = (day: string) => new Date(`${day}T23:59:59.999+08:00`).toISOString();

graphql(`
  fragment DecompositionPlanFields on Plan {
    id
    title
    kind
    periodStart
    periodEnd
  }
`);
graphql(`
  fragment DecompositionDraftFields on DraftTask {
    id
    code
    position
    title
    description
    version
    dueAt
    taskId
    targetIds
    leadUnits {
      name
    }
    supportUnits {
      name
    }
    responsibleLeader {
      username
      displayName
    }
    milestones {
      title
      dueAt
    }
    targets {
      title
      level
    }
    issues {
      kind
      phrase
      candidates {
        name
      }
    }
  }
`);
const INGEST = graphql(`
  mutation DecompositionIngest($input: IngestPlanInput!) {
    ingestPlan(input: $input) {
      plan {
        ...DecompositionPlanFields
      }
      chapterCount
      sectionCount
      itemCount
      measureCount
      indicatorCount
      draftTaskCount
    }
  }
`);
const IMPORT = graphql(`
  mutation DecompositionImport($input: ImportTaskListInput!) {
    importTaskList(input: $input) {
      plan {
        ...DecompositionPlanFields
      }
      draftTaskCount
    }
  }
`);
const DRAFTS = graphql(`
  query DecompositionDrafts($planId: ID!, $first: Int, $after: String) {
    draftTasks(planId: $planId, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...DecompositionDraftFields
          task {
            id
            code
            title
          }
          suggestions {
            orgUnit {
              name
            }
            role
            score
            keywords
          }
        }
      }
    }
  }
`);
const UPDATE = graphql(`
  mutation DecompositionUpdateDraft($input: UpdateDraftTaskInput!) {
    updateDraftTask(input: $input) {
      ...DecompositionDraftFields
    }
  }
`);
const MERGE = graphql(`
  mutation DecompositionMergeDrafts($input: MergeDraftTasksInput!) {
    mergeDraftTasks(input: $input) {
      ...DecompositionDraftFields
    }
  }
`);
const SPLIT = graphql(`
  mutation DecompositionSplitDraft($input: SplitDraftTaskInput!) {
    splitDraftTask(input: $input) {
      ...DecompositionDraftFields
    }
  }
`);
const SUBMIT = graphql(`
  mutation DecompositionSubmit($input: SubmitDecompositionInput!) {
    submitDecomposition(input: $input) {
      id
      kind
      status
      currentStep
      planId
      taskId
      task {
        id
      }
      payload
      steps {
        position
        name
        status
        approvers {
          username
        }
      }
    }
  }
`);
const DECIDE = graphql(`
  mutation DecompositionDecide($input: DecideApprovalInput!) {
    decideApproval(input: $input) {
      id
      status
      currentStep
    }
  }
`);
const TASKS = graphql(`
  query DecompositionTasks($planId: ID!) {
    tasks(filter: { planId: $planId }, first: 100) {
      totalCount
      edges {
        node {
          id
          code
          title
          description
          dueAt
          status
          responsibleLeader {
            displayName
          }
          assignments {
            role
            parentId
            orgUnit {
              name
            }
          }
        }
      }
    }
  }
`);
const KEYWORDS = graphql(`
  query DecompositionKeywords($orgUnitId: ID, $search: String) {
    unitKeywords(orgUnitId: $orgUnitId, search: $search, first: 100) {
      totalCount
      edges {
        node {
          id
          keyword
          weight
          orgUnitId
          orgUnit {
            name
          }
        }
      }
    }
  }
`);
const SET_KEYWORD = graphql(`
  mutation DecompositionSetKeyword($input: SetUnitKeywordInput!) {
    setUnitKeyword(input: $input) {
      id
      keyword
      weight
      orgUnit {
        name
      }
    }
  }
`);
const REMOVE_KEYWORD = graphql(`
  mutation DecompositionRemoveKeyword($id: ID!) {
    removeUnitKeyword(id: $id) {
      id
      keyword
    }
  }
`);
const SUGGEST = graphql(`
  query DecompositionSuggest($text: String!) {
    suggestUnits(text: $text) {
      orgUnit {
        name
      }
      role
      score
      keywords
    }
  }
`);
const PLAN_COUNT = graphql(`
  query DecompositionPlanCount {
    plans(first: 1) {
      totalCount
    }
  }
`);

type Draft = DecompositionDraftsQuery['draftTasks']['edges'][number]['node'];
type TaskNode = DecompositionTasksQuery['tasks']['edges'][number]['node'];
/** An entry of an import refusal's `extensions.issues`. */
interface Issue {
  row: number | null;
  column: string | null;
  header: string | null;
  message: string;
}

const b64 = (data: string | Buffer) => Buffer.from(data).toString('base64');

/** A .docx of these paragraphs: three zip entries are all mammoth needs. */
function minimalDocx(paragraphs: string[]): Buffer {
  return docxOf(paragraphs.map((p) => `<w:p><w:r><w:t>${p}</w:t></w:r></w:p>`).join(''));
}

async function workbook(rows: ExcelJS.CellValue[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('折子工程');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A yearly plan in Markdown: （一）sections with 1. measures, five measures in all. */
const MARKDOWN_PLAN = [
  '# 海淀区2026年重点工作任务',
  '',
  '## 一、加强生态环境治理',
  '',
  '（一）推进水环境治理',
  '',
  '1. 推进污水管网建设。2026年4月底前完成设计，2026年9月底前完成清河流域污水管网改造。',
  '2. 开展河道综合整治。年底前完成上庄地区河道清淤和岸线整治。',
  '',
  '（二）提升教育服务水平',
  '',
  '1. 新建改扩建中小学校。2026年8月底前新增中小学学位2000个。',
  '2. 推动教育集团化办学。扩大优质教育资源覆盖面。',
  '',
  '## 二、优化营商环境',
  '',
  '（一）深化放管服改革',
  '',
  '1. 推进政务服务改革。优化办事流程，压缩办理时限。',
  '',
].join('\n');

describe('plan decomposition: ingestion, drafts, approval, Excel (e2e over HTTP)', () => {
  const clock = new FixedClock(new Date('2026-03-02T02:00:00Z'));
  let api: TestApi;
  let base: string;
  /** The Markdown plan, edited, submitted and published below; the Excel tests reuse it. */
  let yearly: { id: string; title: string };

  const token = (user: string) => api.token(user);
  const as = async <R, V>(user: string, doc: TypedDocumentString<R, V>, variables: V) =>
    api.gql(doc, variables, await token(user));

  const ingest = (
    user: string,
    fileName: string,
    content: string | Buffer,
    extra: Omit<IngestPlanInput, 'file'> = {},
  ) => as(user, INGEST, { input: { file: { fileName, content: b64(content) }, ...extra } });

  const importList = (user: string, fileName: string, content: Buffer, year: number) =>
    as(user, IMPORT, { input: { file: { fileName, content: b64(content) }, year } });

  /** Every draft of a plan, page by page, checking the pages follow each other in order. */
  async function draftsOf(planId: string, first = 100): Promise<Draft[]> {
    const all: Draft[] = [];
    let after: string | null = null;
    for (;;) {
      const page: DecompositionDraftsQuery['draftTasks'] = dataOf(
        await as('leader', DRAFTS, { planId, first, after }),
      ).draftTasks;
      all.push(...page.edges.map((e) => e.node));
      if (!page.pageInfo.hasNextPage) {
        expect(all).toHaveLength(page.totalCount);
        return all;
      }
      after = page.pageInfo.endCursor ?? null;
    }
  }

  const tasksOf = async (planId: string) => dataOf(await as('leader', TASKS, { planId })).tasks;

  const planCount = async () => dataOf(await as('leader', PLAN_COUNT, {})).plans.totalCount;

  const update = (user: string, input: UpdateDraftTaskInput) => as(user, UPDATE, { input });

  const merge = (user: string, drafts: { id: string; version: number }[]) =>
    as(user, MERGE, { input: { drafts: drafts.map(({ id, version }) => ({ id, version })) } });

  const submit = (user: string, planId: string, comment = '') =>
    as(user, SUBMIT, { input: { planId, comment } });

  const decide = (
    user: string,
    requestId: string,
    decision: ApprovalDecisionKind = 'APPROVE',
    comment = '',
  ) => as(user, DECIDE, { input: { requestId, decision, comment } });

  const download = async (planId: string, user: string | null, unit?: string) => {
    const url = `${base}/plans/${planId}/task-list.xlsx${unit ? `?unit=${unit}` : ''}`;
    return fetch(url, { headers: user ? { authorization: `Bearer ${await token(user)}` } : {} });
  };

  const sheetOf = async (response: Response) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await response.arrayBuffer());
    const sheet = wb.worksheets[0];
    const rows: string[][] = [];
    sheet.eachRow((row) => {
      const values: string[] = [];
      for (let c = 1; c <= 12; c++) {
        const cell = row.getCell(c);
        values.push(cell.value instanceof Date ? cell.value.toISOString().slice(0, 10) : cell.text);
      }
      rows.push(values);
    });
    return rows;
  };

  beforeAll(async () => {
    api = await startTestApi({ clock });
    base = api.url.replace(/\/graphql$/, '');
    const { units } = api.fixture;
    // The dictionary the fixture's units need: the migration seeds none.
    const words: [keyof typeof units, string, number][] = [
      ['swj', '污水', 2],
      ['swj', '河道', 1],
      ['swj', '水污染', 1],
      ['swj', '供水', 1],
      ['swj', '水环境', 1],
      ['jw', '教育', 1],
      ['jw', '学校', 1],
      ['jw', '中小学', 1],
      ['jw', '学位', 1],
      ['sz', '上庄', 1],
      ['fgw', '投资', 1],
    ];
    for (const [unit, keyword, weight] of words) {
      dataOf(await as('admin', SET_KEYWORD, { input: { orgUnitId: units[unit].id, keyword, weight } }));
    }
  });

  afterAll(() => api.close());

  describe('the keyword dictionary (admin)', () => {
    it('lists, upserts and removes keywords; only admins may', async () => {
      const { units } = api.fixture;
      const all = dataOf(await as('admin', KEYWORDS, {})).unitKeywords;
      expect(all.totalCount).toBe(11);
      const water = dataOf(await as('admin', KEYWORDS, { orgUnitId: units.swj.id })).unitKeywords;
      expect(water.edges.map((e) => e.node.keyword).sort()).toEqual(
        ['供水', '水污染', '水环境', '污水', '河道'].sort(),
      );
      expect(water.edges.every((e) => e.node.orgUnit.name === '区水务局')).toBe(true);
      const sewage = water.edges.find((e) => e.node.keyword === '污水')!.node;
      expect(sewage.weight).toBe(2);
      // Any substring of the keyword finds it, within a unit too; % is an ordinary character.
      const found = async (variables: DecompositionKeywordsQueryVariables) =>
        dataOf(await as('admin', KEYWORDS, variables))
          .unitKeywords.edges.map((e) => e.node.keyword)
          .sort();
      expect(await found({ search: '污' })).toEqual(['水污染', '污水'].sort());
      expect(await found({ search: '水', orgUnitId: units.swj.id })).toEqual(
        ['供水', '水污染', '水环境', '污水'].sort(),
      );
      expect(await found({ search: '%' })).toEqual([]);

      // Setting an existing keyword changes its weight, on the same row.
      const again = dataOf(
        await as('admin', SET_KEYWORD, {
          input: { orgUnitId: units.swj.id, keyword: ' 污水 ', weight: 3 },
        }),
      ).setUnitKeyword;
      expect(again).toMatchObject({ id: sewage.id, weight: 3 });
      expect(dataOf(await as('admin', KEYWORDS, {})).unitKeywords.totalCount).toBe(11);
      dataOf(
        await as('admin', SET_KEYWORD, { input: { orgUnitId: units.swj.id, keyword: '污水', weight: 2 } }),
      );

      // Default weight 1; removed again.
      const extra = dataOf(
        await as('admin', SET_KEYWORD, {
          input: { orgUnitId: units.hd.id, keyword: '海淀街道' },
        }),
      ).setUnitKeyword;
      expect(extra).toMatchObject({ keyword: '海淀街道', weight: 1 });
      const removed = await as('admin', REMOVE_KEYWORD, {
        id: extra.id,
      });
      expect(dataOf(removed).removeUnitKeyword.id).toBe(extra.id);
      expect(dataOf(await as('admin', KEYWORDS, {})).unitKeywords.totalCount).toBe(11);
      expect(outcomeOf(await as('admin', REMOVE_KEYWORD, { id: extra.id }))).toBe('NOT_FOUND');

      // A government office does not take tasks: no keywords for it.
      const office = await as('admin', SET_KEYWORD, { input: { orgUnitId: units.gov.id, keyword: '统筹' } });
      expect(office.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'orgUnitId' });
      const tooHeavy = await as('admin', SET_KEYWORD, {
        input: { orgUnitId: units.jw.id, keyword: '课堂', weight: 11 },
      });
      expect(tooHeavy.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'weight' });

      for (const user of ['leader', 'inspector', 'fgwOfficer']) {
        expect(outcomeOf(await as(user, KEYWORDS, {}))).toBe('FORBIDDEN');
        const input = { orgUnitId: units.swj.id, keyword: '排水' };
        expect(outcomeOf(await as(user, SET_KEYWORD, { input }))).toBe('FORBIDDEN');
        expect(outcomeOf(await as(user, REMOVE_KEYWORD, { id: sewage.id }))).toBe('FORBIDDEN');
      }
      expect(outcomeOf(await api.gql(KEYWORDS, {}))).toBe('UNAUTHENTICATED');
    });

    it('suggests units for a text: a department leads, a town named in it supports', async () => {
      const text = '推进污水管网建设，完成上庄地区河道清淤';
      const suggestions = dataOf(await as('leader', SUGGEST, { text })).suggestUnits;
      expect(suggestions.map((s) => [s.orgUnit.name, s.role])).toEqual([
        ['区水务局', 'LEAD'],
        ['上庄地区', 'SUPPORT'],
      ]);
      expect(suggestions[0].keywords.sort()).toEqual(['污水', '河道'].sort());
      // 污水 2 + 河道 1, doubled: the text is scored as a measure's leading sentence.
      expect(suggestions[0].score).toBe(6);
      expect(suggestions[1]).toMatchObject({ keywords: ['上庄'], score: 2 });
      expect(dataOf(await as('inspector', SUGGEST, { text: '加强城市治理' })).suggestUnits).toEqual([]);
      expect(outcomeOf(await as('fgwOfficer', SUGGEST, { text }))).toBe('FORBIDDEN');
    });
  });

  describe('ingesting a plan document', () => {
    it('reads the Haidian 13th five-year plan into targets, indicators and a draft task per measure', async () => {
      const plans = await planCount();
      const result = dataOf(
        await ingest('leader', 'haidian-13th-five-year-plan.txt', readFileSync(SEED_FILE)),
      ).ingestPlan;
      expect(result).toMatchObject({
        chapterCount: 10,
        sectionCount: 36,
        itemCount: 79,
        measureCount: 223,
        plan: {
          title: '北京市海淀区国民经济和社会发展第十三个五年规划纲要',
          kind: 'OUTLINE',
          periodStart: '2015-12-31T16:00:00.000Z',
          periodEnd: '2020-12-31T15:59:59.999Z',
        },
      });
      expect(result.indicatorCount).toBeGreaterThan(0);
      expect(await planCount()).toBe(plans + 1);
      const planId = result.plan.id;

      const CHAPTERS = graphql(`
        query DecompositionChapters($id: ID!) {
          plan(id: $id) {
            targets(level: CHAPTER) {
              number
              title
              level
            }
          }
        }
      `);
      const chapters = dataOf(await as('leader', CHAPTERS, { id: planId })).plan.targets;
      expect(chapters.map((c) => c.title)).toEqual([
        '在新的城市战略定位下谋划海淀新发展',
        '优化提升首都中心城区功能',
        '建设全国科技创新中心核心区',
        '率先形成“高精尖”经济结构',
        '深化文化创新发展',
        '推进生态文明建设',
        '共建共享增进民生福祉',
        '提升城市治理能力',
        '强化持续发展动力',
        '全面保障规划实施',
      ]);
      expect(chapters[9].number).toBe('第十章');

      // One draft per measure, except the measures that review the past period (“十二五”时期发展回顾) and
      // those that frame the plan (指导思想, 基本要求, 发展目标, and the chapter 全面保障规划实施): the tree
      // keeps them, but they ask nothing of anyone. Before issue 17 the framing ones gave 17 drafts more (214).
      const TARGETS = graphql(`
        query DecompositionTargets($id: ID!) {
          plan(id: $id) {
            targets {
              id
              parentId
              title
              level
            }
          }
        }
      `);
      const targets = dataOf(await as('leader', TARGETS, { id: planId })).plan.targets;
      const byId = new Map(targets.map((t) => [t.id, t]));
      const underReview = (id: string | null | undefined): boolean =>
        id != null && (/回顾|成就/.test(byId.get(id)!.title) || underReview(byId.get(id)!.parentId));
      const framing = (id: string | null | undefined): boolean =>
        id != null &&
        (/^(?:指导思想|基本要求|发展目标|全面保障规划实施)$/.test(byId.get(id)!.title) ||
          framing(byId.get(id)!.parentId));
      const measures = targets.filter((t) => t.level === 'MEASURE');
      const tasks = measures.filter((m) => !underReview(m.parentId) && !framing(m.parentId));
      expect(measures).toHaveLength(223);
      expect(measures.filter((m) => underReview(m.parentId))).toHaveLength(9);
      expect(tasks).toHaveLength(197);
      expect(result.draftTaskCount).toBe(tasks.length);

      // Pages of 100 follow each other in document order, numbered 1…n.
      const drafts = await draftsOf(planId, 100);
      const n = tasks.length;
      expect(drafts.map((d) => d.code)).toEqual(Array.from({ length: n }, (_, i) => String(i + 1)));
      expect(drafts.map((d) => d.position)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      expect(drafts.map((d) => d.targetIds)).toEqual(tasks.map((t) => [t.id]));
      expect(drafts.every((d) => d.taskId === null && d.targets.length === 1)).toBe(true);
      expect(drafts.every((d) => d.targets[0].level === 'MEASURE')).toBe(true);
      // Every deadline is the end of a day in Beijing; most are the end of the plan period.
      expect(drafts.filter((d) => !END_OF_BEIJING_DAY.test(d.dueAt))).toEqual([]);
      expect(drafts.filter((d) => d.dueAt === '2020-12-31T15:59:59.999Z').length).toBeGreaterThan(100);
      expect(drafts.every((d) => d.dueAt <= '2020-12-31T15:59:59.999Z')).toBe(true);

      // The water-pollution measure: 区水务局 suggested to lead, with its score and the keywords that hit.
      const water = drafts.find((d) => d.title === '实施重点工程,推进水污染治理')!;
      expect(water).toBeDefined();
      expect(water.description).toContain('污水');
      const suggestions = water.suggestions;
      expect(suggestions[0]).toMatchObject({ orgUnit: { name: '区水务局' }, role: 'LEAD' });
      expect(suggestions[0].score).toBeGreaterThanOrEqual(3);
      expect(suggestions[0].keywords).toEqual(expect.arrayContaining(['污水', '水污染']));
      expect(water.leadUnits).toEqual([{ name: '区水务局' }]);
      // Suggestions are ordered by score; each unit once.
      const scores = suggestions.map((s) => s.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
      expect(new Set(suggestions.map((s) => s.orgUnit.name)).size).toBe(suggestions.length);
      // Measures no keyword matches start without a lead unit.
      expect(drafts.some((d) => d.leadUnits.length === 0)).toBe(true);
    });

    it('refuses unit officers, other file types and text without a plan in it', async () => {
      const plans = await planCount();
      const forbidden = await ingest('fgwOfficer', 'plan.md', MARKDOWN_PLAN);
      expect(outcomeOf(forbidden)).toBe('FORBIDDEN');
      expect(outcomeOf(await ingest('inspector', 'plan.md', MARKDOWN_PLAN))).toBe('FORBIDDEN');

      const pdf = await ingest('leader', 'plan.pdf', '%PDF-1.4\n%%EOF\n');
      expect(pdf.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'fileName' });
      const empty = await ingest('leader', 'empty.txt', '  \n\n\u3000\n');
      expect(empty.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'file' });
      const prose = await ingest('leader', 'note.txt', '今天天气很好，我们去公园散步');
      expect(prose.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
      const binary = await ingest(
        'leader',
        'garbage.txt',
        Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x81, 0xfe]),
      );
      expect(binary.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
      const brokenDocx = await ingest('leader', 'broken.docx', 'not a zip at all');
      expect(brokenDocx.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'file' });
      const notBase64 = await as('leader', INGEST, {
        input: { file: { fileName: 'a.txt', content: '%%%' } },
      });
      expect(notBase64.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'file.content',
      });
      expect(await planCount()).toBe(plans);
    });

    it('reads a Markdown plan with （一）/1. numbering, deadlines from its text and suggested units', async () => {
      const result = dataOf(await ingest('leader', '2026重点工作.md', MARKDOWN_PLAN)).ingestPlan;
      expect(result).toMatchObject({
        plan: {
          title: '海淀区2026年重点工作任务',
          periodStart: '2025-12-31T16:00:00.000Z',
          periodEnd: '2026-12-31T15:59:59.999Z',
        },
        chapterCount: 2,
        sectionCount: 3,
        itemCount: 0,
        measureCount: 5,
        draftTaskCount: 5,
      });
      yearly = result.plan;
      const drafts = await draftsOf(yearly.id);
      expect(
        drafts.map((d) => [
          d.code,
          d.title,
          d.leadUnits.map((u) => u.name),
          d.supportUnits.map((u) => u.name),
          d.dueAt,
        ]),
      ).toEqual([
        ['1', '推进污水管网建设', ['区水务局'], [], endOfDay('2026-09-30')],
        ['2', '开展河道综合整治', ['区水务局'], ['上庄地区'], endOfDay('2026-12-31')],
        ['3', '新建改扩建中小学校', ['区教委'], [], endOfDay('2026-08-31')],
        ['4', '推动教育集团化办学', ['区教委'], [], endOfDay('2026-12-31')],
        ['5', '推进政务服务改革', [], [], endOfDay('2026-12-31')],
      ]);
      expect(drafts[0].description).toBe('2026年4月底前完成设计，2026年9月底前完成清河流域污水管网改造。');
      // The earlier deadline in the text is a milestone.
      expect(drafts[0].milestones.map((m) => m.dueAt)).toEqual([endOfDay('2026-04-30')]);
      expect(drafts[0].targets).toEqual([{ title: '推进污水管网建设。', level: 'MEASURE' }]);
    });

    it('reads a .docx plan', async () => {
      const docx = minimalDocx([
        '海淀区2026年教育工作要点',
        '一、办好人民满意的教育',
        '（一）扩大优质教育资源',
        '1.新建改扩建中小学校。年底前新增学位3000个。',
      ]);
      const result = dataOf(await ingest('admin', '教育工作要点.docx', docx)).ingestPlan;
      expect(result).toMatchObject({
        plan: { title: '海淀区2026年教育工作要点' },
        chapterCount: 1,
        sectionCount: 1,
        measureCount: 1,
        draftTaskCount: 1,
      });
      const [draft] = await draftsOf(result.plan.id);
      expect(draft).toMatchObject({
        code: '1',
        title: '新建改扩建中小学校',
        leadUnits: [{ name: '区教委' }],
        dueAt: endOfDay('2026-12-31'),
      });
    });
  });

  describe('editing drafts', () => {
    it('updates units, leader, deadline and milestones, refusing stale versions and unknown units', async () => {
      const { units, users } = api.fixture;
      const [first] = await draftsOf(yearly.id);
      const input = {
        id: first.id,
        version: first.version,
        leadUnitIds: [units.swj.id],
        supportUnitIds: [units.hd.id, units.qh.id],
        responsibleLeaderId: users.leader.id,
        dueAt: endOfDay('2026-10-31'),
        milestones: [
          { title: '完成设计', dueAt: endOfDay('2026-04-30') },
          { title: '开工建设', dueAt: endOfDay('2026-06-30') },
        ],
      };
      const updated = dataOf(await update('leader', input)).updateDraftTask;
      expect(updated).toMatchObject({
        code: '1',
        version: first.version + 1,
        leadUnits: [{ name: '区水务局' }],
        supportUnits: [{ name: '海淀街道' }, { name: '清河街道' }],
        responsibleLeader: { username: 'leader', displayName: '王副区长' },
        dueAt: endOfDay('2026-10-31'),
        milestones: [
          { title: '完成设计', dueAt: endOfDay('2026-04-30') },
          { title: '开工建设', dueAt: endOfDay('2026-06-30') },
        ],
        title: first.title,
      });

      const stale = await update('leader', { id: first.id, version: first.version, title: '过期的修改' });
      expect(stale.errors?.[0].extensions).toMatchObject({
        code: 'CONFLICT',
        currentVersion: updated.version,
      });

      const v = updated.version;
      const unknown = await update('leader', {
        id: first.id,
        version: v,
        supportUnitIds: [units.hd.id, '00000000-0000-4000-8000-000000000000'],
      });
      expect(unknown.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'supportUnitIds.1',
      });
      const office = await update('leader', { id: first.id, version: v, leadUnitIds: [units.gov.id] });
      expect(office.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'leadUnitIds.0' });
      const twice = await update('leader', { id: first.id, version: v, supportUnitIds: [units.swj.id] });
      expect(twice.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'supportUnitIds' });
      const notLeader = await update('leader', {
        id: first.id,
        version: v,
        responsibleLeaderId: users.fgwHead.id,
      });
      expect(notLeader.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'responsibleLeaderId',
      });
      const lateMilestone = await update('leader', {
        id: first.id,
        version: v,
        dueAt: endOfDay('2026-05-31'),
      });
      expect(lateMilestone.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'milestones.1.dueAt',
      });
      expect(outcomeOf(await update('fgwOfficer', { id: first.id, version: v, title: '越权' }))).toBe(
        'FORBIDDEN',
      );
      expect(
        outcomeOf(
          await update('leader', { id: '00000000-0000-4000-8000-000000000000', version: 1, title: 'x' }),
        ),
      ).toBe('NOT_FOUND');

      // None of the refused edits changed anything.
      const [after] = await draftsOf(yearly.id);
      expect(after).toMatchObject({ version: v, supportUnits: [{ name: '海淀街道' }, { name: '清河街道' }] });

      // Support units back to what the plan asks for.
      dataOf(await update('leader', { id: first.id, version: v, supportUnitIds: [] }));
    });

    it('answers an explicit null for a required draft field with BAD_USER_INPUT, not a server error', async () => {
      const [, second] = await draftsOf(yearly.id);
      const result = await update('leader', { id: second.id, version: second.version, title: null });
      const noUnits = await update('leader', { id: second.id, version: second.version, leadUnitIds: null });
      expect([outcomeOf(result), outcomeOf(noUnits)]).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
      const [, unchanged] = await draftsOf(yearly.id);
      expect(unchanged).toMatchObject({ title: second.title, version: second.version });
    });

    it('merges two drafts into the first: codes renumbered, measures and units united', async () => {
      const before = await draftsOf(yearly.id);
      const [, , schools, groups, service] = before;
      const stale = await merge('leader', [schools, { id: groups.id, version: groups.version - 1 }]);
      expect(outcomeOf(stale)).toBe('CONFLICT');

      const merged = dataOf(
        // Listed later one first: the merge keeps the earlier draft anyway.
        await merge('leader', [groups, schools]),
      ).mergeDraftTasks;
      expect(merged).toMatchObject({
        id: schools.id,
        code: '3',
        title: '新建改扩建中小学校',
        leadUnits: [{ name: '区教委' }],
        dueAt: endOfDay('2026-12-31'),
      });
      expect(merged.targetIds.sort()).toEqual([...schools.targetIds, ...groups.targetIds].sort());
      expect(merged.targets.map((t) => t.title).sort()).toEqual(
        ['推动教育集团化办学。', '新建改扩建中小学校。'].sort(),
      );
      expect(merged.description).toBe(`${schools.description}\n${groups.description}`);
      const after = await draftsOf(yearly.id);
      expect(after.map((d) => [d.code, d.position, d.id])).toEqual([
        ['1', 1, before[0].id],
        ['2', 2, before[1].id],
        ['3', 3, schools.id],
        ['4', 4, service.id],
      ]);
    });

    it('refuses to merge a draft with itself', async () => {
      const text = [
        '海淀区2026年合并测试工作要点',
        '一、测试',
        '1.甲任务。内容甲。',
        '2.乙任务。内容乙。',
      ].join('\n');
      const planId = dataOf(await ingest('leader', 'merge.txt', text)).ingestPlan.plan.id;
      const [one] = await draftsOf(planId);
      const self = await merge('leader', [one, one]);
      expect(outcomeOf(self)).toBe('BAD_USER_INPUT');
      const [still] = await draftsOf(planId);
      expect(still).toMatchObject({ id: one.id, description: one.description, version: one.version });
    });

    it('removes drafts that are not tasks; their measures stay in the plan', async () => {
      const REMOVE = graphql(`
        mutation DecompositionRemoveDrafts($input: RemoveDraftTasksInput!) {
          removeDraftTasks(input: $input) {
            id
            code
          }
        }
      `);
      const text = [
        '海淀区2026年删除测试工作要点',
        '一、测试',
        '1.甲任务。内容甲。',
        '2.乙任务。内容乙。',
        '3.丙任务。内容丙。',
      ].join('\n');
      const planId = dataOf(await ingest('leader', 'remove.txt', text)).ingestPlan.plan.id;
      const [one, two, three] = await draftsOf(planId);
      const ref = { id: two.id, version: two.version };
      expect(outcomeOf(await as('fgwOfficer', REMOVE, { input: { drafts: [ref] } }))).toBe('FORBIDDEN');
      const stale = await as('leader', REMOVE, { input: { drafts: [{ ...ref, version: ref.version + 1 }] } });
      expect(outcomeOf(stale)).toBe('CONFLICT');
      const removed = dataOf(await as('leader', REMOVE, { input: { drafts: [ref] } }));
      expect(removed.removeDraftTasks.map((d) => d.id)).toEqual([two.id]);
      expect((await draftsOf(planId)).map((d) => [d.id, d.code])).toEqual([
        [one.id, '1'],
        [three.id, '2'],
      ]);
      const MEASURES = graphql(`
        query DecompositionMeasures($id: ID!) {
          plan(id: $id) {
            targets(level: MEASURE) {
              id
            }
          }
        }
      `);
      const measures = dataOf(await as('leader', MEASURES, { id: planId })).plan.targets;
      expect(measures.map((m) => m.id)).toEqual([...one.targetIds, ...two.targetIds, ...three.targetIds]);
    });

    it('splits a draft into two: the later drafts move down', async () => {
      const before = await draftsOf(yearly.id);
      const river = before[1];
      const parts = dataOf(
        await as('leader', SPLIT, {
          input: {
            id: river.id,
            version: river.version,
            parts: [
              { title: '开展河道综合整治', description: '完成岸线整治。' },
              { title: '完成上庄地区河道清淤', description: '年底前完成河道清淤。' },
            ],
          },
        }),
      ).splitDraftTask;
      expect(parts.map((p) => [p.code, p.title, p.description])).toEqual([
        ['2', '开展河道综合整治', '完成岸线整治。'],
        ['3', '完成上庄地区河道清淤', '年底前完成河道清淤。'],
      ]);
      expect(parts[0].id).toBe(river.id);
      // Both parts keep the draft's units, deadline and measure.
      for (const part of parts) {
        expect(part).toMatchObject({
          leadUnits: river.leadUnits,
          supportUnits: river.supportUnits,
          dueAt: river.dueAt,
          targetIds: river.targetIds,
        });
      }
      const after = await draftsOf(yearly.id);
      expect(after.map((d) => [d.code, d.title])).toEqual([
        ['1', '推进污水管网建设'],
        ['2', '开展河道综合整治'],
        ['3', '完成上庄地区河道清淤'],
        ['4', '新建改扩建中小学校'],
        ['5', '推进政务服务改革'],
      ]);
      expect(after[3].id).toBe(before[2].id);
      const stale = await as('leader', SPLIT, {
        input: { id: river.id, version: river.version, parts: [{ title: '甲' }, { title: '乙' }] },
      });
      expect(outcomeOf(stale)).toBe('CONFLICT');
    });
  });

  describe('submitting a decomposition for approval', () => {
    it('lists every draft without a lead unit, then publishes all drafts once approved', async () => {
      const { units } = api.fixture;
      const plans = await planCount();
      // Every problem at once: 第4项 given 第1项's 序号, 第5项 without a lead unit.
      const schools = (await draftsOf(yearly.id))[3];
      dataOf(await update('leader', { id: schools.id, version: schools.version, code: '1' }));
      const incomplete = await submit('admin', yearly.id);
      const [, , , clash, service] = await draftsOf(yearly.id);
      expect(incomplete.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'planId',
        issues: [
          { draftTaskId: clash.id, code: '1', field: 'code' },
          { draftTaskId: service.id, code: '5', field: 'leadUnitIds' },
        ],
      });
      dataOf(await update('leader', { id: clash.id, version: clash.version, code: '4' }));
      expect(outcomeOf(await submit('fgwOfficer', yearly.id))).toBe('FORBIDDEN');

      dataOf(
        await update('leader', { id: service.id, version: service.version, leadUnitIds: [units.fgw.id] }),
      );
      const request = dataOf(await submit('admin', yearly.id, '请审定')).submitDecomposition;
      const drafts = await draftsOf(yearly.id);
      expect(request).toMatchObject({
        kind: 'DECOMPOSITION',
        status: 'PENDING',
        currentStep: 1,
        planId: yearly.id,
        taskId: null,
        task: null,
      });
      expect((request.payload as { draftTaskIds?: string[] }).draftTaskIds).toEqual(drafts.map((d) => d.id));
      expect(request.steps.map((s) => [s.name, s.status, s.approvers.map((a) => a.username)])).toEqual([
        ['督查室审核', 'PENDING', ['inspector']],
        ['区领导审定', 'WAITING', ['leader']],
      ]);

      // Under review the drafts stay as submitted.
      const [first, second] = drafts;
      const edit = await update('leader', { id: first.id, version: first.version, title: '审定中修改' });
      expect(edit.errors?.[0].extensions.code).toBe('CONFLICT');
      expect(outcomeOf(await merge('leader', [first, second]))).toBe('CONFLICT');
      expect(outcomeOf(await submit('leader', yearly.id))).toBe('CONFLICT');
      expect((await tasksOf(yearly.id)).totalCount).toBe(0);

      // Waiting for the inspectorate first, then for the district leader.
      const INBOX = graphql(`
        query DecompositionInbox {
          myApprovalInbox {
            edges {
              node {
                id
                kind
              }
            }
          }
        }
      `);
      const inboxOf = async (user: string) =>
        dataOf(await as(user, INBOX, {})).myApprovalInbox.edges.map((e) => [e.node.id, e.node.kind]);
      const APPROVAL_REQUEST = graphql(`
        query DecompositionApprovalRequest($id: ID!) {
          approvalRequest(id: $id) {
            id
          }
        }
      `);
      expect(await inboxOf('inspector')).toEqual([[request.id, 'DECOMPOSITION']]);
      expect(await inboxOf('leader')).toEqual([]);
      expect(outcomeOf(await as('fgwOfficer', APPROVAL_REQUEST, { id: request.id }))).toBe('FORBIDDEN');
      expect(outcomeOf(await decide('leader', request.id))).toBe('FORBIDDEN');
      expect(dataOf(await decide('inspector', request.id)).decideApproval).toMatchObject({
        status: 'PENDING',
        currentStep: 2,
      });
      expect(await inboxOf('leader')).toEqual([[request.id, 'DECOMPOSITION']]);
      expect((await tasksOf(yearly.id)).totalCount).toBe(0);
      // The final approval, sent five times at once: one decision publishes, the others find it decided.
      const finals = await Promise.all(
        Array.from({ length: 5 }, () => decide('leader', request.id, 'APPROVE', '同意')),
      );
      expect(finals.map(outcomeOf).sort()).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'ok']);
      expect(finals.find((r) => !r.errors)!.data!.decideApproval).toMatchObject({
        status: 'APPROVED',
        currentStep: null,
      });

      // Each draft became the task of its code, with its lead and support units' shares.
      const published = await draftsOf(yearly.id);
      expect(published.map((d) => [d.code, d.task?.code, d.task?.title])).toEqual(
        published.map((d) => [d.code, d.code, d.title]),
      );
      expect(published.every((d) => d.taskId === d.task?.id)).toBe(true);
      const tasks = await tasksOf(yearly.id);
      expect(tasks.totalCount).toBe(5);
      const byCode = new Map(tasks.edges.map((e) => [e.node.code, e.node]));
      expect(byCode.get('1')).toMatchObject({
        title: '推进污水管网建设',
        status: 'ASSIGNED',
        dueAt: endOfDay('2026-10-31'),
        responsibleLeader: { displayName: '王副区长' },
        assignments: [{ role: 'LEAD', orgUnit: { name: '区水务局' } }],
      });
      const shares = (code: string) =>
        byCode
          .get(code)!
          .assignments.map((a) => [a.role, a.orgUnit.name])
          .sort();
      expect(shares('3')).toEqual([
        ['LEAD', '区水务局'],
        ['SUPPORT', '上庄地区'],
      ]);
      expect(shares('5')).toEqual([['LEAD', '区发展改革委']]);
      const MILESTONES = graphql(`
        query DecompositionTaskMilestones($id: ID!) {
          task(id: $id) {
            milestones {
              title
              dueAt
            }
          }
        }
      `);
      const milestones = dataOf(await as('leader', MILESTONES, { id: byCode.get('1')!.id })).task.milestones;
      expect(milestones).toEqual([
        { title: '完成设计', dueAt: endOfDay('2026-04-30') },
        { title: '开工建设', dueAt: endOfDay('2026-06-30') },
      ]);

      // The lead units' officers find the new shares on their lists.
      const MY_LIST = graphql(`
        query DecompositionMyAssignments($planId: ID) {
          myAssignments(filter: { planId: $planId }, first: 50) {
            edges {
              node {
                role
                status
                task {
                  code
                }
              }
            }
          }
        }
      `);
      const listOf = async (user: string) =>
        dataOf(await as(user, MY_LIST, { planId: yearly.id }))
          .myAssignments.edges.map((e) => [e.node.task.code, e.node.role, e.node.status])
          .sort();
      expect(await listOf('swjOfficer')).toEqual([
        ['1', 'LEAD', 'ASSIGNED'],
        ['2', 'LEAD', 'ASSIGNED'],
        ['3', 'LEAD', 'ASSIGNED'],
      ]);
      expect(await listOf('fgwOfficer')).toEqual([['5', 'LEAD', 'ASSIGNED']]);
      expect(await listOf('zgcOfficer')).toEqual([]);

      // The publication is on the plan's audit trail.
      const TRAIL = graphql(`
        query DecompositionAuditTrail($id: ID!) {
          auditTrail(entityId: $id) {
            action
            after
          }
        }
      `);
      const trail = dataOf(await as('admin', TRAIL, { id: yearly.id })).auditTrail;
      const publications = trail.filter((e) => e.action === 'decomposition.publish');
      expect(publications).toHaveLength(1);
      expect(publications[0].after).toMatchObject({ requestId: request.id, published: 5 });
      const VERIFY = graphql(`
        query DecompositionVerifyAuditChain {
          verifyAuditChain {
            ok
          }
        }
      `);
      const chain = dataOf(await as('admin', VERIFY, {}));
      expect(chain.verifyAuditChain.ok).toBe(true);

      // Nothing left to publish: a second submission is refused and creates nothing twice.
      const again = await submit('admin', yearly.id);
      expect(again.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'planId' });
      expect((await tasksOf(yearly.id)).totalCount).toBe(5);
      const publishedEdit = await update('leader', {
        id: first.id,
        version: published[0].version,
        title: '已发布',
      });
      expect(publishedEdit.errors?.[0].extensions).toMatchObject({
        code: 'CONFLICT',
        taskId: published[0].taskId,
      });
      expect(await planCount()).toBe(plans);
    });

    it('publishes nothing on rejection; the drafts become editable again', async () => {
      const { units } = api.fixture;
      const result = dataOf(
        await ingest(
          'leader',
          '河道.txt',
          ['海淀区2026年河道治理工作要点', '一、河道治理', '1.整治小月河河道。年底前完成。'].join('\n'),
        ),
      ).ingestPlan;
      const planId = result.plan.id;
      const [draft] = await draftsOf(planId);
      expect(draft.leadUnits).toEqual([{ name: '区水务局' }]);

      // Submitted by the district leader: the requester does not approve their own request.
      const request = dataOf(await submit('leader', planId)).submitDecomposition;
      expect(request.steps.map((s) => [s.name, s.status, s.approvers.map((a) => a.username)])).toEqual([
        ['督查室审核', 'PENDING', ['inspector']],
        ['区领导审定', 'SKIPPED', []],
      ]);
      expect(outcomeOf(await decide('inspector', request.id, 'REJECT'))).toBe('BAD_USER_INPUT');
      expect(
        dataOf(await decide('inspector', request.id, 'REJECT', '请明确配合单位')).decideApproval,
      ).toMatchObject({
        status: 'REJECTED',
      });
      expect((await tasksOf(planId)).totalCount).toBe(0);
      const [rejected] = await draftsOf(planId);
      expect(rejected).toMatchObject({ taskId: null, task: null, version: draft.version });

      const edited = dataOf(
        await update('leader', { id: draft.id, version: draft.version, supportUnitIds: [units.hd.id] }),
      ).updateDraftTask;
      expect(edited.supportUnits).toEqual([{ name: '海淀街道' }]);
      // Withdrawn by the requesting office: the drafts are editable again, and it can be submitted anew.
      const withdrawn = dataOf(await submit('leader', planId)).submitDecomposition;
      const WITHDRAW = graphql(`
        mutation DecompositionWithdraw($id: ID!) {
          withdrawApproval(requestId: $id) {
            status
          }
        }
      `);
      expect(outcomeOf(await as('fgwOfficer', WITHDRAW, { id: withdrawn.id }))).toBe('FORBIDDEN');
      expect(dataOf(await as('admin', WITHDRAW, { id: withdrawn.id }))).toEqual({
        withdrawApproval: { status: 'WITHDRAWN' },
      });
      expect((await tasksOf(planId)).totalCount).toBe(0);
      // Three submissions at once open one request.
      const submissions = await Promise.all([1, 2, 3].map(() => submit('leader', planId)));
      expect(submissions.map(outcomeOf).sort()).toEqual(['CONFLICT', 'CONFLICT', 'ok']);
      const second = submissions.find((r) => !r.errors)!.data!.submitDecomposition;
      expect(second).toMatchObject({ status: 'PENDING', currentStep: 1 });
      expect(dataOf(await decide('inspector', second.id)).decideApproval.status).toBe('APPROVED');
      const tasks = await tasksOf(planId);
      expect(
        tasks.edges.map((e) => [
          e.node.code,
          e.node.title,
          e.node.assignments.map((a) => a.orgUnit.name).sort(),
        ]),
      ).toEqual([['1', '整治小月河河道', ['区水务局', '海淀街道'].sort()]]);
    });
  });

  describe('Excel task lists', () => {
    const HEADERS = [
      '序号',
      '任务名称',
      '任务内容',
      '牵头单位',
      '配合单位',
      '责任领导',
      '完成时限',
      '状态',
      '红黄绿灯',
      '进度',
      '最新进展',
      '督办级别',
    ];

    const summary = (t: {
      code: string;
      title: string;
      description: string;
      dueAt: string;
      leader: string | null;
      lead: string[];
      support: string[];
    }) => ({ ...t, lead: [...t.lead].sort(), support: [...t.support].sort() });
    const ofTask = (t: TaskNode) =>
      summary({
        code: t.code,
        title: t.title,
        description: t.description,
        dueAt: t.dueAt,
        leader: t.responsibleLeader?.displayName ?? null,
        lead: t.assignments.filter((a) => a.role === 'LEAD').map((a) => a.orgUnit.name),
        support: t.assignments.filter((a) => a.role === 'SUPPORT').map((a) => a.orgUnit.name),
      });
    const ofDraft = (d: Draft) =>
      summary({
        code: d.code,
        title: d.title,
        description: d.description,
        dueAt: d.dueAt,
        leader: d.responsibleLeader?.displayName ?? null,
        lead: d.leadUnits.map((u) => u.name),
        support: d.supportUnits.map((u) => u.name),
      });
    const byCode = <T extends { code: string }>(list: T[]) =>
      [...list].sort((a, b) => a.code.localeCompare(b.code));

    it('exports a published plan as a printable workbook in the import layout', async () => {
      const response = await download(yearly.id, 'leader');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      expect(response.headers.get('content-disposition')).toContain('attachment');
      const bytes = Buffer.from(await response.clone().arrayBuffer());
      const rows = await sheetOf(response);
      expect(rows[0][0]).toBe(yearly.title);
      expect(rows[1][0]).toBe('导出时间：2026-03-02　共 5 项');
      expect(rows[2]).toEqual(HEADERS);
      expect(rows.slice(3).map((r) => [r[0], r[1], r[3], r[4], r[5], r[6], r[7], r[9]])).toEqual([
        ['1', '推进污水管网建设', '区水务局', '', '王副区长', '2026-10-31', '待签收', '0%'],
        ['2', '开展河道综合整治', '区水务局', '上庄地区', '', '2026-12-31', '待签收', '0%'],
        ['3', '完成上庄地区河道清淤', '区水务局', '上庄地区', '', '2026-12-31', '待签收', '0%'],
        ['4', '新建改扩建中小学校', '区教委', '', '', '2026-12-31', '待签收', '0%'],
        ['5', '推进政务服务改革', '区发展改革委', '', '', '2026-12-31', '待签收', '0%'],
      ]);
      expect(rows.slice(3).every((r) => ['绿', '黄', '红', ''].includes(r[8]))).toBe(true);

      // The downloaded file imports as it is: the same tasks, as drafts of a new list.
      const imported = dataOf(await importList('leader', 'export.xlsx', bytes, 2026)).importTaskList;
      expect(imported).toMatchObject({ draftTaskCount: 5, plan: { title: yearly.title, kind: 'TASK_LIST' } });
      const original = byCode((await tasksOf(yearly.id)).edges.map((e) => ofTask(e.node)));
      expect(byCode((await draftsOf(imported.plan.id)).map(ofDraft))).toEqual(original);
    });

    it('round-trips: the downloaded list imported into a new list publishes the same tasks and units', async () => {
      const tasks = (await tasksOf(yearly.id)).edges.map((e) => e.node);
      // The file exactly as the download gives it: export → import into a new list.
      const response = await download(yearly.id, 'leader');
      expect(response.status).toBe(200);
      const file = Buffer.from(await response.arrayBuffer());
      const plans = await planCount();
      const imported = dataOf(await importList('leader', '折子工程.xlsx', file, 2026)).importTaskList;
      expect(imported).toMatchObject({
        draftTaskCount: tasks.length,
        plan: { title: yearly.title, kind: 'TASK_LIST' },
      });
      expect(await planCount()).toBe(plans + 1);
      const request = dataOf(await submit('admin', imported.plan.id)).submitDecomposition;
      dataOf(await decide('inspector', request.id));
      expect(dataOf(await decide('leader', request.id)).decideApproval.status).toBe('APPROVED');

      const original = byCode(tasks.map(ofTask));
      const copy = byCode((await tasksOf(imported.plan.id)).edges.map((e) => ofTask(e.node)));
      expect(copy).toHaveLength(5);
      expect(copy).toEqual(original);
    });

    it('gives unit officers only the rows they can see, and filters by unit', async () => {
      const { units } = api.fixture;
      expect((await download(yearly.id, null)).status).toBe(401);
      expect((await download('not-a-uuid', 'leader')).status).toBe(400);
      expect((await download(yearly.id, 'leader', 'nope')).status).toBe(400);
      expect((await download('00000000-0000-4000-8000-000000000000', 'leader')).status).toBe(404);

      const codes = async (user: string, unit?: string) => {
        const response = await download(yearly.id, user, unit);
        expect(response.status).toBe(200);
        return (await sheetOf(response)).slice(3).map((r) => r[0]);
      };
      // A unit sees the tasks it has a share in (TaskListExportService: AccessPolicy.taskCondition).
      expect(await codes('swjOfficer')).toEqual(['1', '2', '3']);
      expect(await codes('fgwOfficer')).toEqual(['5']);
      expect(await codes('zgcOfficer')).toEqual([]);
      expect(await codes('inspector')).toEqual(['1', '2', '3', '4', '5']);
      // ?unit= narrows to the tasks on that unit's list, within what the reader may see.
      expect(await codes('leader', units.jw.id)).toEqual(['4']);
      expect(await codes('leader', units.sz.id)).toEqual(['2', '3']);
      // Another unit's list is refused, not narrowed to nothing (board-visibility.e2e.spec.ts covers the rule).
      expect((await download(yearly.id, 'swjOfficer', units.jw.id)).status).toBe(403);

      // Another unit's report on a shared task stays out of a unit's file, as it does in its GraphQL view.
      const [share] = await api.dataSource.query<{ id: string }[]>(
        `SELECT a.id FROM assignment a JOIN task t ON t.id = a.task_id
         WHERE t.plan_id = $1 AND t.code = '2' AND a.org_unit_id = $2`,
        [yearly.id, units.sz.id],
      );
      await api.dataSource.query(
        `INSERT INTO progress_report (assignment_id, period, text, percent, submitted_by_id, submitted_at)
         VALUES ($1, '2026-02', '上庄的进展说明', 30, $2, now())`,
        [share.id, api.fixture.users.admin.id],
      );
      const latest = async (user: string) =>
        (await sheetOf(await download(yearly.id, user))).slice(3).find((r) => r[0] === '2')?.[10];
      expect(await latest('leader')).toContain('上庄的进展说明');
      expect(await latest('swjOfficer')).not.toContain('上庄的进展说明');
    });

    it('reports every problem of an import with its row and column, and imports nothing', async () => {
      const plans = await planCount();
      const header = ['序号', '任务名称', '任务内容', '牵头单位', '配合单位', '责任领导', '完成时限'];
      const file = await workbook([
        ['2026年测试折子工程'],
        header,
        PROJECT_ROW,
        ['2', '整治背街小巷', '', '区市容委', '', '', '年底前'],
        ['3', '建设智慧校园', '', '区教委', '', '', '争取尽快完成'],
        ['4', '', '只有内容没有任务名称', '区教委', '', '', '2026-09-30'],
        ['1', '推进垃圾分类', '', '区教委', '', '', '2026年10月底前'],
      ]);
      const failed = await importList('leader', '错误.xlsx', file, 2026);
      expect(failed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'file' });
      const issues = failed.errors![0].extensions.issues as Issue[];
      expect(issues.map((i) => [i.row, i.column, i.header])).toEqual([
        [4, 'leadUnits', '牵头单位'],
        [5, 'deadline', '完成时限'],
        [6, 'title', '任务名称'],
        [7, 'code', '序号'],
      ]);
      expect(issues[0].message).toContain('区市容委');
      expect(await planCount()).toBe(plans);

      const notExcel = await importList('leader', 'plan.xlsx', Buffer.from('not a workbook'), 2026);
      expect(notExcel.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        issues: [{ row: null, column: null }],
      });
      const noDeadline = await workbook([
        ['序号', '任务名称', '牵头单位'],
        ['1', '甲', '区教委'],
      ]);
      const missing = await importList('leader', 'missing.xlsx', noDeadline, 2026);
      expect(missing.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        issues: [{ row: 1, column: 'deadline' }],
      });
      expect(outcomeOf(await importList('swjOfficer', 'x.xlsx', file, 2026))).toBe('FORBIDDEN');
      expect(await planCount()).toBe(plans);
    });

    it('resolves abbreviated unit names, leader names and Chinese deadlines', async () => {
      const { users } = api.fixture;
      const file = await workbook([
        ['附件1'],
        ['2026年测试折子工程'],
        ['序号', '任务名称', '任务内容', '牵头单位', '配合单位', '责任领导', '完成时限'],
        ['一、稳增长', '', '', '', '', '', ''],
        PROJECT_ROW,
        ['2', '整治上庄河道', '', '北京市海淀区水务局', '上庄镇、区教委', '', '年底前'],
      ]);
      const imported = dataOf(await importList('leader', '2026折子工程.xlsx', file, 2026)).importTaskList;
      expect(imported).toMatchObject({
        draftTaskCount: 2,
        plan: {
          title: '2026年测试折子工程',
          kind: 'TASK_LIST',
          periodStart: '2025-12-31T16:00:00.000Z',
          periodEnd: endOfDay('2026-12-31'),
        },
      });
      const drafts = await draftsOf(imported.plan.id);
      expect(
        drafts.map((d) => ({
          code: d.code,
          title: d.title,
          description: d.description,
          lead: d.leadUnits.map((u) => u.name),
          support: d.supportUnits.map((u) => u.name),
          leader: d.responsibleLeader?.username ?? null,
          dueAt: d.dueAt,
        })),
      ).toEqual([
        {
          code: '1',
          title: '推进重点项目建设',
          description: '完成年度投资计划',
          lead: ['区发展改革委'],
          support: ['区水务局'],
          leader: users.leader.username,
          dueAt: endOfDay('2026-06-30'),
        },
        {
          code: '2',
          title: '整治上庄河道',
          description: '',
          lead: ['区水务局'],
          support: ['上庄地区', '区教委'],
          leader: null,
          dueAt: endOfDay('2026-12-31'),
        },
      ]);
    });

    it('asks which unit or leader a name means when two answer to it, instead of guessing', async () => {
      const { units, users } = api.fixture;
      // A former name both bureaus once used, and a second leader with the same name.
      await api.dataSource.query(
        `UPDATE org_unit SET aliases = aliases || '{区水利教育局}' WHERE id = ANY($1)`,
        [[units.swj.id, units.jw.id]],
      );
      const [namesake] = await api.dataSource.query<{ id: string }[]>(
        `INSERT INTO app_user (username, display_name, title, password_hash, role, org_unit_id)
         SELECT 'namesake', display_name, '副区长', password_hash, role, org_unit_id FROM app_user WHERE id = $1
         RETURNING id`,
        [users.leader.id],
      );
      try {
        const plans = await planCount();
        const file = await workbook([
          ['序号', '任务名称', '任务内容', '牵头单位', '配合单位', '责任领导', '完成时限'],
          ['1', '水利设施', '', '区水利教育局', '', '', '年底前'],
          ['2', '重点项目', '', '区发改委', '', users.leader.displayName, '年底前'],
        ]);
        const failed = await importList('leader', '重名.xlsx', file, 2026);
        const issues = failed.errors![0].extensions.issues as Issue[];
        expect(issues.map((i) => [i.row, i.column])).toEqual([[2, 'leadUnits']]);
        expect(issues[0].message).toContain('区水务局');
        expect(await planCount()).toBe(plans);

        // Two leaders of one name: the draft names both for the leader to choose; the file imports.
        const namesakes = await workbook([
          ['序号', '任务名称', '任务内容', '牵头单位', '配合单位', '责任领导', '完成时限'],
          ['1', '重点项目', '', '区发改委', '', users.leader.displayName, '年底前'],
        ]);
        const { plan } = dataOf(await importList('leader', '重名领导.xlsx', namesakes, 2026)).importTaskList;
        const [draft] = await draftsOf(plan.id);
        expect(draft.responsibleLeader).toBeNull();
        expect(draft.issues).toEqual([
          {
            kind: 'AMBIGUOUS_LEADER',
            phrase: users.leader.displayName,
            candidates: [
              { name: users.leader.displayName },
              { name: `${users.leader.displayName}（副区长）` },
            ],
          },
        ]);
      } finally {
        await api.dataSource.query(`DELETE FROM app_user WHERE id = $1`, [namesake.id]);
        await api.dataSource.query(
          `UPDATE org_unit SET aliases = array_remove(aliases, '区水利教育局') WHERE id = ANY($1)`,
          [[units.swj.id, units.jw.id]],
        );
      }
    });

    it('expands blanket terms before splitting, keeps a vague unit as an issue that blocks submission', async () => {
      const { units } = api.fixture;
      const file = await workbook([
        ['序号', '任务名称', '任务内容', '牵头单位', '配合单位', '责任领导', '完成时限'],
        ['1', '深化垃圾分类', '', '区发改委', '区教委、各街道、镇', '', '长期坚持'],
        ['2', '老旧小区改造', '', '区教委', '区发改委，相关街道', '', '年底前'],
        ['3', '新建学校', '新建学校3所。（牵头单位：区教委；配合单位：各镇）', '', '', '', '年底前'],
      ]);
      const { plan } = dataOf(await importList('leader', '街镇.xlsx', file, 2026)).importTaskList;
      const drafts = await draftsOf(plan.id);
      const locals = ['中关村街道', '学院路街道', '海淀街道', '清河街道', '上庄地区'];
      expect(
        drafts.map((d) => [d.leadUnits.map((u) => u.name), d.supportUnits.map((u) => u.name).sort()]),
      ).toEqual([
        [['区发展改革委'], ['区教委', ...locals].sort()],
        [['区教委'], ['区发展改革委']],
        [['区教委'], ['上庄地区']],
      ]);
      expect(drafts.map((d) => d.issues)).toEqual([
        [],
        [{ kind: 'VAGUE_UNIT', phrase: '相关街道', candidates: [] }],
        [],
      ]);

      const refused = await submit('leader', plan.id);
      expect(refused.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        issues: [{ code: '2', field: 'supportUnitIds', kind: 'VAGUE_UNIT', phrase: '相关街道' }],
      });
      // Naming the streets settles it: the unit chosen is marked as the leader's, the one written stays the text's.
      const second = drafts[1];
      const settled = dataOf(
        await update('leader', {
          id: second.id,
          version: second.version,
          supportUnitIds: [units.fgw.id, units.zgc.id],
        }),
      ).updateDraftTask;
      expect(settled.issues).toEqual([]);
      const UNITS = graphql(`
        query DecompositionDraftUnits($planId: ID!) {
          draftTasks(planId: $planId, first: 3) {
            edges {
              node {
                units {
                  orgUnit {
                    name
                  }
                  source
                }
              }
            }
          }
        }
      `);
      const sources = dataOf(await as('leader', UNITS, { planId: plan.id })).draftTasks.edges[1].node.units;
      expect(sources.map((u) => [u.orgUnit.name, u.source])).toEqual([
        ['区教委', 'TEXT'],
        ['区发展改革委', 'TEXT'],
        ['中关村街道', 'EDITED'],
      ]);
      expect(outcomeOf(await submit('leader', plan.id))).toBe('ok');
    });

    it('keeps a 序号 written as text when drafts are merged, and renumbers plain numbers', async () => {
      const file = await workbook([
        ['序号', '任务名称', '任务内容', '牵头单位', '配合单位', '责任领导', '完成时限'],
        ['1', '甲', '', '区发改委', '', '', '年底前'],
        ['2', '乙', '', '区发改委', '', '', '年底前'],
        ['（三）1', '丙', '', '区教委', '', '', '年底前'],
        ['4', '丁', '', '区教委', '', '', '年底前'],
      ]);
      const { plan } = dataOf(await importList('leader', '序号.xlsx', file, 2026)).importTaskList;
      const [first, second] = await draftsOf(plan.id);
      dataOf(await merge('leader', [first, second]));
      expect((await draftsOf(plan.id)).map((d) => [d.code, d.title])).toEqual([
        ['1', '甲'],
        ['（三）1', '丙'],
        ['3', '丁'],
      ]);
    });
  });
});
