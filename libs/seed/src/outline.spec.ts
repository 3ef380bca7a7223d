import { readFileSync } from 'fs';
import { resolve } from 'path';
import { OutlineError, parseChineseNumeral, parseOutline, targetPath } from './outline';
import { resolvePlanFile } from './plan-file';

const REPO_ROOT = resolve(__dirname, '../../..');

describe('parseChineseNumeral', () => {
  it.each([
    ['一', 1],
    ['九', 9],
    ['十', 10],
    ['十一', 11],
    ['二十', 20],
    ['二十三', 23],
    ['一百零五', 105],
    ['两百', 200],
  ])('reads %s as %i', (text, value) => {
    expect(parseChineseNumeral(text)).toBe(value);
  });

  it('rejects other characters', () => {
    expect(() => parseChineseNumeral('十A')).toThrow(OutlineError);
  });
});

describe('targetPath', () => {
  it('zero-pads positions like PlanService.createTarget', () => {
    expect(targetPath([1])).toBe('0001');
    expect(targetPath([10, 2])).toBe('0010.0002');
  });
});

describe('parseOutline on the Haidian 13th five-year plan', () => {
  const chapters = parseOutline(readFileSync(resolvePlanFile(undefined, process.env, REPO_ROOT), 'utf8'));
  const sections = chapters.flatMap((c) => c.sections);

  it('finds 10 chapters and 36 sections', () => {
    expect(chapters).toHaveLength(10);
    expect(chapters.map((c) => c.sections.length)).toEqual([3, 3, 5, 3, 4, 4, 4, 3, 3, 4]);
    expect(sections).toHaveLength(36);
  });

  it('numbers chapters and sections in order', () => {
    expect(chapters.map((c) => c.number)).toEqual([
      '第一章',
      '第二章',
      '第三章',
      '第四章',
      '第五章',
      '第六章',
      '第七章',
      '第八章',
      '第九章',
      '第十章',
    ]);
    chapters.forEach((c, i) => expect(c.ordinal).toBe(i + 1));
    expect(chapters[2].sections.map((s) => s.number)).toEqual([
      '第一节',
      '第二节',
      '第三节',
      '第四节',
      '第五节',
    ]);
  });

  it('keeps the titles as printed', () => {
    expect(chapters[0].title).toBe('在新的城市战略定位下谋划海淀新发展');
    expect(chapters[2].title).toBe('建设全国科技创新中心核心区');
    expect(chapters[3].title).toBe('率先形成“高精尖”经济结构');
    expect(chapters[9].title).toBe('全面保障规划实施');
    expect(chapters[0].sections[0].title).toBe('“十二五”时期发展回顾');
    expect(chapters[5].sections[1].title).toBe('构建全域绿色生态网络');
    expect(chapters[6].sections[2].title).toBe('努力建设“健康海淀”');
    expect(chapters[9].sections[3].title).toBe('广泛动员公众参与');
  });

  it('takes the lead paragraphs as body and stops at the first item', () => {
    expect(chapters[0].body).toMatch(/^“十二五”时期,在市委市政府的坚强领导下/);
    // 第一章第三节 opens with “一、指导思想”: its text belongs to the items.
    expect(chapters[0].sections[2].body).toBe('');
    expect(chapters[9].sections[0].body).toMatch(/^本区国民经济和社会发展各领域/);
  });

  it('leaves out the page around the plan and the figure captions', () => {
    const text = chapters
      .flatMap((c) => [c.title, c.body, ...c.sections.flatMap((s) => [s.title, s.body])])
      .join('\n');
    expect(text).not.toMatch(/SERVICE PHONE|平台注册入口|\.jpg/);
  });
});

describe('parseOutline', () => {
  it('drops a table of contents that repeats the headings', () => {
    const text = [
      '目录',
      '第一章 总则',
      '第一节 目的',
      '第二章 任务',
      '第一章 总则',
      '  本章说明总则。',
      '第一节 目的',
      '  为了演示。',
      '第二章 任务',
      '第一节 重点任务',
    ].join('\n');
    const chapters = parseOutline(text);
    expect(chapters.map((c) => [c.title, c.line, c.sections.length])).toEqual([
      ['总则', 5, 1],
      ['任务', 9, 1],
    ]);
    expect(chapters[0].body).toBe('本章说明总则。');
  });

  it('reads CRLF text, full-width indents and chapters past ten', () => {
    const chapters = Array.from(
      { length: 11 },
      (_, i) => `第${['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一'][i]}章 标题${i + 1}`,
    );
    const parsed = parseOutline([...chapters, '\u3000\u3000正文。'].join('\r\n'));
    expect(parsed).toHaveLength(11);
    expect(parsed[10]).toMatchObject({ number: '第十一章', ordinal: 11, title: '标题11', body: '正文。' });
  });

  it('does not take prose that starts with 第 for a heading', () => {
    const parsed = parseOutline('第一章 总则\n  第一节所列任务应于年底前完成。\n第一节 目的');
    expect(parsed[0].body).toBe('第一节所列任务应于年底前完成。');
    expect(parsed[0].sections).toHaveLength(1);
  });

  it('fails on headings out of order, a section before any chapter, and text without chapters', () => {
    expect(() => parseOutline('第一章 甲\n第三章 丙')).toThrow(
      /第三章 丙 \(line 2\) does not follow number 1/,
    );
    expect(() => parseOutline('第一章 甲\n第一节 子\n第一节 子')).toThrow(OutlineError);
    expect(() => parseOutline('第一节 子\n第一章 甲')).toThrow(/comes before any chapter/);
    expect(() => parseOutline('没有章节的文字')).toThrow(/no chapter headings/);
  });
});
