import { readFileSync } from 'fs';
import { resolve } from 'path';
import { TargetLevel } from '../target.entity';
import { detectPeriod, readPlan } from './plan-read';

const SEED = resolve(__dirname, '../../../../libs/seed/data/haidian-13th-five-year-plan.txt');

describe('readPlan on the Haidian 13th five-year plan', () => {
  const plan = readPlan({ text: readFileSync(SEED, 'utf8') });
  const all = (level: TargetLevel) => {
    const found: string[] = [];
    const visit = (nodes: typeof plan.nodes) =>
      nodes.forEach((n) => {
        if (n.level === level) found.push(n.title);
        visit(n.children);
      });
    visit(plan.nodes);
    return found;
  };

  it('takes the title and the period 2016–2020 from the document', () => {
    expect(plan.title).toBe('北京市海淀区国民经济和社会发展第十三个五年规划纲要');
    expect(plan.period).toEqual({ startYear: 2016, endYear: 2020 });
  });

  it('finds 10 chapters, 36 sections, 79 items and 223 measures', () => {
    expect(all(TargetLevel.CHAPTER)).toHaveLength(10);
    expect(all(TargetLevel.SECTION)).toHaveLength(36);
    expect(all(TargetLevel.ITEM)).toHaveLength(79);
    expect(plan.measures).toHaveLength(223);
    expect(all(TargetLevel.CHAPTER).slice(0, 3)).toEqual([
      '在新的城市战略定位下谋划海淀新发展',
      '优化提升首都中心城区功能',
      '建设全国科技创新中心核心区',
    ]);
  });

  it('marks the review of the past period, whose figures are results rather than targets', () => {
    const review = plan.measures.filter((m) => m.review);
    expect(review).toHaveLength(9);
    expect(review.every((m) => m.indicators.length === 0 && m.deadlines.length === 0)).toBe(true);
  });

  // Every indicator the document states as a target, checked against the text by hand.
  it('finds the quantitative targets', () => {
    const found = plan.measures.flatMap((m) =>
      m.indicators.map((i) => [i.name, i.value, i.unit, i.comparator, i.year]),
    );
    expect(found).toEqual([
      ['地区生产总值年均增速', 7, '%', '以上', 2020],
      ['海淀园总收入年均增速', 10, '%', '达', 2020],
      ['高新技术产业增加值占地区生产总值', 65, '%', '以上', 2020],
      ['常住人口总量', 3126000, '人', '控制在…以内', 2020],
      ['污水处理率', 99, '%', '大于', 2020],
      ['生活垃圾无害化处理率', 100, '%', '达', 2020],
      ['城市绿化覆盖率', 53, '%', '达', 2020],
      ['常住人口', 2, '个百分点', '降低', 2020],
      ['园区企业科技经费投入强度', 5.8, '%', '达', 2020],
      ['区域技术合同成交额年均增速', 3, '%', '达', 2020],
      ['发明专利授权量年均增速', 5, '%', '达', 2020],
      ['区域金融机构及分支机构总数', 2800, '家', '突破', 2020],
      ['股权投资机构总数', 1200, '家', '突破', 2020],
      ['选派区属专业人才', 500, '名', '左右', 2020],
      ['蔬菜零售网点', 700, '个', '', 2020],
      ['城市绿化覆盖率', 53, '%', '达', 2020],
      ['单位地区生产总值水耗', 15, '%', '下降…以上', 2020],
      ['优质能源消费比重', 90, '%', '提高到…以上', 2020],
      ['可再生能源比重', 8, '%', '达到', 2020],
      ['生活垃圾无害化处理率', 100, '%', '达到', 2020],
      ['建设国际一流大学', 2, '所', '', 2020],
      ['城镇登记失业率', 1.5, '%', '控制在…以内', 2020],
      ['新建精神残疾老人护养院', 1, '所', '', 2020],
      ['新建住宅社区养老服务设施人均用地面积', 0.13, '平方米', '达到', 2020],
      ['参与冰雪运动人数', 800000, '人', '', 2020],
      ['重点食品安全监测抽查合格率', 98.5, '%', '达到', 2020],
      ['药品抽验合格率', 99, '%', '达到…以上', 2020],
      ['社区基本药物和零差率药物抽验合格率', 99.5, '%', '保持在…以上', 2020],
      ['新增轨道交通里程', 70, '公里', '约', 2020],
      ['新增道路通车里程', 100, '公里', '', 2020],
      ['国有资本收益上缴公共财政的比例', 30, '%', '提高到', 2020],
    ]);
  });

  it('dates each measure by the latest deadline in its text, else the end of the period', () => {
    const dated = plan.measures
      .filter((m) => m.deadlines.length > 0)
      .map((m) => [m.node.title, m.dueDay, m.deadlines.map((d) => d.phrase)]);
    expect(dated).toEqual([
      [expect.stringMatching(/^创新创业对经济发展的贡献不断提高/), '2019-12-31', ['到2020年之前']],
      [expect.stringMatching(/^推进国有企事业单位和集体经济业态/), '2016-12-31', ['2017年前']],
      // 每年 is a yearly milestone; the work runs to the end of the period.
      ['严格控制人口规模。', '2020-12-31', ['每年']],
      ['加快推进整建制“农转非”。', '2020-12-31', ['到2020年']],
      ['完善科技金融服务体系。', '2020-12-31', ['到2020年']],
      ['强化生态环境体系建设。', '2020-12-31', ['“十三五”末']],
      ['全面启动全区水生态治理工作。', '2020-12-31', ['到2016年底', '到2018年', '到2020年']],
      ['基本实现能源清洁转型。', '2020-12-31', ['到2020年']],
      ['深化国资国企改革。', '2020-12-31', ['2020年']],
    ]);
    const undated = plan.measures.filter((m) => m.deadlines.length === 0);
    expect(undated.every((m) => m.dueDay === '2020-12-31')).toBe(true);
  });
});

describe('detectPeriod', () => {
  it.each([
    ['海淀区“十三五”规划', { startYear: 2016, endYear: 2020 }],
    ['第十四个五年规划和二〇三五年远景目标纲要', { startYear: 2021, endYear: 2025 }],
    ['2021—2025年行动计划', { startYear: 2021, endYear: 2025 }],
    ['2026年区政府重点工作任务', { startYear: 2026, endYear: 2026 }],
  ])('%s', (head, period) => expect(detectPeriod(head)).toEqual(period));

  it('gives up when the text names no period', () => expect(detectPeriod('重点工作')).toBeNull());
});
