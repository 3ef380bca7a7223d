import { readFileSync } from 'fs';
import { resolve } from 'path';
import { TargetLevel } from '../target.entity';
import { DocNode, parseChineseNumeral, parsePlanDocument, PlanDocumentError } from './plan-document';

const SEED_FILE = resolve(__dirname, '../../../../libs/seed/data/haidian-13th-five-year-plan.txt');

const { CHAPTER, SECTION, ITEM, MEASURE } = TargetLevel;

function flatten(nodes: DocNode[]): DocNode[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children)]);
}

/** A compact view of a tree: level, number and title, with children. */
function outline(nodes: DocNode[]): unknown[] {
  return nodes.map((n) =>
    n.children.length ? [n.level, n.number, n.title, outline(n.children)] : [n.level, n.number, n.title],
  );
}

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
    expect(() => parseChineseNumeral('十A')).toThrow(PlanDocumentError);
  });
});

describe('parsePlanDocument on the Haidian 13th five-year plan', () => {
  const text = readFileSync(SEED_FILE, 'utf8');
  const doc = parsePlanDocument(text);
  const chapters = doc.nodes;
  const all = flatten(chapters);
  const count = (level: TargetLevel): number => all.filter((n) => n.level === level).length;

  it('reads the plan title from the page header', () => {
    expect(doc.title).toBe('北京市海淀区国民经济和社会发展第十三个五年规划纲要');
  });

  it('finds 10 chapters and 36 sections', () => {
    expect(chapters.map((c) => c.level)).toEqual(Array(10).fill(CHAPTER));
    expect(chapters.map((c) => c.children.length)).toEqual([3, 3, 5, 3, 4, 4, 4, 3, 3, 4]);
    expect(chapters.flatMap((c) => c.children).every((s) => s.level === SECTION)).toBe(true);
    expect(count(SECTION)).toBe(36);
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
    expect(chapters[2].children.map((s) => s.number)).toEqual([
      '第一节',
      '第二节',
      '第三节',
      '第四节',
      '第五节',
    ]);
  });

  /*
   * Verified by hand against the file:
   * - items: `grep -cE '^[[:space:]]*[一二三四五六七八九十]+、'` gives 79, none of them containing a full stop;
   *   per chapter (awk counting item lines between 第X章 lines) 3 9 14 8 8 11 13 7 6 0.
   * - measures: every plan paragraph is an indented line. 314 lines are indented; 2 come before 第一章 (the
   *   site's slogan on line 4 and the preamble on line 22), leaving 312 = 10 chapter leads + 79 items +
   *   223 paragraphs. A script walking the headings put 207 of those under an item and 16 under the item-less
   *   sections 第一章第一节 (9), 第一章第二节 (3) and 第十章第一至四节 (1 each); sections with items have no lead.
   */
  it('finds 79 items and 223 measures', () => {
    expect(count(ITEM)).toBe(79);
    expect(count(MEASURE)).toBe(223);
    expect(chapters.map((c) => flatten(c.children).filter((n) => n.level === ITEM).length)).toEqual([
      3, 9, 14, 8, 8, 11, 13, 7, 6, 0,
    ]);
    const underItems = all.filter((n) => n.level === ITEM).flatMap((i) => i.children);
    expect(underItems).toHaveLength(207);
    expect(underItems.every((m) => m.level === MEASURE && m.children.length === 0)).toBe(true);
  });

  it('keeps the titles as printed', () => {
    expect(chapters[0].title).toBe('在新的城市战略定位下谋划海淀新发展');
    expect(chapters[2].title).toBe('建设全国科技创新中心核心区');
    expect(chapters[3].title).toBe('率先形成“高精尖”经济结构');
    expect(chapters[9].title).toBe('全面保障规划实施');
    expect(chapters[0].children[0].title).toBe('“十二五”时期发展回顾');
    expect(chapters[5].children[1].title).toBe('构建全域绿色生态网络');
    expect(chapters[6].children[2].title).toBe('努力建设“健康海淀”');
    expect(chapters[9].children[3].title).toBe('广泛动员公众参与');
    expect(chapters[0].children[2].children.map((i) => [i.number, i.title])).toEqual([
      ['一、', '指导思想'],
      ['二、', '基本要求'],
      ['三、', '发展目标'],
    ]);
    expect(chapters[1].children[2].children.map((i) => i.title)).toEqual([
      '深化农村改革',
      '推进农民市民化',
      '发展都市现代农业',
      '推进基本公共服务均等化全覆盖',
      '加强农村社会治理',
    ]);
    expect(chapters[3].children[1].children[2].title).toBe('加快建设“三山五园”及西山历史文化带');
    expect(chapters[8].children[2].children[1]).toMatchObject({
      number: '二、',
      title: '全力构建法治社会',
      line: 716,
    });
  });

  it('takes the lead paragraphs before the first child as the heading body', () => {
    expect(chapters[0].body).toMatch(/^“十二五”时期,在市委市政府的坚强领导下/);
    expect(chapters[9].body).toMatch(/^坚持党对经济社会工作的领导/);
    expect(chapters.every((c) => c.body !== '' && !c.body.includes('\n'))).toBe(true);
    // Sections open with their first item: no lead text.
    expect(chapters[0].children[2].body).toBe('');
    expect(chapters[5].children[0].body).toBe('');
    expect(all.filter((n) => n.level === SECTION && n.body !== '')).toEqual([]);
  });

  it('splits each paragraph under an item into its lead sentence and the rest', () => {
    const constraint = chapters[5].children[0].children[0];
    expect(constraint).toMatchObject({ number: '一、', title: '建立约束管控机制', line: 412 });
    expect(constraint.children.map((m) => m.title)).toEqual(['严守环境质量底线。', '健全生态确权登记。']);
    expect(constraint.children[0]).toMatchObject({ level: MEASURE, number: '', line: 414, children: [] });
    expect(constraint.children[0].body).toMatch(/^完善建设项目环保准入约束机制,强化约束性指标管理,/);

    const increment = chapters[1].children[0].children[0];
    expect(increment.title).toBe('严格控制增量');
    expect(increment.children[0].title).toBe('严控新增不符合首都中心城区功能的产业。');
    expect(increment.children[0].body).toMatch(
      /^严格执行北京市新增产业禁限目录,严把企业登记、项目审批准入关。/,
    );
    expect(increment.children[1].title).toBe('严格新增教育、医疗及行政性、事业性服务机构等。');

    // A whole paragraph that is one sentence is all title; the lead may run long.
    const guidingIdea = chapters[0].children[2].children[0].children;
    expect(guidingIdea).toHaveLength(1);
    expect(guidingIdea[0].title).toMatch(/^高举中国特色社会主义伟大旗帜,.*作出更大贡献。$/);
    expect(guidingIdea[0].body).toBe('');

    // The ——bullets of 二、基本要求 lose their dash.
    const requirements = chapters[0].children[2].children[1].children;
    expect(requirements.map((m) => m.title)).toEqual([
      '“十三五”时期,要高举建设全国科技创新中心旗帜,全区上下凝心聚力、统筹谋划,进一步强化“海淀区就是核心区、核心区就是海淀区”理念,依托海淀创新创业资源富集的区位优势,持续增强核心竞争力,坚定不移推进科技创新中心核心区建设。',
      '聚焦全国科技创新中心核心区建设。',
      '坚决完成疏功能减人口任务。',
      '全面提升城市治理能力。',
      '大力加强生态环境建设。',
      '持续增强共建共享的获得感。',
    ]);
    expect(requirements[0].body).toBe('基本要求是:');

    // A figure caption between two measures is skipped.
    const traffic = chapters[7].children[0].children[0].children;
    expect(traffic.map((m) => [m.line, m.title])).toEqual([
      [602, '加密轨道交通网线。'],
      [606, '加快城市快速路、主次干(支)路项目建设。'],
      [610, '畅通微循环道路。'],
      [612, '完善绿色出行系统。'],
      [614, '优化静态交通。'],
    ]);
  });

  it('makes the paragraphs of a section without items its measures', () => {
    const review = chapters[0].children[0];
    expect(review.body).toBe('');
    expect(review.children.map((m) => m.level)).toEqual(Array(9).fill(MEASURE));
    expect(review.children[2]).toMatchObject({ title: '科技创新体系建设进一步完善。', line: 34 });
    // ASCII semicolons end a lead like full-width ones.
    expect(review.children[7].title).toBe('“十二五”时期是举全区之力,推动海淀科学发展取得重大进展的五年;');

    const publicParticipation = chapters[9].children[3];
    expect(publicParticipation.children).toHaveLength(1);
    expect(publicParticipation.children[0].title).toBe(
      '本规划的制订凝聚着公众的智慧,规划的落实也需要广泛动员公众参与。',
    );
    expect(publicParticipation.children[0].body).toMatch(
      /^采取多种形式、通过多种渠道,广泛开展“十三五”规划宣传/,
    );
  });

  it('leaves out the page around the plan, the preamble and the figure captions', () => {
    const texts = all.map((n) => `${n.number}${n.title}\n${n.body}`).join('\n');
    expect(texts).not.toMatch(
      /SERVICE PHONE|400-123-4657|诚信为本|行业资讯|当前位置|首页|发布时间|点击量|\.jpg|目录\d|示意图|平台注册入口/,
    );
    // The preamble (line 22) comes before the first heading.
    expect(Math.min(...all.map((n) => n.line))).toBe(24);
    expect(texts).not.toContain('“十三五”时期是全面建成小康社会');
    expect(Math.max(...all.map((n) => n.line))).toBe(742);
  });

  it('reads the same tree from unindented (docx-like) text and from CRLF text', () => {
    const unindented = text.replace(/^[ \t\u3000]+/gm, '');
    expect(parsePlanDocument(unindented)).toEqual(doc);
    expect(parsePlanDocument(text.replace(/\n/g, '\r\n'))).toEqual(doc);
  });
});

describe('parsePlanDocument', () => {
  it('reads 一、/（一）/1./（1） numbering by order of appearance, with numbered paragraphs as measures', () => {
    const doc = parsePlanDocument(
      [
        '海淀区2024年工作要点',
        '发布时间：2024-01-05',
        '一、总体要求',
        '坚持稳中求进工作总基调，推动高质量发展。',
        '二、重点任务',
        '（一）加快建设全国科技创新中心核心区',
        '围绕中关村科学城建设，重点做好以下工作：',
        '1.建设新型研发机构。支持高校院所建设新型研发机构。',
        '2、培育创新型企业。实施“专精特新”企业培育计划。',
        '3．优化创新生态',
        '（1）完善孵化体系。建设一批专业孵化器。',
        '(2)加强知识产权保护；推进知识产权强区建设。',
        '(二)提升城市治理水平',
        '1.推进背街小巷整治。完成100条背街小巷整治提升。',
        '三、保障措施',
      ].join('\n'),
    );
    expect(doc.title).toBe('海淀区2024年工作要点');
    expect(outline(doc.nodes)).toEqual([
      [CHAPTER, '一、', '总体要求', [[MEASURE, '', '坚持稳中求进工作总基调，推动高质量发展。']]],
      [
        CHAPTER,
        '二、',
        '重点任务',
        [
          [
            SECTION,
            '（一）',
            '加快建设全国科技创新中心核心区',
            [
              [MEASURE, '1.', '建设新型研发机构。'],
              [MEASURE, '2、', '培育创新型企业。'],
              [
                ITEM,
                '3．',
                '优化创新生态',
                [
                  [MEASURE, '（1）', '完善孵化体系。'],
                  [MEASURE, '(2)', '加强知识产权保护；'],
                ],
              ],
            ],
          ],
          [SECTION, '(二)', '提升城市治理水平', [[MEASURE, '1.', '推进背街小巷整治。']]],
        ],
      ],
      [CHAPTER, '三、', '保障措施'],
    ]);
    const innovation = doc.nodes[1].children[0];
    expect(innovation.body).toBe('围绕中关村科学城建设，重点做好以下工作：');
    expect(innovation.children[0]).toMatchObject({ body: '支持高校院所建设新型研发机构。', line: 8 });
    expect(innovation.children[2].children[1].body).toBe('推进知识产权强区建设。');
  });

  it('takes a one-sentence numbered line for a heading only when deeper numbering follows', () => {
    const doc = parsePlanDocument(
      [
        '一、总体要求',
        '（一）坚持创新驱动。',
        '1.建设平台。加快建设创新平台。',
        '二、主要原则',
        '（一）坚持绿色发展。',
        '（二）坚持共享发展。',
      ].join('\n'),
    );
    expect(outline(doc.nodes)).toEqual([
      [CHAPTER, '一、', '总体要求', [[SECTION, '（一）', '坚持创新驱动', [[MEASURE, '1.', '建设平台。']]]]],
      [
        CHAPTER,
        '二、',
        '主要原则',
        [
          [MEASURE, '（一）', '坚持绿色发展。'],
          [MEASURE, '（二）', '坚持共享发展。'],
        ],
      ],
    ]);
  });

  it('keeps a line that only names units or a deadline with the measure above it', () => {
    const doc = parsePlanDocument(
      [
        '2026年重点任务分工方案',
        '一、推动科技创新',
        '1. 做强人工智能产业集群。加快建设人工智能创新街区。',
        '牵头单位：区科信局',
        '配合单位：中关村科学城管委会',
        '2. 推进中关村科学城北区建设。完善北区产业空间布局。',
        '二、增进民生福祉',
        '健全养老服务体系。推进社区养老服务驿站建设。',
        '（牵头单位：区民政局）',
        '完成时限：2026年12月底',
      ].join('\n'),
    );
    const measures = flatten(doc.nodes).filter((n) => n.level === MEASURE);
    expect(measures.map((m) => [m.number, m.title, m.body])).toEqual([
      [
        '1.',
        '做强人工智能产业集群。',
        '加快建设人工智能创新街区。\n牵头单位：区科信局\n配合单位：中关村科学城管委会',
      ],
      ['2.', '推进中关村科学城北区建设。', '完善北区产业空间布局。'],
      [
        '',
        '健全养老服务体系。',
        '推进社区养老服务驿站建设。\n（牵头单位：区民政局）\n完成时限：2026年12月底',
      ],
    ]);
  });

  it('reads 第X条 articles as measures', () => {
    const doc = parsePlanDocument(
      [
        '第一章 总则',
        '第一条 为规范折子工程管理，制定本办法。',
        '第二条 本办法适用于区属各单位；街镇参照执行。',
        '第二章 职责',
        '第三条 区政府办公室负责统筹协调',
      ].join('\n'),
    );
    expect(outline(doc.nodes)).toEqual([
      [
        CHAPTER,
        '第一章',
        '总则',
        [
          [MEASURE, '第一条', '为规范折子工程管理，制定本办法。'],
          [MEASURE, '第二条', '本办法适用于区属各单位；'],
        ],
      ],
      [CHAPTER, '第二章', '职责', [[MEASURE, '第三条', '区政府办公室负责统筹协调']]],
    ]);
    expect(doc.nodes[0].children[1].body).toBe('街镇参照执行。');
    expect(doc.title).toBeNull();
  });

  it('reads Markdown headings, bullets and emphasis', () => {
    const doc = parsePlanDocument(
      [
        '# 海淀区2024年重点工作任务',
        '',
        '## 一、稳增长',
        '',
        '加大投资力度。全年完成固定资产投资500亿元。',
        '',
        '## 促创新',
        '',
        '### （一）建设创新平台',
        '',
        '- 支持新型研发机构：给予最高1000万元资金支持。',
        '- **培育企业**。实施专精特新计划。',
        '',
        '### （二）优化生态',
        '',
        '1. 完善孵化体系。建设孵化器。',
      ].join('\n'),
    );
    expect(doc.title).toBe('海淀区2024年重点工作任务');
    expect(outline(doc.nodes)).toEqual([
      [CHAPTER, '一、', '稳增长', [[MEASURE, '', '加大投资力度。']]],
      [
        CHAPTER,
        '',
        '促创新',
        [
          [
            SECTION,
            '（一）',
            '建设创新平台',
            [
              [MEASURE, '', '支持新型研发机构：'],
              [MEASURE, '', '培育企业。'],
            ],
          ],
          [SECTION, '（二）', '优化生态', [[MEASURE, '1.', '完善孵化体系。']]],
        ],
      ],
    ]);
    expect(doc.nodes[0].children[0]).toMatchObject({ body: '全年完成固定资产投资500亿元。', line: 5 });
    expect(doc.nodes[1].children[0].children.map((m) => m.body)).toEqual([
      '给予最高1000万元资金支持。',
      '实施专精特新计划。',
    ]);
  });

  it('makes headings deeper than an item measures with the text under them as body', () => {
    const doc = parsePlanDocument(
      ['第一章 甲', '第一节 乙', '一、丙', '（一）丁', '  具体内容。', '  更多内容。', '（二）戊'].join('\n'),
    );
    const item = doc.nodes[0].children[0].children[0];
    expect(item).toMatchObject({ level: ITEM, title: '丙' });
    expect(item.children).toEqual([
      {
        level: MEASURE,
        number: '（一）',
        levelName: '（一）',
        title: '丁',
        body: '具体内容。\n更多内容。',
        line: 4,
        children: [],
      },
      { level: MEASURE, number: '（二）', levelName: '（一）', title: '戊', body: '', line: 7, children: [] },
    ]);
  });

  it('reads 篇 → 章 → 节 without shifting: 篇 is a PART above the chapters, each level named as written', () => {
    const doc = parsePlanDocument(
      [
        '第一篇 总体战略',
        '第一章 发展基础',
        '第一节 面临形势',
        '一、机遇',
        '1.抓住新一轮科技革命机遇，加快布局未来产业。',
        '第二篇 创新发展',
        '第二章 科技创新',
        '第二节 原始创新',
        '一、基础研究',
        '1.加强基础研究。',
      ].join('\n'),
    );
    const compact = (n: DocNode): unknown[] => [n.level, n.levelName, n.number, n.children.map(compact)];
    expect(doc.nodes.map(compact)).toEqual([
      [
        'PART',
        '篇',
        '第一篇',
        [
          [
            CHAPTER,
            '章',
            '第一章',
            [[SECTION, '节', '第一节', [[ITEM, '一、', '一、', [[MEASURE, '1.', '1.', []]]]]]],
          ],
        ],
      ],
      [
        'PART',
        '篇',
        '第二篇',
        [
          [
            CHAPTER,
            '章',
            '第二章',
            [[SECTION, '节', '第二节', [[ITEM, '一、', '一、', [[MEASURE, '1.', '1.', []]]]]]],
          ],
        ],
      ],
    ]);
  });

  it('keeps the number of a measure whose text starts with digits out of its title', () => {
    const doc = parsePlanDocument(
      [
        '一、重点任务',
        '6.推进老旧小区改造。完成改造50个。',
        '7.12345市民服务热线接诉即办，响应率保持100%。',
        '8.2026年底前建成区级数据共享平台。',
        '9.5%的增幅是预期目标。',
      ].join('\n'),
    );
    const measures = doc.nodes[0].children;
    expect(measures.map((m) => [m.number, m.title])).toEqual([
      ['6.', '推进老旧小区改造。'],
      ['7.', '12345市民服务热线接诉即办，响应率保持100%。'],
      ['8.', '2026年底前建成区级数据共享平台。'],
      // "9.5%" continues 8. too: a list that reached 8. reads its ninth item.
      ['9.', '5%的增幅是预期目标。'],
    ]);
  });

  it('drops a table of contents that repeats the headings', () => {
    const doc = parsePlanDocument(
      [
        '某区“十四五”规划纲要',
        '目录',
        '第一章 总则 ........ 1',
        '第一节 目的 ........ 2',
        '第二章 任务 ........ 5',
        '  前言正文。',
        '第一章 总则',
        '  本章说明总则。',
        '第一节 目的',
        '  为了演示。',
        '第二章 任务',
        '第一节 重点任务',
        '  一、推进建设',
        '  完成建设任务。',
      ].join('\n'),
    );
    expect(doc.title).toBe('某区“十四五”规划纲要');
    expect(doc.nodes.map((c) => [c.title, c.line, c.children.length])).toEqual([
      ['总则', 7, 1],
      ['任务', 11, 1],
    ]);
    expect(doc.nodes[0].body).toBe('本章说明总则。');
    expect(outline(doc.nodes[1].children)).toEqual([
      [SECTION, '第一节', '重点任务', [[ITEM, '一、', '推进建设', [[MEASURE, '', '完成建设任务。']]]]],
    ]);

    const listToc = parsePlanDocument(
      ['一、总体要求', '二、重点任务', '一、总体要求', '坚持稳中求进。', '二、重点任务'].join('\n'),
    );
    expect(listToc.nodes.map((n) => [n.title, n.line])).toEqual([
      ['总体要求', 3],
      ['重点任务', 5],
    ]);
  });

  // 一、 first appears inside a chapter here, so it is a section.
  it('skips menus, bylines, captions and footers around an unindented plan', () => {
    const doc = parsePlanDocument(
      [
        '首页 | 政务公开 | 政策文件',
        '当前位置：首页 > 政策文件 > 规划计划',
        '海淀区2024年折子工程',
        '发布日期：2024-02-01  来源：区政府办',
        '2024-02-01',
        '第一章 稳增长',
        '一、扩大有效投资',
        '加大投资力度。全年完成投资500亿元。',
        '图1 重点项目分布.png',
        '开通12345热线电话受理投诉。',
        '网站地图 | 联系我们',
        '版权所有：北京市海淀区人民政府',
        '京ICP备05060933号',
        '地址：北京市海淀区长春桥路17号  邮编：100089',
        '电话：010-88487171',
        '返回顶部',
        '扫码关注',
      ].join('\n'),
    );
    expect(doc.title).toBe('海淀区2024年折子工程');
    expect(outline(doc.nodes)).toEqual([
      [
        CHAPTER,
        '第一章',
        '稳增长',
        [
          [
            SECTION,
            '一、',
            '扩大有效投资',
            [
              [MEASURE, '', '加大投资力度。'],
              [MEASURE, '', '开通12345热线电话受理投诉。'],
            ],
          ],
        ],
      ],
    ]);
  });

  it('does not take prose that starts with 第 for a heading', () => {
    const doc = parsePlanDocument('第一章 总则\n  第一节所列任务应于年底前完成。\n第一节 目的');
    expect(doc.nodes[0].body).toBe('第一节所列任务应于年底前完成。');
    expect(doc.nodes[0].children).toHaveLength(1);
  });

  it('accepts sections numbered on across chapters', () => {
    const doc = parsePlanDocument('第一章 甲\n第一节 子\n第二节 丑\n第二章 乙\n第三节 寅');
    expect(doc.nodes.map((c) => c.children.map((s) => s.number))).toEqual([['第一节', '第二节'], ['第三节']]);
  });

  it('fails on chapters or sections out of order, a section before any chapter, and text without structure', () => {
    expect(() => parsePlanDocument('第一章 甲\n第三章 丙')).toThrow(
      /第三章 丙 \(line 2\) does not follow number 1/,
    );
    expect(() => parsePlanDocument('第一章 甲\n第一节 子\n第一节 子')).toThrow(PlanDocumentError);
    expect(() => parsePlanDocument('第一节 子\n第一章 甲')).toThrow(/comes before any chapter/);
    expect(() => parsePlanDocument('没有章节的文字')).toThrow(PlanDocumentError);
    // Other numberings may have gaps.
    expect(parsePlanDocument('一、甲\n三、丙').nodes.map((n) => n.number)).toEqual(['一、', '三、']);
  });
});
