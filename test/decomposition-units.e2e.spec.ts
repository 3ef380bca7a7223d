import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEMO_PASSWORD } from '@zhezi/seed';
import { graphql } from './gql';
import type { TypedDocumentString, UpdateDraftTaskInput } from './gql/graphql';
import { dataOf } from './support/ops';
import { startSeededApi, type SeededApi } from './support/seeded-api';
import type { GqlResult } from './support/test-api';

const FIXTURE = resolve(__dirname, 'fixtures/task-division-2026.txt');
const EXPECTED = resolve(__dirname, 'fixtures/task-division-2026.units.json');

const LOGIN = graphql(`
  mutation DecompositionUnitsLogin($u: String!, $p: String!) {
    login(username: $u, password: $p) {
      token
    }
  }
`);
const VIEWER = graphql(`
  query DecompositionUnitsViewer {
    viewer {
      id
    }
  }
`);
const INGEST = graphql(`
  mutation DecompositionUnitsIngest($input: IngestPlanInput!) {
    ingestPlan(input: $input) {
      plan {
        id
      }
      draftTaskCount
    }
  }
`);
const DRAFTS = graphql(`
  query DecompositionUnitsDrafts($planId: ID!) {
    draftTasks(planId: $planId, first: 100) {
      edges {
        node {
          id
          version
          code
          title
          units {
            role
            source
            orgUnit {
              name
            }
          }
          responsibleLeader {
            username
          }
          issues {
            kind
            role
            phrase
            message
            candidates {
              id
              name
            }
          }
        }
      }
    }
  }
`);
const UPDATE = graphql(`
  mutation DecompositionUnitsUpdateDraft($input: UpdateDraftTaskInput!) {
    updateDraftTask(input: $input) {
      id
      version
      issues {
        kind
      }
    }
  }
`);
const REMOVE = graphql(`
  mutation DecompositionUnitsRemoveDrafts($input: RemoveDraftTasksInput!) {
    removeDraftTasks(input: $input) {
      id
    }
  }
`);
const SUBMIT = graphql(`
  mutation DecompositionUnitsSubmit($input: SubmitDecompositionInput!) {
    submitDecomposition(input: $input) {
      id
    }
  }
`);
const DECIDE = graphql(`
  mutation DecompositionUnitsDecide($input: DecideApprovalInput!) {
    decideApproval(input: $input) {
      status
    }
  }
`);
const UNITS = graphql(`
  query DecompositionUnitsOrgUnits {
    orgUnits {
      id
      name
      kind
    }
  }
`);
const LEADERS = graphql(`
  query DecompositionUnitsLeaders {
    leaderPortfolios {
      leader {
        id
        username
      }
    }
  }
`);
const UNIT_TASKS = graphql(`
  query DecompositionUnitsUnitTasks($planId: ID!, $orgUnitId: ID!) {
    tasks(filter: { planId: $planId, orgUnitId: $orgUnitId }, first: 100) {
      edges {
        node {
          code
          title
        }
      }
    }
  }
`);
const MY_LIST = graphql(`
  query DecompositionUnitsMyAssignments($planId: ID!) {
    myAssignments(filter: { planId: $planId }, first: 100) {
      edges {
        node {
          role
          task {
            title
          }
        }
      }
    }
  }
`);

interface Expected {
  key: string;
  lead: string[];
  support: string[];
  vague?: string[];
  unknown?: string[];
  leader?: { written: string; username?: string; candidates?: string[] };
}
/** The units of the demo units' officers, to look at their own lists. */
const OFFICERS: Record<string, string> = {
  区发展改革委: 'fgw.officer',
  区水务局: 'swj.officer',
  中关村街道: 'zgc.officer',
  学院路街道: 'xyl.officer',
  海淀街道: 'hd.officer',
  上庄地区: 'sz.officer',
};

/**
 * A 任务分工方案 as a district office writes it, from upload to every unit's list: units written in the text
 * (blanket terms expanded), the issues a vague or unknown unit and an ambiguous 责任领导 leave, which block
 * submission until the leader settles them, then approval and publication.
 */
describe('a 任务分工方案 with units written in it, over HTTP on the demo data', () => {
  let api: SeededApi;
  const tokens = new Map<string, string>();
  const expected = (JSON.parse(readFileSync(EXPECTED, 'utf8')) as { measures: Expected[] }).measures;

  beforeAll(async () => {
    api = await startSeededApi();
  }, 120_000);

  afterAll(() => api?.close());

  const post = async <R, V>(doc: TypedDocumentString<R, V>, variables: V, bearer?: string) => {
    const response = await fetch(`${api.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer && { authorization: `Bearer ${bearer}` }) },
      body: JSON.stringify({ query: String(doc), variables }),
    });
    return (await response.json()) as GqlResult<R>;
  };

  async function gql<R, V>(user: string, doc: TypedDocumentString<R, V>, variables: V) {
    let token = tokens.get(user);
    if (!token) {
      token = dataOf(await post(LOGIN, { u: user, p: DEMO_PASSWORD })).login.token;
      tokens.set(user, token);
    }
    return post(doc, variables, token);
  }

  const draftsOf = async (planId: string) =>
    dataOf(await gql('leader', DRAFTS, { planId })).draftTasks.edges.map((e) => e.node);

  it('reads the units the text names, settles its issues, and puts the task on every named unit’s list', async () => {
    // Upload the document as an office would, then ingest it by its upload id.
    const form = new FormData();
    form.append('file', new Blob([readFileSync(FIXTURE)]), '2026年重点任务分工方案.txt');
    await gql('leader', VIEWER, {});
    const uploaded = await fetch(`${api.base}/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.get('leader')}` },
      body: form,
    });
    expect(uploaded.status).toBe(201);
    const { id: uploadId } = (await uploaded.json()) as { id: string };
    const { plan } = dataOf(
      await gql('leader', INGEST, {
        input: { file: { uploadId } },
      }),
    ).ingestPlan;

    const units = dataOf(await gql('admin', UNITS, {})).orgUnits;
    const idOf = (name: string) => units.find((u) => u.name === name)!.id;
    const ofKinds = (...kinds: string[]) => units.filter((u) => kinds.includes(u.kind)).map((u) => u.name);
    const expand = (names: string[]) =>
      names.flatMap(
        (n) =>
          ({
            '*街镇': ofKinds('SUBDISTRICT', 'TOWN'),
            '*街道': ofKinds('SUBDISTRICT'),
            '*镇': ofKinds('TOWN'),
            '*部门': ofKinds('DEPARTMENT'),
          })[n] ?? [n],
      );
    const leaders = dataOf(await gql('admin', LEADERS, {})).leaderPortfolios.map((p) => p.leader);
    const leaderId = (username: string) => leaders.find((l) => l.username === username)!.id;

    // Each measure's draft has the units its text names, marked as written there.
    const drafts = await draftsOf(plan.id);
    const draftOf = (e: Expected) => {
      const found = drafts.filter((d) => d.title.includes(e.key));
      expect(found).toHaveLength(1);
      return found[0];
    };
    for (const e of expected) {
      const draft = draftOf(e);
      const named = (role: string) =>
        draft.units
          .filter((u) => u.role === role)
          .map((u) => u.orgUnit.name)
          .sort();
      const lead = expand(e.lead);
      expect([draft.title, named('LEAD')]).toEqual([draft.title, [...lead].sort()]);
      expect([draft.title, named('SUPPORT')]).toEqual([
        draft.title,
        expand(e.support)
          .filter((n) => !lead.includes(n))
          .sort(),
      ]);
      const phrases = draft.issues.filter((i) => i.role !== null).map((i) => i.phrase);
      expect([draft.title, phrases]).toEqual([draft.title, [...(e.vague ?? []), ...(e.unknown ?? [])]]);
      if (e.leader?.username) expect(draft.responsibleLeader?.username).toBe(e.leader.username);
      if (e.leader?.candidates) {
        const [issue] = draft.issues.filter((i) => i.kind === 'AMBIGUOUS_LEADER');
        expect(issue.candidates.map((c) => c.id)).toEqual(e.leader.candidates.map(leaderId));
      }
      // Measure 10 names a unit with a verb; every measure of this plan names its own.
      expect(draft.units.every((u) => u.source === 'TEXT')).toBe(true);
      expect(draft.title).not.toMatch(/牵头|配合|负责|完成时限/);
    }

    // Paragraphs that are not tasks (指导思想, 工作要求, 保障措施) are removed, as the leader would.
    const measures = new Set(expected.map((e) => draftOf(e).id));
    const others = drafts.filter((d) => !measures.has(d.id)).map((d) => ({ id: d.id, version: d.version }));
    if (others.length) dataOf(await gql('leader', REMOVE, { input: { drafts: others } }));

    // The open issues block submission, each listed with its kind and phrase.
    const refused = await gql('leader', SUBMIT, { input: { planId: plan.id } });
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'planId' });
    const listed = (refused.errors![0].extensions.issues as { kind?: string; phrase?: string }[])
      .filter((i) => i.kind)
      .map((i) => `${i.kind}:${i.phrase}`)
      .sort();
    expect(listed).toEqual(
      [
        'VAGUE_UNIT:相关街道',
        'VAGUE_UNIT:各有关部门',
        'VAGUE_UNIT:相关部门',
        'UNKNOWN_UNIT:区文旅委',
        'AMBIGUOUS_LEADER:分管副区长',
      ].sort(),
    );

    // The leader settles them: the streets meant, the departments meant, the bureau meant, the deputy.
    const settle = async (key: string, change: Omit<UpdateDraftTaskInput, 'id' | 'version'>) => {
      const draft = (await draftsOf(plan.id)).find((d) => d.title.includes(key))!;
      const done = dataOf(
        await gql('leader', UPDATE, {
          input: { id: draft.id, version: draft.version, ...change },
        }),
      ).updateDraftTask;
      expect(done.issues).toEqual([]);
    };
    await settle('推进老旧小区综合整治', {
      supportUnitIds: ['区财政局', '中关村街道', '海淀街道'].map(idOf),
    });
    await settle('提升安全生产和应急管理水平', {
      supportUnitIds: ['区住房城乡建设委', '区市场监管局'].map(idOf),
    });
    await settle('做好退役军人服务保障', {
      supportUnitIds: [...ofKinds('SUBDISTRICT', 'TOWN'), '区民政局'].map(idOf),
    });
    await settle('丰富群众文化体育生活', { leadUnitIds: [idOf('区文化和旅游局')] });
    await settle('稳定和扩大就业', { responsibleLeaderId: leaderId('deputy') });
    const settled = await draftsOf(plan.id);
    const edited = settled.find((d) => d.title.includes('丰富群众文化体育生活'))!;
    expect(edited.units.map((u) => [u.orgUnit.name, u.source])).toEqual([
      ['区文化和旅游局', 'EDITED'],
      ['区体育局', 'TEXT'],
    ]);

    // Submitted, reviewed and approved: published as tasks.
    const request = dataOf(await gql('leader', SUBMIT, { input: { planId: plan.id } })).submitDecomposition;
    // The 督查室, then a district leader other than the one who submitted it.
    for (const user of ['inspector', 'executive']) {
      const decided = await gql(user, DECIDE, {
        input: { requestId: request.id, decision: 'APPROVE', comment: '同意' },
      });
      expect(dataOf(decided).decideApproval.status).toBe(user === 'inspector' ? 'PENDING' : 'APPROVED');
    }

    // Every unit each draft names finds the task on its list (all 29 subdistricts and towns where a blanket
    // term says so), and the demo units' officers see it on theirs.
    const wanted = new Map<string, Set<string>>();
    for (const draft of settled) {
      for (const unit of draft.units) {
        wanted.set(unit.orgUnit.name, (wanted.get(unit.orgUnit.name) ?? new Set()).add(draft.title));
      }
    }
    expect(ofKinds('SUBDISTRICT', 'TOWN').every((name) => wanted.has(name))).toBe(true);
    expect(ofKinds('SUBDISTRICT', 'TOWN')).toHaveLength(29);
    for (const [name, titles] of wanted) {
      const listedTasks = dataOf(
        await gql('inspector', UNIT_TASKS, {
          planId: plan.id,
          orgUnitId: idOf(name),
        }),
      ).tasks.edges.map((e) => e.node.title);
      expect([name, listedTasks.sort()]).toEqual([name, [...titles].sort()]);
      const officer = OFFICERS[name];
      if (officer) {
        const own = dataOf(
          await gql(officer, MY_LIST, {
            planId: plan.id,
          }),
        ).myAssignments.edges.map((e) => e.node.task.title);
        expect([name, own.sort()]).toEqual([name, [...titles].sort()]);
      }
    }
  }, 120_000);
});
