import { OrgUnitKind } from '@zhezi/org';
import { AssignmentRole } from '@zhezi/task';
import { UnitSuggester, type KeywordEntry } from './unit-suggester';

const order = ['water', 'ecology', 'green', 'education', 'shangzhuang', 'wenquan'];
const entry = (orgUnitId: string, unitKind: OrgUnitKind, keyword: string, weight = 1): KeywordEntry => ({
  orgUnitId,
  unitKind,
  keyword,
  weight,
  unitOrder: order.indexOf(orgUnitId),
});
const { DEPARTMENT, TOWN } = OrgUnitKind;

const suggester = new UnitSuggester([
  entry('water', DEPARTMENT, '污水', 2),
  entry('water', DEPARTMENT, '河道'),
  entry('ecology', DEPARTMENT, '污染'),
  entry('ecology', DEPARTMENT, 'PM2.5', 2),
  entry('green', DEPARTMENT, '绿化'),
  entry('education', DEPARTMENT, '学校'),
  entry('shangzhuang', TOWN, '上庄', 2),
  entry('wenquan', TOWN, '温泉', 2),
]);

describe('UnitSuggester', () => {
  it('leads with the department whose keywords weigh most, words inside longer words included', () => {
    const [lead] = suggester.suggest('加快污水处理厂建设。', '整治河道，减少污染。');
    expect(lead).toMatchObject({ orgUnitId: 'water', role: AssignmentRole.LEAD });
    expect(new Set(lead.keywords)).toEqual(new Set(['河道', '污水']));
  });

  it('counts the leading sentence double and a repeated word once', () => {
    const [lead] = suggester.suggest('推进绿化。', '学校学校学校');
    expect(lead.orgUnitId).toBe('green');
    expect(lead.score).toBe(2);
  });

  it('adds departments close behind the lead as support, and the towns named as support', () => {
    const result = suggester.suggest('治理上庄和温泉地区河道污染。', '');
    expect(result.map((s) => [s.orgUnitId, s.role])).toEqual([
      ['water', AssignmentRole.LEAD],
      ['ecology', AssignmentRole.SUPPORT],
      ['shangzhuang', AssignmentRole.SUPPORT],
      ['wenquan', AssignmentRole.SUPPORT],
    ]);
  });

  it('keeps place names whole and matches Latin keywords as written', () => {
    expect(suggester.suggest('PM2.5年均浓度下降。', '')[0].orgUnitId).toBe('ecology');
    expect(suggester.suggest('上庄地区发展。', '').map((s) => s.orgUnitId)).toEqual(['shangzhuang']);
  });

  it('breaks a tie by the order of the unit list', () => {
    expect(suggester.suggest('学校绿化。', '')[0].orgUnitId).toBe('green');
  });

  it('suggests nothing for a text without keywords', () => {
    expect(suggester.suggest('坚持党的领导。', '')).toEqual([]);
  });
});
