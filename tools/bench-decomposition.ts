/**
 * `npm run bench:decomposition`: from plan document to task lists, measured on a throwaway database seeded
 * with the Haidian district (units, leaders, the keyword dictionary).
 *
 * 1. Reading the seed plan (structure, indicators, deadlines) against a floor that only splits its lines.
 * 2. Ingesting it as `ingestPlan` does (read, suggest units, write the plan, its targets and the drafts in one
 *    transaction), cold and warm, against a floor that writes the same number of rows in one transaction.
 * 3. Suggestion quality on the hand-labelled sample (test/fixtures/suggestion-sample.json): top-1 and top-3
 *    accuracy of the suggested lead department, against always naming the sample's most frequent lead.
 * 4. Importing a 10,000-row 折子工程 table as `importTaskList` does, against reading the workbook alone.
 * 5. Publishing: the final approval that turns drafts into tasks and shares, for the seed plan's drafts and for
 *    a 10,000-row list (imported as in 4), written in sets; against publishing a 1,000-row list row by row (each
 *    task as one made by hand, as publishing did before) in the same run, as rows per second.
 * 6. Units written in documents (test/fixtures/*.units.json, read by hand): per fixture, the lead units read
 *    exactly, support units' precision and recall, and the vague or unknown units kept as issues.
 * 7. Reading documents (test/fixtures/*.expected.json, read by hand): per fixture, the structure found against
 *    the structure expected (targets per level, draft tasks), and the precision and recall of the indicators
 *    and of the deadlines (kind, day and recurrence).
 * 8. Reading 折子 tables (test/fixtures/*.expected.json of kind "sheet"): the same list as an Excel sheet and as
 *    a Word table, imported as importTaskList does: categories and drafts found/expected, lead units exact,
 *    support units' precision and recall, vague units surfaced, leaders by title, deadlines.
 */
import 'reflect-metadata';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AccessModule } from '@zhezi/access';
import { ApprovalService, ApprovalStatus, Decision } from '@zhezi/approval';
import { AuditModule, verifyAuditChain } from '@zhezi/audit';
import { beijingDay, CoreModule, Role, transactional, type Actor, type AppConfig } from '@zhezi/core';
import {
  DecompositionModule,
  DecompositionService,
  DraftTask,
  readTaskList,
  SuggestionService,
  TaskListImportService,
  writeTaskList,
  type TaskListExportRow,
} from '@zhezi/decomposition';
import { OrgUnit, OrgUnitKind, User } from '@zhezi/org';
import { OutboxModule } from '@zhezi/outbox';
import { DueKind, readPlan, Recurrence, Target, TargetLevel, type DocNode } from '@zhezi/plan';
import { BUNDLED_PLAN_FILE, DISTRICT_UNITS, seedDistrict } from '@zhezi/seed';
import { publishRowByRow } from '../libs/testing/src/row-by-row-publish';
import { Cleanup, configFor, createDatabase, describeMachine, timed } from './bench-deadlines';

const TARGETS = { ingestMs: 500, importRows: 10_000, importMs: 10_000 };
/** `--publish-rows N` and `--baseline-rows N` change the list published in sets and the one row by row. */
const PUBLISH = {
  rows: numberArg('--publish-rows', 10_000),
  baselineRows: numberArg('--baseline-rows', 1_000),
  targetMs: 30_000,
};
const WARM_RUNS = 10;
const PARSE_RUNS = 50;
const SAMPLE = 'test/fixtures/suggestion-sample.json';

const log = (message: string) => console.log(`[bench:decomposition] ${message}`);

function numberArg(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

type App = Awaited<ReturnType<typeof NestFactory.createApplicationContext>>;

@Module({})
class BenchModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: BenchModule,
      imports: [CoreModule.forRoot({ config }), AccessModule, AuditModule, OutboxModule, DecompositionModule],
    };
  }
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95), min: sorted[0] };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

async function repeat(runs: number, work: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push((await timed(work)).ms);
  return samples;
}

function benchRead(text: string): void {
  readPlan({ text });
  const read = stats(repeatSync(PARSE_RUNS, () => readPlan({ text })));
  const floor = stats(repeatSync(PARSE_RUNS, () => text.split(/\r?\n/).filter((l) => /\S/.test(l)).length));
  const plan = readPlan({ text });
  const indicators = plan.measures.reduce((n, m) => n + m.indicators.length, 0);
  const deadlines = plan.measures.filter((m) => m.deadlines.length > 0).length;
  log(
    `read: ${plan.measures.length} measures, ${indicators} indicators, ${deadlines} measures with a deadline; ` +
      `median ${ms(read.median)}, p95 ${ms(read.p95)} (${PARSE_RUNS} runs); ` +
      `floor (split lines) median ${ms(floor.median)}; ratio ${(read.median / floor.median).toFixed(0)}`,
  );
}

function repeatSync(runs: number, work: () => unknown): number[] {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work();
    samples.push(performance.now() - started);
  }
  return samples;
}

async function benchIngest(app: App, actor: Actor) {
  const content = readFileSync(BUNDLED_PLAN_FILE).toString('base64');
  const service = app.get(DecompositionService);
  const ingest = () => service.ingestPlan(actor, { file: { fileName: 'plan.txt', content } });
  const cold = await timed(ingest);
  const warm = stats(await repeat(WARM_RUNS, ingest));
  const { chapterCount, sectionCount, itemCount, measureCount, indicatorCount } = cold.value;
  const rows = chapterCount + sectionCount + itemCount + measureCount;
  const ds = app.get(DataSource);
  const [plan] = await ds.query<{ id: string }[]>(`SELECT id FROM plan ORDER BY created_at LIMIT 1`);
  // The database work alone: as many targets, indicators and drafts, written in one transaction.
  const floor = stats(
    await repeat(WARM_RUNS, () =>
      ds
        .transaction(async (m) => {
          await m.query(
            `INSERT INTO target (plan_id, level, title, body, position, path)
           SELECT $1, 'MEASURE', '措施' || n, repeat('内容', 100), n, 'floor.' || clock_timestamp() || '.' || n
           FROM generate_series(1, $2) n`,
            [plan.id, rows],
          );
          await m.query(
            `INSERT INTO draft_task (plan_id, position, code, title, description, due_at, suggestions)
           SELECT $1, n, n::text, '草稿' || n, repeat('内容', 100), now(), '[{"score": 1}]' FROM generate_series(1, $2) n`,
            [plan.id, measureCount],
          );
          throw new Rollback();
        })
        .catch((error: unknown) => {
          if (!(error instanceof Rollback)) throw error;
        }),
    ),
  );
  log(
    `ingest (seed plan: ${chapterCount} chapters, ${sectionCount} sections, ${itemCount} items, ${measureCount} measures, ` +
      `${indicatorCount} indicators): first run ${ms(cold.ms)} (jieba's dictionary loaded at start-up); ` +
      `warm median ${ms(warm.median)}, p95 ${ms(warm.p95)} (${WARM_RUNS} runs); ` +
      `floor (same rows, one transaction) median ${ms(floor.median)}; ratio ${(warm.median / floor.median).toFixed(1)}; ` +
      `target < ${TARGETS.ingestMs} ms: ${cold.ms < TARGETS.ingestMs && warm.p95 < TARGETS.ingestMs ? 'met' : 'MISSED'}`,
  );
}

class Rollback extends Error {}

interface Labelled {
  title: string;
  lead: string;
  support: string[];
}

async function benchSuggestions(app: App) {
  const sample = (JSON.parse(readFileSync(SAMPLE, 'utf8')) as { measures: Labelled[] }).measures;
  const plan = readPlan({ text: readFileSync(BUNDLED_PLAN_FILE, 'utf8') });
  const units = await app.get(DataSource).getRepository(OrgUnit).find();
  const nameOf = new Map(units.map((u) => [u.id, u.name]));
  const departments = new Set(units.filter((u) => u.kind === OrgUnitKind.DEPARTMENT).map((u) => u.id));
  const suggester = await app.get(SuggestionService).suggester();
  let top1 = 0;
  let top3 = 0;
  let supportFound = 0;
  let supportLabelled = 0;
  const started = performance.now();
  for (const labelled of sample) {
    const measure = plan.measures.find((m) => m.node.title === labelled.title);
    if (!measure) throw new Error(`labelled measure not in the plan: ${labelled.title}`);
    const suggested = suggester.suggest(measure.node.title, measure.node.body);
    const leads = suggested.filter((s) => departments.has(s.orgUnitId)).map((s) => nameOf.get(s.orgUnitId));
    if (leads[0] === labelled.lead) top1++;
    if (leads.slice(0, 3).includes(labelled.lead)) top3++;
    const named = new Set(suggested.map((s) => nameOf.get(s.orgUnitId)));
    supportLabelled += labelled.support.length;
    supportFound += labelled.support.filter((u) => named.has(u)).length;
  }
  const perMeasure = (performance.now() - started) / sample.length;
  const counts = new Map<string, number>();
  for (const l of sample) counts.set(l.lead, (counts.get(l.lead) ?? 0) + 1);
  const [majority, majorityCount] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  const pct = (n: number) => `${((100 * n) / sample.length).toFixed(1)}%`;
  log(
    `suggestions on ${sample.length} hand-labelled measures: top-1 ${pct(top1)}, top-3 ${pct(top3)} ` +
      `(lead department); labelled support units among the suggestions ${((100 * supportFound) / supportLabelled).toFixed(1)}%; ` +
      `baseline (always ${majority}) top-1 ${pct(majorityCount)}; ${perMeasure.toFixed(2)} ms per measure`,
  );
}

/** A 折子工程 table of `count` rows in the export layout: units by full name and abbreviation, deadlines five ways. */
async function taskListFile(app: App, count: number): Promise<Buffer> {
  const units = DISTRICT_UNITS.filter(
    (u) => u.kind !== OrgUnitKind.GOVERNMENT && u.kind !== OrgUnitKind.INSPECTORATE,
  );
  // Tables mix full names and abbreviations, and write deadlines several ways.
  const nameOf = (i: number) => {
    const unit = units[i % units.length];
    return i % 3 === 0 && unit.aliases.length ? unit.aliases[i % unit.aliases.length] : unit.name;
  };
  const deadlines = ['2026年6月底前', '年底前', '2026-09-30', '2026年3月', '2026年12月31日'];
  const leaders = (await app.get(DataSource).getRepository(User).findBy({ role: Role.LEADER })).map(
    (u) => u.displayName,
  );
  const rows: TaskListExportRow[] = Array.from({ length: count }, (_, i) => ({
    code: String(i + 1),
    title: `重点任务第${i + 1}项：推进城市更新和基础设施建设`,
    content: '加快推进老旧小区综合整治，完善配套设施，按期完成年度目标任务。'.repeat(2),
    leadUnits: [nameOf(i)],
    supportUnits: [nameOf(i + 7), nameOf(i + 13)],
    responsibleLeader: leaders[i % leaders.length],
    deadline: deadlines[i % deadlines.length],
    status: '',
    light: '',
    progress: '',
    latestReport: '',
    escalation: '',
  }));
  return writeTaskList('2026年折子工程（压测）', rows);
}

async function benchImport(app: App, actor: Actor) {
  const file = await taskListFile(app, TARGETS.importRows);
  const content = file.toString('base64');
  const importer = app.get(TaskListImportService);
  const once = () =>
    importer.importTaskList(actor, { year: 2026, file: { fileName: 'bench.xlsx', content } });
  const cold = await timed(once);
  const warm = stats(await repeat(3, once));
  const floor = stats(await repeat(3, () => readTaskList(file, { maxRows: TARGETS.importRows })));
  log(
    `import ${cold.value.draftTaskCount} rows (${(file.length / 1024).toFixed(0)} KiB .xlsx): cold ${ms(cold.ms)}, ` +
      `warm median ${ms(warm.median)} (3 runs); floor (read the workbook alone) median ${ms(floor.median)}; ` +
      `ratio ${(warm.median / floor.median).toFixed(2)}; target < ${TARGETS.importMs} ms: ` +
      `${Math.max(cold.ms, warm.p95) < TARGETS.importMs ? 'met' : 'MISSED'}`,
  );
}

async function actorOf(ds: DataSource, username: string): Promise<Actor> {
  const user = await ds.getRepository(User).findOneByOrFail({ username });
  return { userId: user.id, displayName: user.displayName, role: user.role, orgUnitId: user.orgUnitId };
}

/** Submits a plan's drafts and approves them; returns the final approval, timed, and what it wrote. */
async function publishPlan(app: App, planId: string) {
  const ds = app.get(DataSource);
  const [admin, inspector, leader] = await Promise.all(
    ['admin', 'inspector', 'leader'].map((u) => actorOf(ds, u)),
  );
  const approvals = app.get(ApprovalService);
  const request = await app.get(DecompositionService).submit(admin, { planId, comment: '' });
  await approvals.decide(inspector, { requestId: request.id, decision: Decision.APPROVE, comment: '' });
  const final = await timed(() =>
    approvals.decide(leader, { requestId: request.id, decision: Decision.APPROVE, comment: '' }),
  );
  if (final.value.status !== ApprovalStatus.APPROVED) throw new Error(`not published: ${final.value.status}`);
  return { ms: final.ms, written: await writtenFor(ds, planId) };
}

/** Rows a publication wrote for a plan, per table. */
async function writtenFor(ds: DataSource, planId: string) {
  const [row] = await ds.query<({ tasks: number } & Record<string, number>)[]>(
    `WITH t AS (SELECT id FROM task WHERE plan_id = $1), a AS (SELECT id FROM assignment WHERE task_id IN (SELECT id FROM t))
     SELECT (SELECT count(*) FROM t)::int AS tasks,
       (SELECT count(*) FROM milestone WHERE task_id IN (SELECT id FROM t))::int AS milestones,
       (SELECT count(*) FROM a)::int AS shares,
       (SELECT count(*) FROM escalation_state WHERE assignment_id IN (SELECT id FROM a))::int AS ladders,
       (SELECT count(*) FROM notification WHERE subject_id IN (SELECT id FROM a))::int AS notifications,
       (SELECT count(*) FROM audit_event WHERE task_id IN (SELECT id FROM t))::int AS "audit events"`,
    [planId],
  );
  const rows = Object.values(row).reduce((sum, n) => sum + n, 0);
  return {
    ...row,
    rows,
    text: Object.entries(row)
      .map(([k, n]) => `${n.toLocaleString('en')} ${k}`)
      .join(', '),
  };
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** A list of `count` rows imported into a new plan's drafts. */
async function importedList(app: App, actor: Actor, count: number): Promise<string> {
  const file = await taskListFile(app, count);
  const { plan } = await app.get(TaskListImportService).importTaskList(actor, {
    year: 2026,
    file: { fileName: `publish-${count}.xlsx`, content: file.toString('base64') },
  });
  return plan.id;
}

async function benchPublish(app: App) {
  const ds = app.get(DataSource);
  const [admin, leader] = await Promise.all(['admin', 'leader'].map((u) => actorOf(ds, u)));
  const content = readFileSync(BUNDLED_PLAN_FILE).toString('base64');
  const { plan } = await app
    .get(DecompositionService)
    .ingestPlan(admin, { file: { fileName: 'plan.txt', content } });
  // The leader's review, in short: every draft the dictionary left without a lead goes to 区发展改革委.
  await ds.query(
    `UPDATE draft_task SET lead_unit_ids = ARRAY[(SELECT id FROM org_unit WHERE code = 'D001')]
     WHERE plan_id = $1 AND cardinality(lead_unit_ids) = 0`,
    [plan.id],
  );
  const seed = await publishPlan(app, plan.id);
  log(
    `publish the seed plan: the final approval wrote ${seed.written.text} in ${ms(seed.ms)} ` +
      `(${(seed.ms / seed.written.tasks).toFixed(1)} ms per task); load average ${load()}`,
  );

  // The old way, as the baseline of this run: each row of a list through the services that make one task.
  const oldPlan = await importedList(app, admin, PUBLISH.baselineRows);
  const drafts = await ds
    .getRepository(DraftTask)
    .find({ where: { planId: oldPlan }, order: { position: 'ASC' } });
  const old = await timed(() => transactional(ds, (m) => publishRowByRow(app, m, leader, drafts)));
  const oldWritten = await writtenFor(ds, oldPlan);
  const oldRate = oldWritten.tasks / (old.ms / 1000);
  log(
    `publish ${oldWritten.tasks.toLocaleString('en')} rows row by row (baseline): ${(old.ms / 1000).toFixed(1)} s, ` +
      `${oldRate.toFixed(0)} rows/s (${oldWritten.text}); load average ${load()}`,
  );

  const planId = await importedList(app, admin, PUBLISH.rows);
  const big = await publishPlan(app, planId);
  const rate = big.written.tasks / (big.ms / 1000);
  const verify = await timed(() => verifyAuditChain(ds));
  log(
    `publish ${big.written.tasks.toLocaleString('en')} rows in sets: ${(big.ms / 1000).toFixed(1)} s in the final ` +
      `approval, ${rate.toFixed(0)} rows/s, ${(big.written.rows / (big.ms / 1000)).toFixed(0)} rows written/s ` +
      `(${big.written.text}); ratio against row by row ${(rate / oldRate).toFixed(1)}; ` +
      `target < ${PUBLISH.targetMs / 1000} s: ${big.ms < PUBLISH.targetMs ? 'met' : 'MISSED'}; ` +
      `audit chain ${verify.value.ok ? 'verifies' : `BROKEN at ${verify.value.firstBrokenId}`} ` +
      `(${verify.value.checked.toLocaleString('en')} events in ${(verify.ms / 1000).toFixed(1)} s); load average ${load()}`,
  );
}

interface ExpectedUnits {
  fixture: string;
  measures: {
    key: string;
    lead: string[];
    support: string[];
    vague?: string[];
    unknown?: string[];
    leader?: { written: string; username?: string; candidates?: string[] };
  }[];
}

const UNITS_TARGET = 0.95;

const pct = (n: number, of: number) => (of ? `${((100 * n) / of).toFixed(1)}%` : 'n/a');

/**
 * Unit and login names by id, and the hand readings' blanket terms expanded: *街镇 (every subdistrict and
 * town), *街道, *镇, *部门 (every department).
 */
async function namesOf(ds: DataSource) {
  const units = await ds.getRepository(OrgUnit).find({ where: { active: true } });
  const ofKinds = (...kinds: OrgUnitKind[]) => units.filter((u) => kinds.includes(u.kind)).map((u) => u.name);
  const blanket: Record<string, string[]> = {
    '*街镇': ofKinds(OrgUnitKind.SUBDISTRICT, OrgUnitKind.TOWN),
    '*街道': ofKinds(OrgUnitKind.SUBDISTRICT),
    '*镇': ofKinds(OrgUnitKind.TOWN),
    '*部门': ofKinds(OrgUnitKind.DEPARTMENT),
  };
  return {
    nameOf: new Map(units.map((u) => [u.id, u.name])),
    expand: (names: string[]) => new Set(names.flatMap((n) => blanket[n] ?? [n])),
    usernameOf: new Map((await ds.getRepository(User).find()).map((u) => [u.id, u.username])),
  };
}

/** Lead units read exactly, support units right / read / expected, and vague phrases kept, over many drafts. */
class UnitTally {
  leadExact = 0;
  supportRight = 0;
  supportRead = 0;
  supportExpected = 0;
  vagueFound = 0;
  vagueExpected = 0;

  constructor(
    private readonly names: Awaited<ReturnType<typeof namesOf>>,
    private readonly misses: string[],
  ) {}

  /** One draft (or none found) against its hand reading. */
  add(
    draft: DraftTask | undefined,
    want: { key: string; lead: string[]; support: string[]; phrases: string[] },
  ): void {
    const { nameOf, expand } = this.names;
    const named = (ids: string[]) => new Set(ids.map((id) => nameOf.get(id) as string));
    const lead = draft ? named(draft.leadUnitIds) : new Set<string>();
    const support = draft ? named(draft.supportUnitIds) : new Set<string>();
    const wantLead = expand(want.lead);
    const wantSupport = new Set([...expand(want.support)].filter((n) => !wantLead.has(n)));
    if (lead.size === wantLead.size && [...lead].every((n) => wantLead.has(n))) this.leadExact++;
    else this.misses.push(`${want.key}: lead`);
    this.supportRead += support.size;
    this.supportExpected += wantSupport.size;
    this.supportRight += [...support].filter((n) => wantSupport.has(n)).length;
    this.vagueExpected += want.phrases.length;
    this.vagueFound += want.phrases.filter((p) => draft?.issues.some((i) => i.phrase === p)).length;
  }

  get precision() {
    return this.supportRead ? this.supportRight / this.supportRead : 1;
  }

  get recall() {
    return this.supportExpected ? this.supportRight / this.supportExpected : 1;
  }

  /** Lead, precision and recall at the target, every vague phrase kept. */
  met(drafts: number): boolean {
    return (
      this.leadExact / drafts >= UNITS_TARGET &&
      this.precision >= UNITS_TARGET &&
      this.recall >= UNITS_TARGET &&
      this.vagueFound === this.vagueExpected
    );
  }

  text(drafts: number): string {
    return (
      `lead exact ${pct(this.leadExact, drafts)}; support precision ${pct(this.supportRight, this.supportRead)}, ` +
      `recall ${pct(this.supportRight, this.supportExpected)} (${this.supportExpected} units, blanket terms expanded); ` +
      `vague or unknown units surfaced ${this.vagueFound}/${this.vagueExpected}`
    );
  }
}

/** Units each fixture's measures name, read by ingestPlan, against the reading written by hand. */
async function benchUnits(app: App, actor: Actor) {
  const ds = app.get(DataSource);
  const names = await namesOf(ds);
  const { usernameOf } = names;
  for (const file of readdirSync('test/fixtures').filter((f) => f.endsWith('.units.json'))) {
    const expected = JSON.parse(readFileSync(`test/fixtures/${file}`, 'utf8')) as ExpectedUnits;
    const content = readFileSync(expected.fixture).toString('base64');
    const fileName = expected.fixture.split('/').at(-1) as string;
    const ingest = await timed(() =>
      app.get(DecompositionService).ingestPlan(actor, { file: { fileName, content } }),
    );
    const drafts = await ds.getRepository(DraftTask).findBy({ planId: ingest.value.plan.id });
    let leadersRight = 0;
    let leadersExpected = 0;
    const misses: string[] = [];
    const tally = new UnitTally(names, misses);
    for (const m of expected.measures) {
      const draft = drafts.find((d) => d.title.includes(m.key));
      tally.add(draft, { ...m, phrases: [...(m.vague ?? []), ...(m.unknown ?? [])] });
      if (m.leader) {
        leadersExpected++;
        const issue = draft?.issues.find((i) => i.role === null);
        const candidates = issue?.candidates.map((c) => usernameOf.get(c.id)).join(',');
        const right = m.leader.username
          ? draft?.responsibleLeaderId && usernameOf.get(draft.responsibleLeaderId) === m.leader.username
          : candidates === m.leader.candidates?.join(',');
        if (right) leadersRight++;
        else misses.push(`${m.key}: leader`);
      }
    }
    const met = tally.met(expected.measures.length);
    log(
      `units written in ${fileName} (${expected.measures.length} measures, read in ${ms(ingest.ms)}): ` +
        `${tally.text(expected.measures.length)}; leaders ${leadersRight}/${leadersExpected}; ` +
        `target lead, precision, recall >= ${UNITS_TARGET * 100}%, vague 100%: ${met ? 'met' : 'MISSED'}` +
        (misses.length ? `; missed: ${misses.join('; ')}` : ''),
    );
  }
}

interface ExpectedSheet {
  fixtures: string[];
  leadersIn: string[];
  kind: 'sheet';
  year: number;
  structure: { categories: string[]; drafts: number };
  rows: {
    key: string;
    category: string;
    lead: string[];
    support: string[];
    vague?: string[];
    /** The login meant, or the candidates the draft's issue names when the title fits several. */
    leader: string | { candidates: string[] };
    deadline: { kind: DueKind; day: string | null; recurrence: Recurrence | null };
  }[];
}

/** Each 折子 table fixture imported as importTaskList does, against the reading written by hand. */
async function benchSheets(app: App, actor: Actor) {
  const ds = app.get(DataSource);
  const names = await namesOf(ds);
  const { usernameOf } = names;
  for (const file of readdirSync('test/fixtures').filter((f) => f.endsWith('.expected.json'))) {
    const expected = JSON.parse(readFileSync(`test/fixtures/${file}`, 'utf8')) as ExpectedSheet;
    if (expected.kind !== 'sheet') continue;
    for (const fixture of expected.fixtures) {
      const fileName = fixture.split('/').at(-1) as string;
      const content = readFileSync(fixture).toString('base64');
      const imported = await timed(() =>
        app.get(TaskListImportService).importTaskList(actor, {
          file: { fileName, content },
          year: expected.year,
        }),
      );
      const planId = imported.value.plan.id;
      const drafts = await ds.getRepository(DraftTask).findBy({ planId });
      const targets = await ds.getRepository(Target).find({ where: { planId }, order: { path: 'ASC' } });
      const categoryOf = new Map(targets.map((t) => [t.id, `${t.number}${t.title}`]));
      const categories = targets.map((t) => `${t.number}${t.title}`);
      const misses: string[] = [];
      const categoriesRight =
        categories.length === expected.structure.categories.length &&
        categories.every((c, i) => c === expected.structure.categories[i]);
      if (!categoriesRight) misses.push(`categories ${categories.join('/')}`);
      const tally = new UnitTally(names, misses);
      let leadersRight = 0;
      let deadlinesRight = 0;
      let groupedRight = 0;
      const withLeaders = expected.leadersIn.includes(fixture);
      for (const row of expected.rows) {
        const draft = drafts.find((d) => d.title.includes(row.key));
        tally.add(draft, { ...row, phrases: row.vague ?? [] });
        const leader = draft?.responsibleLeaderId ? usernameOf.get(draft.responsibleLeaderId) : undefined;
        const asked = draft?.issues
          .find((i) => i.role === null)
          ?.candidates.map((c) => usernameOf.get(c.id))
          .sort()
          .join(',');
        const right = !withLeaders
          ? leader === undefined && asked === undefined
          : typeof row.leader === 'string'
            ? leader === row.leader
            : leader === undefined && asked === [...row.leader.candidates].sort().join(',');
        if (right) leadersRight++;
        else misses.push(`${row.key}: leader ${leader ?? asked}`);
        if (draft && categoryOf.get(draft.targetIds[0]) === row.category) groupedRight++;
        else misses.push(`${row.key}: category`);
        const day = draft && draft.dueKind !== DueKind.ONGOING ? beijingDay(draft.dueAt) : null;
        const d = row.deadline;
        if (draft && draft.dueKind === d.kind && day === d.day && draft.recurrence === d.recurrence)
          deadlinesRight++;
        else misses.push(`${row.key}: deadline ${draft?.dueKind} ${day} ${draft?.recurrence}`);
      }
      const n = expected.rows.length;
      const deadlines = pr(deadlinesRight, Math.min(drafts.length, n), n);
      const met =
        categoriesRight &&
        drafts.length === expected.structure.drafts &&
        groupedRight === n &&
        tally.met(n) &&
        leadersRight / n >= UNITS_TARGET &&
        deadlines.met;
      log(
        `table ${fileName} (imported in ${ms(imported.ms)}): structure found/expected: categories ` +
          `${categories.length}/${expected.structure.categories.length}${categoriesRight ? '' : ' (differ)'}, ` +
          `drafts ${drafts.length}/${expected.structure.drafts}, tasks in their category ${groupedRight}/${n}; ` +
          `${tally.text(n)}; leaders ${leadersRight}/${n}` +
          `${withLeaders ? '' : ' (no 责任领导 column: none read)'}; deadlines ${deadlines.text}; ` +
          `target figures >= ${UNITS_TARGET * 100}%, vague 100%: ${met ? 'met' : 'MISSED'}` +
          (misses.length ? `; missed: ${misses.join('; ')}` : ''),
      );
    }
  }
}

interface ExpectedReading {
  fixture: string;
  kind: 'plan';
  structure: Record<TargetLevel | 'drafts', number>;
  indicators?: { key: string; value: number; unit: string; recurrence: string | null }[];
  deadlines?: { key: string; kind: DueKind; day: string | null; recurrence: Recurrence | null }[];
}

/** Found, right and expected, as precision and recall. */
function pr(right: number, found: number, expected: number) {
  return {
    text: `precision ${pct(right, found)}, recall ${pct(right, expected)} (${right} right of ${found} found, ${expected} expected)`,
    met:
      (found === 0 || right / found >= UNITS_TARGET) && (expected === 0 || right / expected >= UNITS_TARGET),
  };
}

/** Each fixture's structure, indicators and deadlines as readPlan (what ingestPlan stores) reads them. */
function benchReading(): void {
  for (const file of readdirSync('test/fixtures').filter((f) => f.endsWith('.expected.json'))) {
    const expected = JSON.parse(readFileSync(`test/fixtures/${file}`, 'utf8')) as ExpectedReading;
    if (expected.kind !== 'plan') continue;
    const fileName = expected.fixture.split('/').at(-1) as string;
    const plan = readPlan({ text: readFileSync(expected.fixture, 'utf8') });
    const levels = Object.values(TargetLevel);
    const found: Record<string, number> = Object.fromEntries(levels.map((l) => [l, 0]));
    const visit = (nodes: DocNode[]) =>
      nodes.forEach((n) => {
        found[n.level]++;
        visit(n.children);
      });
    visit(plan.nodes);
    found.drafts = plan.measures.filter((m) => !m.review && m.actionable).length;
    const keys = [...levels, 'drafts'] as const;
    const structureRight = keys.filter((k) => found[k] === expected.structure[k]).length;
    const structure = keys.map((k) => `${k} ${found[k]}/${expected.structure[k]}`).join(', ');
    const parts = [`structure found/expected: ${structure}`];
    let met = structureRight === keys.length;
    const misses: string[] = keys
      .filter((k) => found[k] !== expected.structure[k])
      .map((k) => `structure ${k}`);

    if (expected.indicators) {
      const read = plan.measures.flatMap((m) => m.indicators);
      const wanted = expected.indicators.map((i) => `${i.value} ${i.unit} ${i.recurrence ?? '-'}`);
      const left = [...wanted];
      let right = 0;
      for (const i of read) {
        const at = left.indexOf(`${i.value} ${i.unit} ${i.recurrence ?? '-'}`);
        if (at >= 0) {
          right++;
          left.splice(at, 1);
        } else misses.push(`indicator not expected: ${i.phrase}`);
      }
      misses.push(...left.map((w) => `indicator missed: ${w}`));
      const figures = pr(right, read.length, wanted.length);
      parts.push(`indicators ${figures.text}`);
      met &&= figures.met;
    }
    if (expected.deadlines) {
      const tasks = plan.measures.filter((m) => !m.review && m.actionable);
      let right = 0;
      for (const d of expected.deadlines) {
        const m = tasks.find((t) => `${t.node.title}${t.node.body}`.includes(d.key));
        const day = m && m.dueKind === DueKind.ONGOING ? null : m?.dueDay;
        if (m && m.dueKind === d.kind && day === d.day && m.recurrence === d.recurrence) right++;
        else misses.push(`deadline ${d.key}: ${m ? `${m.dueKind} ${day} ${m.recurrence}` : 'no draft'}`);
      }
      // Every draft carries one deadline: those found are the drafts' deadlines the labels cover.
      const figures = pr(right, Math.min(tasks.length, expected.deadlines.length), expected.deadlines.length);
      parts.push(`deadlines ${figures.text}`);
      met &&= figures.met;
    }
    log(
      `reading ${fileName}: ${parts.join('; ')}; target structure exact, figures >= ${UNITS_TARGET * 100}%: ` +
        `${met ? 'met' : 'MISSED'}${misses.length ? `; missed: ${misses.join('; ')}` : ''}`,
    );
  }
}

async function main(): Promise<void> {
  const cleanup = new Cleanup();
  process.once('SIGINT', () => void cleanup.run().then(() => process.exit(130)));
  try {
    for (const line of await describeMachine()) log(line);
    const url = await createDatabase(`zhezi_bench_decomposition_${process.pid}`, cleanup);
    const app = await NestFactory.createApplicationContext(
      BenchModule.forRoot(configFor(url, `zhezi-bench-decomposition-${process.pid}`)),
      { logger: ['error'] },
    );
    cleanup.add('close the application context', () => app.close());
    const ds = app.get(DataSource);
    await ds.transaction((m) => seedDistrict(m, BUNDLED_PLAN_FILE));
    const admin = await ds.getRepository(User).findOneByOrFail({ username: 'admin' });
    const actor: Actor = {
      userId: admin.id,
      displayName: admin.displayName,
      role: admin.role,
      orgUnitId: admin.orgUnitId,
    };

    // `--publish-only` measures publishing alone.
    if (!process.argv.includes('--publish-only')) {
      benchRead(readFileSync(BUNDLED_PLAN_FILE, 'utf8'));
      benchReading();
      await benchIngest(app, actor);
      await benchSuggestions(app);
      await benchUnits(app, actor);
      await benchSheets(app, actor);
      await benchImport(app, actor);
    }
    await benchPublish(app);
  } finally {
    await cleanup.run();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
