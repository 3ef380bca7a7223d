import { describe, expect, it } from 'vitest';
import { buildTree, flatten, levelCounts, levelWord, markPhrases, type FlatTarget } from './tree';

const target = (
  id: string,
  parentId: string | null,
  position: number,
  level: FlatTarget['level'],
): FlatTarget => ({
  id,
  parentId,
  position,
  level,
  number: '',
  title: id,
  body: '',
  dueAt: null,
  indicators: [],
});

describe('the target tree', () => {
  it('nests targets under their parents in position order, whatever order they come in', () => {
    const roots = buildTree([
      target('m2', 's1', 2, 'MEASURE'),
      target('c2', null, 2, 'CHAPTER'),
      target('s1', 'c1', 1, 'SECTION'),
      target('c1', null, 1, 'CHAPTER'),
      target('m1', 's1', 1, 'MEASURE'),
    ]);
    expect(roots.map((r) => r.id)).toEqual(['c1', 'c2']);
    expect(roots[0].children[0].children.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(flatten(roots[0]).map((n) => n.id)).toEqual(['c1', 's1', 'm1', 'm2']);
  });

  it('keeps a target whose parent is not listed as a root rather than losing it', () => {
    expect(buildTree([target('m1', 'gone', 1, 'MEASURE')]).map((r) => r.id)).toEqual(['m1']);
  });

  it('counts the levels as 章 · 节 · 条 · 措施, leaving out the absent', () => {
    expect(
      levelCounts([
        target('a', null, 1, 'CHAPTER'),
        target('b', null, 2, 'CHAPTER'),
        target('c', 'a', 1, 'MEASURE'),
      ]),
    ).toBe('2 章 · 1 措施');
  });
});

describe("marking indicator phrases in a target's text", () => {
  it('cuts the text where each phrase stands, the longer phrase first where two overlap', () => {
    expect(
      markPhrases('绿化覆盖率达53%，人均公园绿地面积达到16平方米。', [
        '人均公园绿地面积达到16平方米',
        '绿化覆盖率达53%',
      ]),
    ).toEqual([
      { text: '绿化覆盖率达53%', marked: true },
      { text: '，', marked: false },
      { text: '人均公园绿地面积达到16平方米', marked: true },
      { text: '。', marked: false },
    ]);
    expect(markPhrases('达到53%', ['53%', '达到53%'])).toEqual([{ text: '达到53%', marked: true }]);
  });

  it('leaves a text without the phrases (or without phrases) whole', () => {
    expect(markPhrases('推进教育均衡发展', ['不在文中'])).toEqual([
      { text: '推进教育均衡发展', marked: false },
    ]);
    expect(markPhrases('', [])).toEqual([]);
  });
});

describe('levelWord', () => {
  it('shows the document’s word for a level, the usual name for a numbering style', () => {
    expect(levelWord({ level: 'PART', levelName: '篇' })).toBe('篇');
    expect(levelWord({ level: 'CHAPTER', levelName: '部分' })).toBe('部分');
    expect(levelWord({ level: 'ITEM', levelName: '一、' })).toBe('条');
    expect(levelWord({ level: 'SECTION' })).toBe('节');
  });
});
