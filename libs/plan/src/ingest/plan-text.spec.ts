import { readFileSync } from 'fs';
import { join } from 'path';
import {
  FoundDeadline,
  FoundIndicator,
  findDeadlines,
  findIndicators,
  annotatedDeadline,
  measureDeadline,
  parseDeadlineCell,
  periodEnds,
  readDeadlineTerm,
} from './plan-text';
import { DueKind, Recurrence } from '../due-kind';

const period = { startYear: 2016, endYear: 2020 };
const planFile = join(__dirname, '../../../seed/data/haidian-13th-five-year-plan.txt');
const plan = readFileSync(planFile, 'utf8');

/** An expected indicator: no baseline and the period's end unless told otherwise. */
function target(
  name: string,
  value: number,
  unit: string,
  comparator: string,
  phrase: string,
  more: Partial<FoundIndicator> = {},
): FoundIndicator {
  return {
    phrase,
    name,
    value,
    unit,
    comparator,
    baselineValue: null,
    baselineYear: null,
    year: 2020,
    recurrence: null,
    ...more,
  };
}

function due(phrase: string, day: string, recurring: 'YEARLY' | null = null): FoundDeadline {
  return { phrase, day, recurring };
}

describe('findIndicators', () => {
  it('reads the examples of the issue', () => {
    expect(findIndicators('城市绿化覆盖率达53%', period)).toEqual([
      target('城市绿化覆盖率', 53, '%', '达', '城市绿化覆盖率达53%'),
    ]);
    expect(findIndicators('常住人口总量控制在312.6万人以内', period)).toEqual([
      target('常住人口总量', 3126000, '人', '控制在…以内', '常住人口总量控制在312.6万人以内'),
    ]);
    expect(findIndicators('污水处理率大于99%', period)).toEqual([
      target('污水处理率', 99, '%', '大于', '污水处理率大于99%'),
    ]);
    expect(findIndicators('地区生产总值年均增速7%以上', period)).toEqual([
      target('地区生产总值年均增速', 7, '%', '以上', '地区生产总值年均增速7%以上'),
    ]);
    expect(findIndicators('PM2.5年均浓度比2015年下降25%左右', period)).toEqual([
      target('PM2.5年均浓度', 25, '%', '下降', 'PM2.5年均浓度比2015年下降25%左右', { baselineYear: 2015 }),
    ]);
    expect(findIndicators('城市绿化覆盖率由2015年的48%提高到53%', period)).toEqual([
      target('城市绿化覆盖率', 53, '%', '提高到', '城市绿化覆盖率由2015年的48%提高到53%', {
        baselineValue: 48,
        baselineYear: 2015,
      }),
    ]);
    expect(findIndicators('新增…不少于20所', period)).toEqual([
      target('新增', 20, '所', '不少于', '新增…不少于20所'),
    ]);
    expect(findIndicators('新增中小学校不少于20所', period)).toEqual([
      target('新增中小学校', 20, '所', '不少于', '新增中小学校不少于20所'),
    ]);
  });

  it('takes the target year from the sentence, else the end of the period', () => {
    expect(findIndicators('2017年城市绿化覆盖率达到50%。', period)[0].year).toBe(2017);
    expect(findIndicators('到2018年,PM2.5年均浓度下降到0.06毫克/立方米。', period)).toEqual([
      target('PM2.5年均浓度', 0.06, '毫克/立方米', '下降到', 'PM2.5年均浓度下降到0.06毫克/立方米', {
        year: 2018,
      }),
    ]);
    expect(findIndicators('城市绿化覆盖率达53%。', { startYear: 2021, endYear: 2025 })[0].year).toBe(2025);
  });

  it('pairs the names and values of 分别', () => {
    expect(findIndicators('城市绿化覆盖率、林木覆盖率分别达到53%、45%', period)).toEqual([
      target('城市绿化覆盖率', 53, '%', '达到', '城市绿化覆盖率、林木覆盖率分别达到53%'),
      target('林木覆盖率', 45, '%', '达到', '城市绿化覆盖率、林木覆盖率分别达到53%、45%'),
    ]);
  });

  it('skips statements of the past, list numbers and numbers that are not quantities', () => {
    expect(findIndicators('2015年,全区常住人口369.4万人。', period)).toEqual([]);
    expect(findIndicators('2015年全区城市绿化覆盖率达到51.6%。', period)).toEqual([]);
    expect(findIndicators('“十三五”时期,“三山五园”历史文化景区建设第3条', period)).toEqual([]);
    expect(findIndicators('1. 城市绿化覆盖率达到53%', period)).toEqual([
      target('城市绿化覆盖率', 53, '%', '达到', '城市绿化覆盖率达到53%'),
    ]);
    // A sentence that names a target year still counts, even with an older baseline in it.
    expect(findIndicators('到2020年,城市绿化覆盖率由2015年的48%提高到53%。', period)).toHaveLength(1);
  });

  describe('sentences of the Haidian 13th five-year plan', () => {
    const cases: [string, FoundIndicator[]][] = [
      [
        '经济保持中高速增长,地区生产总值年均增速7%以上,力争为全市经济提质增效做出更大贡献。',
        [target('地区生产总值年均增速', 7, '%', '以上', '地区生产总值年均增速7%以上')],
      ],
      [
        '产业功能布局进一步优化,战略性新兴产业快速发展,生产性服务业和生活性服务业品质稳步提高,“高精尖”经济实力不断壮大,海淀园总收入年均增速达10%,高新技术产业增加值占地区生产总值65%以上,对首都创新发展的支撑作用更加凸显。',
        [
          target('海淀园总收入年均增速', 10, '%', '达', '海淀园总收入年均增速达10%'),
          target(
            '高新技术产业增加值占地区生产总值',
            65,
            '%',
            '以上',
            '高新技术产业增加值占地区生产总值65%以上',
          ),
        ],
      ],
      [
        '全区常住人口总量控制在312.6万人以内。',
        [target('常住人口总量', 3126000, '人', '控制在…以内', '常住人口总量控制在312.6万人以内')],
      ],
      [
        '主要污染物排放总量持续消减,污水处理率大于99%,生活垃圾无害化处理率达100%。',
        [
          target('污水处理率', 99, '%', '大于', '污水处理率大于99%'),
          target('生活垃圾无害化处理率', 100, '%', '达', '生活垃圾无害化处理率达100%'),
        ],
      ],
      [
        '“山水林田湖”生态系统得到修复,城市绿化覆盖率达53%,消除环境脏乱差现象,城市生活舒适度不断提高。',
        [target('城市绿化覆盖率', 53, '%', '达', '城市绿化覆盖率达53%')],
      ],
      [
        '鼓励企业持续加大研发投入,园区企业科技经费投入强度达5.8%。',
        [target('园区企业科技经费投入强度', 5.8, '%', '达', '园区企业科技经费投入强度达5.8%')],
      ],
      [
        '聚焦优势学科领域,共建一批科技成果转移转化引导基金,依托中国国际技术转移中心、中国技术交易所等载体,加快国家技术转移集聚区建设,区域技术合同成交额年均增速达3%左右。',
        [target('区域技术合同成交额年均增速', 3, '%', '达', '区域技术合同成交额年均增速达3%左右')],
      ],
      [
        '强化知识产权创造,发明专利授权量年均增速达5%左右。',
        [target('发明专利授权量年均增速', 5, '%', '达', '发明专利授权量年均增速达5%左右')],
      ],
      [
        '引导金融机构聚集发展,促进科技金融产品创新和业态创新,力争到2020年区域金融机构及分支机构总数突破2800家,股权投资机构总数突破1200家。',
        [
          target('区域金融机构及分支机构总数', 2800, '家', '突破', '区域金融机构及分支机构总数突破2800家'),
          target('股权投资机构总数', 1200, '家', '突破', '股权投资机构总数突破1200家'),
        ],
      ],
      [
        '5年选派500名左右综合经济、产业发展、科技管理、企业服务等领域的区属专业人才赴美国硅谷等世界级科技创新高地研修。',
        [
          target(
            '选派区属专业人才',
            500,
            '名',
            '左右',
            '选派500名左右综合经济、产业发展、科技管理、企业服务等领域的区属专业人才',
          ),
        ],
      ],
      [
        '继续实施好海淀区菜篮子工程三年行动计划,扶持售菜面积20平方米以上的蔬菜零售网点700个,推进以驻店经营为主、直通车进社区为辅、网上配送为补充的蔬菜供应保障体系建设。',
        // 20平方米以上 qualifies the shops (…的网点): it is not a target.
        [target('蔬菜零售网点', 700, '个', '', '蔬菜零售网点700个')],
      ],
      [
        '构建“山水林田湖”融合发展的全域绿色网络,“十三五”末城市绿化覆盖率达53%。',
        [target('城市绿化覆盖率', 53, '%', '达', '城市绿化覆盖率达53%')],
      ],
      [
        '发挥水资源对区域经济社会发展的约束性作用,使单位地区生产总值水耗下降15%以上。',
        [target('单位地区生产总值水耗', 15, '%', '下降…以上', '单位地区生产总值水耗下降15%以上')],
      ],
      [
        '到2020年,建成以电力和天然气为主体、地热能和太阳能等可再生能源为补充的清洁能源体系,优质能源消费比重力争提高到90%以上,可再生能源比重达到8%左右。',
        [
          target('优质能源消费比重', 90, '%', '提高到…以上', '优质能源消费比重力争提高到90%以上'),
          target('可再生能源比重', 8, '%', '达到', '可再生能源比重达到8%左右'),
        ],
      ],
      [
        '提高垃圾焚烧比例,基本实现原生垃圾零填埋,实现生活垃圾无害化处理率达到100%。',
        [target('生活垃圾无害化处理率', 100, '%', '达到', '生活垃圾无害化处理率达到100%')],
      ],
      [
        // A range counts by its lower end, the least the plan commits to.
        '大力支持区域内建设2-3所国际一流大学。',
        [target('建设国际一流大学', 2, '所', '', '建设2-3所国际一流大学')],
      ],
      [
        '深化充分就业区建设,实施更加积极的促进就业政策,落实精细化就业管理服务制度,确保城镇登记失业率控制在1.5%以内。',
        [target('城镇登记失业率', 1.5, '%', '控制在…以内', '城镇登记失业率控制在1.5%以内')],
      ],
      [
        '建立公办养老机构入住及评估管理制度,新建1所精神残疾老人护养院。',
        [target('新建精神残疾老人护养院', 1, '所', '', '新建1所精神残疾老人护养院')],
      ],
      [
        '新建住宅社区养老服务设施人均用地面积达到0.13平方米。',
        [
          target(
            '新建住宅社区养老服务设施人均用地面积',
            0.13,
            '平方米',
            '达到',
            '新建住宅社区养老服务设施人均用地面积达到0.13平方米',
          ),
        ],
      ],
      [
        '推动专业的社会体育指导员进社区、进单位、进学校,以吸引、带动和帮助更多的群众参与冬季体育运动,力争带动全区80万人参与冰雪运动。',
        [target('参与冰雪运动人数', 800000, '人', '', '带动全区80万人参与冰雪运动')],
      ],
      [
        '重点食品安全监测抽查合格率达到98.5%,药品抽验合格率达到99%以上,社区基本药物和零差率药物抽验合格率保持在99.5%以上。',
        [
          target('重点食品安全监测抽查合格率', 98.5, '%', '达到', '重点食品安全监测抽查合格率达到98.5%'),
          target('药品抽验合格率', 99, '%', '达到…以上', '药品抽验合格率达到99%以上'),
          target(
            '社区基本药物和零差率药物抽验合格率',
            99.5,
            '%',
            '保持在…以上',
            '社区基本药物和零差率药物抽验合格率保持在99.5%以上',
          ),
        ],
      ],
      [
        '推进地铁16号线、12号线、19号线一期、京张铁路等工程建设,力争新增轨道交通里程约70公里。',
        [target('新增轨道交通里程', 70, '公里', '约', '新增轨道交通里程约70公里')],
      ],
      [
        '加快建设上庄路南段(含西山隧道)、邓庄南路、翠湖南路等项目,推进上庄路北段、京新高速(四环到五环)、金河路、西外大街西延三期等项目,完善西三旗、清河、上地等重点区域路网结构,力争“十三五”期间新增道路通车里程100公里。',
        [target('新增道路通车里程', 100, '公里', '', '新增道路通车里程100公里')],
      ],
      [
        // The clause "2020年提高到30%" names nothing: the subject is in the clause before.
        '完善国有资本经营预算制度,逐步提高国有资本收益上缴公共财政的比例,2020年提高到30%。',
        [target('国有资本收益上缴公共财政的比例', 30, '%', '提高到', '2020年提高到30%')],
      ],
      [
        '综合运用经济、法律、行政等手段确保全区常住人口在2014年基础上每年降低2-3个百分点。',
        [
          target('常住人口', 2, '个百分点', '降低', '常住人口在2014年基础上每年降低2-3个百分点', {
            baselineYear: 2014,
            recurrence: Recurrence.YEARLY,
          }),
        ],
      ],
    ];

    it.each(cases)('%s', (sentence, expected) => {
      expect(plan).toContain(sentence);
      expect(findIndicators(sentence, period)).toEqual(expected);
    });

    it('finds no targets in numbers that are not quantities', () => {
      const tricky = [
        '坚决贯彻落实中央对北京工作的重要指示精神和市委市政府对海淀工作的系列指示要求,着力推进创新发展和城市建设管理,圆满完成党的十八大、2014年亚太经合组织会议、纪念中国人民抗日战争暨世界反法西斯战争胜利70周年、2015年世界田径锦标赛等一系列重大活动的服务保障任务。',
        '率先落实中关村“1+6”、“新四条”等先行先试政策,修订出台了推动新一轮创新发展的“1+4+1”政策体系。',
        '主动服务国家重大创新战略,贯彻落实《中国制造2025》,积极承接“核高基”等国家重大科学计划、重大科技专项,加快突破新一代信息通信、新能源、新材料、航空航天、生物医药、智能制造等领域的核心技术,催生一批具有引领性、带动性的颠覆性原创技术,成为国家自主创新重要源头和原始创新策源地。',
        '加大政府投入力度,加快实施治污工程,更加突出社会共同治理责任和市民的自觉行动,以治理PM2.5为重点,围绕压减燃煤、控车减油、治污减排、清洁降尘等关键领域,努力实现空气质量持续改善。',
        '高水平建设中关村1号、集成电路产业园等科技园区周边环境。',
        '鼓励企业打造便民服务O2O商业模式,发展网上订货(餐)、实体配送、网订店取等服务,实现社区商业便民服务智能化、信息化、网络化。',
        '把握冬奥会契机,推进在京张城际沿线、张(家口)承(德)生态功能区等地布局,以产业转移为牵引,带动非首都功能有序疏解,力争在京津冀“4+N”产业平台合作中实现新突破。',
        '以北京举办2022年冬奥会为契机,在全区大力普及冬季体育运动。',
        '发布时间:2024-04-29 点击量:105',
      ];
      for (const sentence of tricky) {
        expect(plan).toContain(sentence);
        expect(findIndicators(sentence, period)).toEqual([]);
      }
    });

    it('keeps the circumstances of a target out of it', () => {
      const sentence =
        '综合经济实力进一步提高,在常住人口年均增长不到3%、劳动力年均增长4%左右的情况下,地区生产总值和城乡居民收入年均增速均超过10%。';
      expect(plan).toContain(sentence);
      expect(findIndicators(sentence, period).map((found) => [found.name, found.value])).toEqual([
        ['地区生产总值和城乡居民收入年均增速', 10],
      ]);
    });
  });
});

describe('findDeadlines', () => {
  const only = (text: string, contextYear?: number) => findDeadlines(text, period, contextYear);

  it('reads the forms listed in the issue', () => {
    expect(only('到2016年底')).toEqual([due('到2016年底', '2016-12-31')]);
    expect(only('2017年前')).toEqual([due('2017年前', '2016-12-31')]);
    expect(only('2017年以前')).toEqual([due('2017年以前', '2016-12-31')]);
    expect(only('到2018年')).toEqual([due('到2018年', '2018-12-31')]);
    expect(only('2018年6月底前')).toEqual([due('2018年6月底前', '2018-06-30')]);
    expect(only('2017年3月')).toEqual([due('2017年3月', '2017-03-31')]);
    expect(only('2016年6月30日')).toEqual([due('2016年6月30日', '2016-06-30')]);
    expect(only('2016-06-30')).toEqual([due('2016-06-30', '2016-06-30')]);
    expect(only('2016.6.30')).toEqual([due('2016.6.30', '2016-06-30')]);
    expect(only('于2017年底前完成')).toEqual([due('于2017年底前', '2017-12-31')]);
    expect(only('2017年上半年')).toEqual([due('2017年上半年', '2017-06-30')]);
    expect(only('2017年第二季度')).toEqual([due('2017年第二季度', '2017-06-30')]);
    // 前 after a day means by that day; 前后 is "around".
    expect(only('2016年6月30日前完成')).toEqual([due('2016年6月30日前', '2016-06-30')]);
    expect(only('2020年前后')).toEqual([due('2020年前后', '2020-12-31')]);
    expect(only('到2020年时,全区…')).toEqual([due('到2020年', '2020-12-31')]);
  });

  it('places dates without a year in the context year, by default the first of the period', () => {
    expect(only('6月底前完成')).toEqual([due('6月底前', '2016-06-30')]);
    expect(only('6月底前完成', 2018)).toEqual([due('6月底前', '2018-06-30')]);
    expect(only('年内完成', 2018)).toEqual([due('年内', '2018-12-31')]);
    expect(only('年底前完成', 2018)).toEqual([due('年底前', '2018-12-31')]);
    expect(only('年底', 2018)).toEqual([due('年底', '2018-12-31')]);
    expect(only('上半年完成')).toEqual([due('上半年', '2016-06-30')]);
    expect(only('下半年完成')).toEqual([due('下半年', '2016-12-31')]);
    expect(only('一季度完成')).toEqual([due('一季度', '2016-03-31')]);
    expect(only('第一季度末')).toEqual([due('第一季度末', '2016-03-31')]);
    expect(only('第三季度')).toEqual([due('第三季度', '2016-09-30')]);
    expect(only('12月31日前')).toEqual([due('12月31日前', '2016-12-31')]);
    expect(only('十二月底前')).toEqual([due('十二月底前', '2016-12-31')]);
    expect(only('明年底前', 2018)).toEqual([due('明年底前', '2019-12-31')]);
    // The context year is the caller's choice, even outside the period.
    expect(only('年底前完成', 2045)).toEqual([due('年底前', '2045-12-31')]);
  });

  it('reads the parts of a month', () => {
    expect(only('6月上旬')[0].day).toBe('2016-06-10');
    expect(only('6月中')[0].day).toBe('2016-06-15');
    expect(only('6月中旬')[0].day).toBe('2016-06-20');
    expect(only('6月下旬')[0].day).toBe('2016-06-30');
    // 前 after a whole month, like after a whole year: before it starts.
    expect(only('3月前')[0].day).toBe('2016-02-29');
    expect(only('2017年1月前')[0].day).toBe('2016-12-31');
  });

  it('marks 每年 as recurring', () => {
    expect(only('每年开展')).toEqual([due('每年', '2016-12-31', 'YEARLY')]);
    expect(only('每年6月底前', 2018)).toEqual([due('每年6月底前', '2018-06-30', 'YEARLY')]);
  });

  it('ignores years that are not deadlines', () => {
    for (const text of [
      '“十二五”时期',
      '城市绿化覆盖率由2015年的48%提高到53%',
      '2015年,全区常住人口369.4万人',
      '2016年,全区启动',
      '2008年奥运会',
      '2016年以来',
      '2016年期间',
      '与2015年相比',
      '比2015年下降25%',
      '截至2015年底',
      '2016年起施行',
      '1月1日起施行',
      '三年内完成',
      '2016-2020年',
      '2月30日前',
    ]) {
      expect(only(text)).toEqual([]);
    }
  });

  it('ignores deadlines before the year ahead of the period or more than ten years after it', () => {
    expect(only('到2035年')).toEqual([]);
    expect(only('到2030年')).toEqual([due('到2030年', '2030-12-31')]);
    expect(only('2014年前')).toEqual([]);
    expect(only('2016年前')).toEqual([due('2016年前', '2015-12-31')]);
  });

  describe('sentences of the Haidian 13th five-year plan', () => {
    const cases: [string, FoundDeadline[]][] = [
      [
        '推进区属国企办的有形市场和出租大院拆迁腾退,加强小门店清理整顿,2017年前基本实现原有配套商业网点回归便民服务功能。',
        [due('2017年前', '2016-12-31')],
      ],
      [
        '创新集成政策,推动市、区、镇三级统筹,发挥镇村主导和农民主体作用,按照协调有序、先易后难、“成熟一个推进一个”的原则,加快具备条件的村镇整建制“农转非”,到2020年,全区实现城镇化社会保障体系全覆盖,基本实现户籍农民成为“带着资产进城”的城市居民,使“农民”从“身份”变为“职业”。',
        [due('到2020年', '2020-12-31')],
      ],
      [
        '引导金融机构聚集发展,促进科技金融产品创新和业态创新,力争到2020年区域金融机构及分支机构总数突破2800家,股权投资机构总数突破1200家。',
        [due('到2020年', '2020-12-31')],
      ],
      [
        '在截污治污和河道生态治理基础上,以水生态治理为主线,通过河湖水系连通循环,河道生态修复等手段,力争到2016年底,南沙河水体出境断面考核达标,主要指标好于V类;到2018年,区管主要河道循环流动,河湖水质达到或接近IV类;到2020年,通过生态涵养巩固,区管河道水清岸绿,水质达到IV类,重点区域主要指标接近或达到III类水体标准。',
        [due('到2016年底', '2016-12-31'), due('到2018年', '2018-12-31'), due('到2020年', '2020-12-31')],
      ],
      [
        '到2020年,建成以电力和天然气为主体、地热能和太阳能等可再生能源为补充的清洁能源体系,优质能源消费比重力争提高到90%以上,可再生能源比重达到8%左右。',
        [due('到2020年', '2020-12-31')],
      ],
      [
        // A bare year followed by what is to happen in it.
        '完善国有资本经营预算制度,逐步提高国有资本收益上缴公共财政的比例,2020年提高到30%。',
        [due('2020年', '2020-12-31')],
      ],
      [
        // 2014 is the baseline; the cut is every year.
        '综合运用经济、法律、行政等手段确保全区常住人口在2014年基础上每年降低2-3个百分点。',
        [due('每年', '2016-12-31', 'YEARLY')],
      ],
      [
        '构建“山水林田湖”融合发展的全域绿色网络,“十三五”末城市绿化覆盖率达53%。',
        [due('“十三五”末', '2020-12-31')],
      ],
      [
        // "2020年之前" read like "2017年前": before 2020 starts. 2010 is a baseline.
        '到2020年之前实现地区生产总值和城乡居民人均收入比2010年翻一番。',
        [due('到2020年之前', '2019-12-31')],
      ],
      [
        '坚决贯彻落实中央对北京工作的重要指示精神和市委市政府对海淀工作的系列指示要求,着力推进创新发展和城市建设管理,圆满完成党的十八大、2014年亚太经合组织会议、纪念中国人民抗日战争暨世界反法西斯战争胜利70周年、2015年世界田径锦标赛等一系列重大活动的服务保障任务。',
        [],
      ],
      ['以北京举办2022年冬奥会为契机,在全区大力普及冬季体育运动。', []],
      ['“十二五”时期,在市委市政府的坚强领导下,全区上下团结奋斗、开拓创新,开创了发展新局面。', []],
      [
        '主动服务国家重大创新战略,贯彻落实《中国制造2025》,积极承接“核高基”等国家重大科学计划、重大科技专项,加快突破新一代信息通信、新能源、新材料、航空航天、生物医药、智能制造等领域的核心技术,催生一批具有引领性、带动性的颠覆性原创技术,成为国家自主创新重要源头和原始创新策源地。',
        [],
      ],
      ['发布时间:2024-04-29 点击量:105', []],
    ];

    it.each(cases)('%s', (sentence, expected) => {
      expect(plan).toContain(sentence);
      expect(findDeadlines(sentence, period)).toEqual(expected);
    });
  });
});

describe('measureDeadline', () => {
  it('is the latest deadline found', () => {
    const found = findDeadlines(
      '力争到2016年底,南沙河水体出境断面考核达标,主要指标好于V类;到2018年,区管主要河道循环流动;到2020年,水质达到IV类。',
      period,
    );
    expect(measureDeadline(found, period)).toBe('2020-12-31');
    expect(measureDeadline([due('2017年前', '2016-12-31'), due('6月底前', '2016-06-30')], period)).toBe(
      '2016-12-31',
    );
  });

  it('is the end of the period when the text names no deadline', () => {
    expect(measureDeadline([], period)).toBe('2020-12-31');
    expect(measureDeadline(findDeadlines('城市绿化覆盖率达53%', period), period)).toBe('2020-12-31');
  });
});

describe('parseDeadlineCell', () => {
  it('reads the forms of a task list', () => {
    expect(parseDeadlineCell('2026年6月底前', 2026)).toBe('2026-06-30');
    expect(parseDeadlineCell('年底前', 2026)).toBe('2026-12-31');
    expect(parseDeadlineCell('2026年12月31日', 2026)).toBe('2026-12-31');
    expect(parseDeadlineCell('2026-06-30', 2026)).toBe('2026-06-30');
    expect(parseDeadlineCell('2026/6/30', 2026)).toBe('2026-06-30');
    expect(parseDeadlineCell('6月底', 2026)).toBe('2026-06-30');
    expect(parseDeadlineCell('2026年第二季度', 2026)).toBe('2026-06-30');
    expect(parseDeadlineCell('2026年', 2026)).toBe('2026-12-31');
    expect(parseDeadlineCell('12月', 2026)).toBe('2026-12-31');
    expect(parseDeadlineCell('2026.6', 2026)).toBe('2026-06-30');
    expect(parseDeadlineCell('6.30', 2026)).toBe('2026-06-30');
    expect(parseDeadlineCell(' ２０２６年６月３０日 ', 2026)).toBe('2026-06-30');
  });

  it('takes the last stage of a staged task', () => {
    expect(parseDeadlineCell('2026年6月底前完成方案,12月底前完成建设', 2026)).toBe('2026-12-31');
  });

  it('puts ongoing duties at the end of the year', () => {
    expect(parseDeadlineCell('长期', 2026)).toBe('2026-12-31');
    expect(parseDeadlineCell('持续推进', 2026)).toBe('2026-12-31');
    expect(parseDeadlineCell('常态化', 2026)).toBe('2026-12-31');
  });

  it('is null for what it cannot read', () => {
    for (const cell of ['', '  ', 'abc', '待定', '立即', '45473', '2026年2月30日', '13月']) {
      expect(parseDeadlineCell(cell, 2026)).toBeNull();
    }
  });
});

describe('indicators written with 万 and 亿, recurring targets, and the past period', () => {
  const p = { startYear: 2021, endYear: 2025 };

  it('multiplies 万 and 亿 into the value and keeps the counted unit, the phrase as written', () => {
    expect(findIndicators('国家高新技术企业突破3万家。', p)).toMatchObject([
      { value: 30000, unit: '家', phrase: '国家高新技术企业突破3万家' },
    ]);
    expect(findIndicators('新增学位1.5万个。', p)).toMatchObject([{ value: 15000, unit: '个' }]);
    expect(findIndicators('新增造林绿化2.4万亩。', p)).toMatchObject([{ value: 24000, unit: '亩' }]);
    // Money stays as budgets write it.
    expect(findIndicators('地区生产总值达到1.2万亿元。', p)).toMatchObject([{ value: 1.2, unit: '万亿元' }]);
  });

  it('marks a target to meet every year', () => {
    expect(findIndicators('每年新增就业岗位不少于3万个。', p)).toMatchObject([
      { value: 30000, unit: '个', comparator: '不少于', recurrence: Recurrence.YEARLY },
    ]);
    expect(findIndicators('到2025年新增就业岗位15万个。', p)).toMatchObject([{ recurrence: null }]);
  });

  it('takes figures of the period before as results, not targets', () => {
    expect(findIndicators('“十三五”期间地区生产总值年均增长7%。', p)).toEqual([]);
    expect(findIndicators('过去五年，研发投入强度达到6.5%。', p)).toEqual([]);
    // The plan's own period is not the past.
    expect(findIndicators('“十四五”期间地区生产总值年均增长6%。', p)).toMatchObject([{ value: 6 }]);
  });
});

describe('readDeadlineTerm', () => {
  const term = (kind: DueKind, day: string | null, recurrence: Recurrence | null = null) => ({
    kind,
    recurrence,
    day,
  });

  it('reads a date as DATE', () => {
    expect(readDeadlineTerm('2026年6月底前', 2026)).toEqual(term(DueKind.DATE, '2026-06-30'));
    expect(readDeadlineTerm('年底前', 2026)).toEqual(term(DueKind.DATE, '2026-12-31'));
  });

  it('reads 长期坚持 and 持续推进 as ONGOING, with no day', () => {
    for (const cell of ['长期坚持', '持续推进', '长期', '常态化推进']) {
      expect(readDeadlineTerm(cell, 2026)).toEqual(term(DueKind.ONGOING, null));
    }
  });

  it('reads 每月/每季度/每半年/每年 as RECURRING, due at the end of the year unless a date says otherwise', () => {
    expect(readDeadlineTerm('每月', 2026)).toEqual(term(DueKind.RECURRING, '2026-12-31', Recurrence.MONTHLY));
    expect(readDeadlineTerm('每季度', 2026)).toEqual(
      term(DueKind.RECURRING, '2026-12-31', Recurrence.QUARTERLY),
    );
    expect(readDeadlineTerm('每半年', 2026)).toEqual(
      term(DueKind.RECURRING, '2026-12-31', Recurrence.HALF_YEARLY),
    );
    expect(readDeadlineTerm('每年', 2026)).toEqual(term(DueKind.RECURRING, '2026-12-31', Recurrence.YEARLY));
    expect(readDeadlineTerm('每季度末报送，2026年11月底前完成', 2026)).toEqual(
      term(DueKind.RECURRING, '2026-11-30', Recurrence.QUARTERLY),
    );
    // The export writes a recurring deadline back this way; the import reads it again.
    expect(readDeadlineTerm('每季度，2026-12-31前', 2026)).toEqual(
      term(DueKind.RECURRING, '2026-12-31', Recurrence.QUARTERLY),
    );
  });

  it('is null for what it cannot read', () => {
    expect(readDeadlineTerm('待定', 2026)).toBeNull();
  });
});

describe('annotatedDeadline', () => {
  it('reads the 完成时限 a measure of a 任务分工方案 states', () => {
    expect(annotatedDeadline('……（牵头单位：区商务局；完成时限：每季度）', 2026)).toMatchObject({
      kind: DueKind.RECURRING,
      recurrence: Recurrence.QUARTERLY,
      phrase: '每季度',
    });
    expect(annotatedDeadline('……。牵头单位：区城管委\n完成时限：长期坚持', 2026)).toMatchObject({
      kind: DueKind.ONGOING,
      day: null,
    });
    expect(annotatedDeadline('……（牵头单位：区教委；完成时限：2026年9月底）', 2026)).toMatchObject({
      kind: DueKind.DATE,
      day: '2026-09-30',
    });
    expect(annotatedDeadline('持续推进垃圾分类，2026年底前完成。', 2026)).toBeNull();
  });
});

describe('periodEnds', () => {
  it('names the ends of the periods before the due day', () => {
    expect(periodEnds(Recurrence.QUARTERLY, '2026-01-01', '2026-12-31')).toEqual([
      { day: '2026-03-31', title: '2026年第一季度' },
      { day: '2026-06-30', title: '2026年第二季度' },
      { day: '2026-09-30', title: '2026年第三季度' },
    ]);
    expect(periodEnds(Recurrence.MONTHLY, '2026-01-01', '2026-12-31')).toHaveLength(11);
    expect(periodEnds(Recurrence.HALF_YEARLY, '2026-01-01', '2026-12-31')).toEqual([
      { day: '2026-06-30', title: '2026年上半年' },
    ]);
    expect(periodEnds(Recurrence.YEARLY, '2026-01-01', '2030-12-31').map((e) => e.title)).toEqual([
      '2026年度',
      '2027年度',
      '2028年度',
      '2029年度',
    ]);
  });
});

describe('speed', () => {
  it('reads every paragraph of the plan quickly', () => {
    const paragraphs = plan.split('\n').filter((line) => line.trim());
    // Warm up once, as a long-running ingester would be.
    for (const paragraph of paragraphs) findIndicators(paragraph, period);
    const started = process.hrtime.bigint();
    let found = 0;
    for (const paragraph of paragraphs) {
      found += findIndicators(paragraph, period).length + findDeadlines(paragraph, period).length;
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(found).toBeGreaterThan(50);
    // Typically ~5 ms; the bound catches a backtracking regex, not a slow machine.
    expect(ms).toBeLessThan(100);
  });
});
