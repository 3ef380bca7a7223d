import { OrgUnitKind, type OrgUnit, type User } from '@zhezi/org';
import { AssignmentRole } from '@zhezi/task';
import { readUnitList, splitUnitList } from './blanket-units';
import { applyEdit, DraftIssueKind, mergeReadings, UnitSource, type DraftUnitFields } from './draft-units';
import { readLeader, type LeaderContext } from './leader-titles';
import { importFailed } from './task-list-file';
import { UnitDirectory } from './unit-directory';
import { findUnitMentions, withoutUnitAnnotations } from './unit-mentions';
import { readRowUnits, readTextUnits } from './unit-reading';

const { DEPARTMENT, SUBDISTRICT, TOWN } = OrgUnitKind;
const unit = (id: string, kind: OrgUnitKind, name: string, ...aliases: string[]) =>
  ({ id, kind, name, aliases }) as OrgUnit;

/** A district in small: five departments, two subdistricts, two towns. */
const directory = new UnitDirectory([
  unit('fgw', DEPARTMENT, '区发展改革委', '海淀区发展和改革委员会', '区发改委'),
  unit('jw', DEPARTMENT, '区教委'),
  unit('czj', DEPARTMENT, '区财政局'),
  unit('kxj', DEPARTMENT, '区科学技术和信息化局', '区科信局', '区科委', '区经信局'),
  unit('wlj', DEPARTMENT, '区文化和旅游局', '区文旅局'),
  unit('zgc', SUBDISTRICT, '中关村街道'),
  unit('hd', SUBDISTRICT, '海淀街道'),
  unit('wl', TOWN, '万柳地区', '海淀镇'),
  unit('sz', TOWN, '上庄地区', '上庄镇'),
]);
const LOCALS = ['zgc', 'hd', 'wl', 'sz'];
const DEPARTMENTS = ['fgw', 'jw', 'czj', 'kxj', 'wlj'];

const ids = (units: OrgUnit[]) => units.map((u) => u.id);
/** The list read: units by id, and the other entries by kind and phrase. */
const listed = (text: string) =>
  readUnitList(text, directory).map((e) => (e.kind === 'UNITS' ? ids(e.units) : `${e.kind}:${e.phrase}`));
const read = (text: string) => {
  const r = readTextUnits(text, directory);
  return { lead: ids(r.lead), support: ids(r.support), issues: r.issues.map((i) => `${i.kind}:${i.phrase}`) };
};

describe('blanket terms come before separators', () => {
  it.each([
    ['各街道、镇', LOCALS],
    ['各街镇', LOCALS],
    ['各镇街', LOCALS],
    ['各街道（镇）', LOCALS],
    ['各街道(镇)', LOCALS],
    ['各街道（地区、镇）', LOCALS],
    ['各街道（地区）', LOCALS],
    ['各街道（地区）办事处', LOCALS],
    ['各街道和镇', LOCALS],
    ['各街道、各镇', LOCALS],
    ['各镇政府、街道（地区）办事处', LOCALS],
    ['全区各街镇', LOCALS],
    ['各街道', ['zgc', 'hd']],
    ['各街道办事处', ['zgc', 'hd']],
    ['各镇', ['wl', 'sz']],
    ['各地区办事处', ['wl', 'sz']],
    ['各部门', DEPARTMENTS],
    ['各委办局', DEPARTMENTS],
    ['区政府各部门', DEPARTMENTS],
    ['区属各部门', DEPARTMENTS],
  ])('%s is one term', (text, expected) => {
    expect(listed(text)).toEqual([expected]);
  });

  it('splits the rest of a list on 、，；/ and spaces, keeping the term whole', () => {
    expect(listed('区财政局、各街道（地区、镇）')).toEqual([['czj'], LOCALS]);
    expect(listed('区发改委，区教委;区财政局/区科信局 区文旅局')).toEqual([
      ['fgw'],
      ['jw'],
      ['czj'],
      ['kxj'],
      ['wlj'],
    ]);
    expect(listed('各街道、镇，区教委')).toEqual([LOCALS, ['jw']]);
  });

  it('reads a conjunction between unit names, and keeps a name that has one whole', () => {
    expect(listed('区财政局和区教委')).toEqual([['czj'], ['jw']]);
    expect(listed('区文化和旅游局')).toEqual([['wlj']]);
    expect(listed('海淀区发展和改革委员会')).toEqual([['fgw']]);
  });

  it('drops 等 and 等部门 closing a list, and keeps 等相关部门 as vague', () => {
    expect(listed('区教委、区财政局等部门')).toEqual([['jw'], ['czj']]);
    expect(listed('区教委等')).toEqual([['jw']]);
    expect(listed('区教委等相关部门')).toEqual([['jw'], 'VAGUE:等相关部门']);
  });

  it.each([
    '相关街道',
    '有关街道',
    '相关街镇',
    '属地街镇',
    '相关部门',
    '有关部门',
    '各有关部门',
    '各相关单位',
    '其他有关部门',
    '区相关部门',
  ])('%s is vague, kept as written', (phrase) => {
    expect(listed(phrase)).toEqual([`VAGUE:${phrase}`]);
  });

  it('keeps an unknown name and a name several units answer to', () => {
    expect(listed('区文旅委、上庄镇')).toEqual(['UNKNOWN:区文旅委', ['sz']]);
    const twice = new UnitDirectory([
      unit('a', DEPARTMENT, '甲局', '水利局'),
      unit('b', DEPARTMENT, '乙局', '水利局'),
    ]);
    expect(readUnitList('水利局', twice)).toMatchObject([{ kind: 'AMBIGUOUS', phrase: '水利局' }]);
  });

  it('keeps the phrases as written, half-width brackets included', () => {
    expect(splitUnitList('区教委、各街道(地区、镇)').map((p) => p.phrase)).toEqual([
      '区教委',
      '各街道(地区、镇)',
    ]);
  });
});

describe('units written in a measure', () => {
  it.each([
    [
      '（牵头单位：区发改委；配合单位：区财政局、各街道（镇）；完成时限：2027年6月底）',
      ['fgw'],
      ['czj', ...LOCALS],
    ],
    ['(牵头单位:区发改委;配合单位:区财政局,上庄镇;完成时限:2026年底)', ['fgw'], ['czj', 'sz']],
    ['（牵头单位：区发改委，配合单位：区财政局）', ['fgw'], ['czj']],
    ['【牵头单位】区教委【配合单位】区财政局', ['jw'], ['czj']],
    ['牵头部门：区教委；协同部门：区财政局、区科委。', ['jw'], ['czj', 'kxj']],
    ['主责单位：区教委；参与单位：各街镇', ['jw'], LOCALS],
    ['（牵头：区教委；配合：区财政局）', ['jw'], ['czj']],
    ['推进学区建设。责任单位：区教委、区财政局、海淀镇。', ['jw'], ['czj', 'wl']],
    ['责任单位：各街道', ['zgc', 'hd'], []],
    ['（责任单位：区科信局牵头，区财政局配合）', ['kxj'], ['czj']],
    ['牵头单位：区教委、区科信局', ['jw', 'kxj'], []],
    ['牵头单位：区教委\n配合单位：区财政局\n完成时限：2026年12月底', ['jw'], ['czj']],
  ])('fields: %s', (text, lead, support) => {
    expect(read(text)).toEqual({ lead, support, issues: [] });
  });

  it.each([
    ['区教委牵头，区财政局配合。', ['jw'], ['czj']],
    ['由区教委牵头，区财政局、上庄镇配合，年底前完成。', ['jw'], ['czj', 'sz']],
    ['全面推进背街小巷整治，由区发改委负责。', ['fgw'], []],
    ['区教委主责，区财政局协同，各街镇参与。', ['jw'], ['czj', ...LOCALS]],
    ['由区发改委会同区财政局负责。', ['fgw'], ['czj']],
    ['（区教委牵头，区财政局参与；完成时限：2026年11月底）', ['jw'], ['czj']],
    ['各街镇负责本辖区的垃圾分类。', LOCALS, []],
    [
      '由区人力社保局负责，区财政局、各街道（地区）办事处配合。责任领导：分管副区长。',
      [],
      ['czj', ...LOCALS],
    ],
  ])('verbs: %s', (text, lead, support) => {
    expect(read(text)).toMatchObject({ lead, support });
  });

  it('takes the fields over verbs elsewhere in the text, which are prose there', () => {
    expect(read('各街镇负责本辖区的宣传工作。（牵头单位：区教委）')).toEqual({
      lead: ['jw'],
      support: [],
      issues: [],
    });
  });

  it('reads nothing from prose that only looks like it', () => {
    for (const prose of [
      '各部门主要负责同志要亲自研究部署。',
      '区政府督查室负责对各项任务落实情况开展督查。',
      '各牵头单位要切实履行主体责任；各配合单位要主动对接、密切配合。',
      '鼓励社会力量参与养老服务，落实企业主体责任。',
      '建立区领导负责制。',
    ]) {
      expect(readTextUnits(prose, directory)).toMatchObject({
        lead: [],
        support: [],
        issues: [],
        named: false,
      });
    }
  });

  it('keeps what it cannot read as issues with their role and phrase', () => {
    expect(read('（牵头单位：区教委；配合单位：区财政局、相关街道）')).toEqual({
      lead: ['jw'],
      support: ['czj'],
      issues: ['VAGUE_UNIT:相关街道'],
    });
    expect(read('（责任单位：区教委牵头，各有关部门配合）')).toEqual({
      lead: ['jw'],
      support: [],
      issues: ['VAGUE_UNIT:各有关部门'],
    });
    expect(read('（牵头单位：区文旅委；配合单位：区教委）')).toEqual({
      lead: [],
      support: ['jw'],
      issues: ['UNKNOWN_UNIT:区文旅委'],
    });
    const [issue] = readTextUnits('（牵头单位：相关部门）', directory).issues;
    expect(issue).toMatchObject({
      kind: DraftIssueKind.VAGUE_UNIT,
      role: AssignmentRole.LEAD,
      phrase: '相关部门',
    });
    expect(issue.message).toContain('牵头单位');
  });

  it('counts a unit once, as lead rather than support', () => {
    expect(read('（牵头单位：区教委；配合单位：区教委、区财政局）')).toMatchObject({
      lead: ['jw'],
      support: ['czj'],
    });
  });

  it('reads a verb clause naming an unknown unit only when it is nothing but the unit and the verb', () => {
    expect(read('区文旅委牵头。')).toMatchObject({ issues: ['UNKNOWN_UNIT:区文旅委'] });
    expect(read('区文旅委牵头举办文化节。')).toMatchObject({ lead: [], issues: [] });
  });

  it('finds the 责任领导 written in the fields', () => {
    expect(findUnitMentions('（牵头单位：区教委；责任领导：常务副区长；完成时限：年底）').leaders).toEqual([
      '常务副区长',
    ]);
  });

  it('takes the annotations out of a title', () => {
    expect(withoutUnitAnnotations('推进垃圾分类（牵头单位：区城管委；完成时限：2026年底）。')).toBe(
      '推进垃圾分类。',
    );
    expect(withoutUnitAnnotations('全面推进背街小巷整治提升，由区城管委负责。')).toBe(
      '全面推进背街小巷整治提升。',
    );
    expect(withoutUnitAnnotations('加强基础研究（含应用基础研究）。')).toBe(
      '加强基础研究（含应用基础研究）。',
    );
  });
});

describe('units in a table row', () => {
  const row = (leadUnits: string, supportUnits: string, content = '') => {
    const r = readRowUnits({ leadUnits, supportUnits, content }, directory);
    return {
      lead: ids(r.lead),
      support: ids(r.support),
      issues: r.issues.map((i) => i.phrase),
      refusals: r.refusals,
    };
  };

  it('expands 各街道、镇 before splitting the cell, so a correct sheet imports', () => {
    expect(row('区教委', '区财政局、各街道、镇')).toEqual({
      lead: ['jw'],
      support: ['czj', ...LOCALS],
      issues: [],
      refusals: [],
    });
  });

  it('refuses a name that matches no unit with its column, and keeps a vague phrase as an issue', () => {
    expect(row('区教委', '相关街道')).toEqual({
      lead: ['jw'],
      support: [],
      issues: ['相关街道'],
      refusals: [],
    });
    expect(row('区市容委', '').refusals.map((r) => [r.column, r.message.includes('区市容委')])).toEqual([
      ['leadUnits', true],
    ]);
  });

  it('fills a role its column leaves empty from what the contents write', () => {
    expect(row('', '', '新建学校3所。（牵头单位：区教委；配合单位：各镇）')).toMatchObject({
      lead: ['jw'],
      support: ['wl', 'sz'],
    });
    expect(row('区发改委', '', '由区教委牵头，区财政局配合')).toMatchObject({
      lead: ['fgw'],
      support: ['czj'],
    });
    const [refusal] = row('', '', '（牵头单位：区文旅委）').refusals;
    expect(refusal.column).toBe('content');
    expect(refusal.message).toContain('区文旅委');
  });
});

describe('leaders by title', () => {
  const leader = (id: string, displayName: string, title: string | null) =>
    ({ id, displayName, title }) as User;
  const mayor = leader('mayor', '陈立华', '区长');
  const executive = leader('executive', '赵启明', '常务副区长');
  const deputy = leader('deputy', '孙海燕', '副区长');
  const context = (leadUnitIds: string[] = [], overseers: [string, string][] = []): LeaderContext => ({
    leaders: [mayor, executive, deputy],
    overseerOf: new Map(overseers),
    leadUnitIds,
    leadUnitNames: leadUnitIds,
  });
  const who = (written: string, ctx = context()) => {
    const r = readLeader(written, ctx);
    if (!r) return null;
    if (r.kind === 'LEADER') return r.leader.id;
    return r.kind === 'CANDIDATES' ? r.candidates.map((c) => c.id) : 'UNKNOWN';
  };

  it('resolves a title exactly one serving leader holds', () => {
    expect(who('区长')).toBe('mayor');
    expect(who('常务副区长')).toBe('executive');
  });

  it('takes the leader overseeing the lead unit when several hold the title, else names the candidates', () => {
    expect(who('副区长')).toEqual(['executive', 'deputy']);
    expect(who('副区长', context(['swj'], [['swj', 'deputy']]))).toBe('deputy');
    expect(who('副区长', context(['swj'], [['swj', 'mayor']]))).toEqual(['executive', 'deputy']);
  });

  it('reads 分管副区长 as the leader overseeing the lead unit, whatever the title', () => {
    expect(who('分管副区长', context(['fgw'], [['fgw', 'mayor']]))).toBe('mayor');
    expect(who('分管区领导', context(['fgw']))).toEqual(['mayor', 'executive', 'deputy']);
    const reading = readLeader('分管副区长', context(['中关村街道']));
    expect(reading).toMatchObject({ kind: 'CANDIDATES', reason: '中关村街道尚未设置分管区领导' });
  });

  it('reads names with or without the title, and refuses no one else', () => {
    expect(who('孙海燕')).toBe('deputy');
    expect(who('孙海燕副区长')).toBe('deputy');
    expect(who('副区长 孙海燕')).toBe('deputy');
    expect(who('王五')).toBe('UNKNOWN');
    expect(who('  ')).toBeNull();
  });
});

describe('a draft’s units after the leader edits them', () => {
  const draft = (): DraftUnitFields => ({
    leadUnitIds: ['jw'],
    supportUnitIds: ['czj'],
    unitSources: { jw: UnitSource.TEXT, czj: UnitSource.SUGGESTED },
    issues: [
      {
        kind: DraftIssueKind.VAGUE_UNIT,
        role: AssignmentRole.SUPPORT,
        phrase: '相关街道',
        message: '',
        candidates: [],
      },
      { kind: DraftIssueKind.AMBIGUOUS_LEADER, role: null, phrase: '副区长', message: '', candidates: [] },
    ],
  });

  it('marks units newly given a role as edited and settles that role’s issues', () => {
    const d = draft();
    const before = { leadUnitIds: d.leadUnitIds, supportUnitIds: d.supportUnitIds };
    d.supportUnitIds = ['czj', 'zgc'];
    applyEdit(d, before, { lead: false, support: true, leader: false });
    expect(d.unitSources).toEqual({ jw: UnitSource.TEXT, czj: UnitSource.SUGGESTED, zgc: UnitSource.EDITED });
    expect(d.issues.map((i) => i.kind)).toEqual([DraftIssueKind.AMBIGUOUS_LEADER]);
    applyEdit(d, before, { lead: false, support: false, leader: true });
    expect(d.issues).toEqual([]);
  });

  it('keeps every open issue and source when drafts merge', () => {
    const [a, b] = [draft(), { ...draft(), unitSources: { fgw: UnitSource.EDITED } }];
    expect(mergeReadings([a, b])).toEqual({
      unitSources: { jw: UnitSource.TEXT, czj: UnitSource.SUGGESTED, fgw: UnitSource.EDITED },
      issues: a.issues,
    });
  });
});

describe('a refused sheet’s message', () => {
  it('leads with the count and one line per distinct problem, the full list in issues', () => {
    const unknown = (row: number) => ({
      row,
      column: 'supportUnits' as const,
      header: '配合单位',
      message: '未找到单位“各街道”',
    });
    const issues = [
      ...Array.from({ length: 40 }, (_, i) => unknown(i + 3)),
      { row: 50, column: 'deadline' as const, header: '完成时限', message: '无法识别完成时限“尽快”' },
    ];
    const error = importFailed(issues);
    expect(error.message).toBe(
      '导入文件有 41 处问题（2 类），未导入任何内容。第 3、4、5 等 40 行“配合单位”：未找到单位“各街道”；' +
        '第 50 行“完成时限”：无法识别完成时限“尽快”',
    );
    expect(error.extensions).toMatchObject({ field: 'file', issues });
  });

  it('shows one problem of each column before a second of any', () => {
    const issues = ['甲', '乙', '丙', '丁'].map((name, i) => ({
      row: i + 2,
      column: 'leadUnits' as const,
      header: '牵头单位',
      message: `未找到单位“${name}”`,
    }));
    issues.push({
      row: 9,
      column: 'deadline' as never,
      header: '完成时限',
      message: '无法识别完成时限“尽快”',
    });
    const { message } = importFailed(issues);
    expect(message).toContain('尽快');
    expect(message).toContain('另有 2 类问题');
  });
});
