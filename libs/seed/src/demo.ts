import { endOfDayInBeijing, Role } from '@zhezi/core';
import { TaskPriority } from '@zhezi/task';

/** The one password of every demo login; documented in the README, so never seed it into production. */
export const DEMO_PASSWORD = 'Zhezi@2026';

export interface DemoLogin {
  username: string;
  role: Role;
  /** The unit's name, as in DISTRICT_UNITS. */
  unit: string;
  displayName: string;
  title: string;
}

/**
 * Who oversees what (分管), by unit code: the 区长 the economy and money, the 常务副区长 science, schools and
 * the city's upkeep, the 副区长 water and environment.
 */
export const DEMO_PORTFOLIOS: readonly { username: string; unitCodes: readonly string[] }[] = [
  { username: 'leader', unitCodes: ['D001', 'D004', 'D019', 'D020'] },
  { username: 'executive', unitCodes: ['D002', 'D003', 'D010', 'D011'] },
  { username: 'deputy', unitCodes: ['D005', 'D006', 'D007', 'D012'] },
];

/** One login per role at least, and a head and an officer wherever the demo tasks land. Names are fictional. */
export const DEMO_LOGINS: readonly DemoLogin[] = [
  { username: 'admin', role: Role.ADMIN, unit: '海淀区人民政府', displayName: '郑敏', title: '系统管理员' },
  { username: 'leader', role: Role.LEADER, unit: '海淀区人民政府', displayName: '陈立华', title: '区长' },
  {
    username: 'executive',
    role: Role.LEADER,
    unit: '海淀区人民政府',
    displayName: '赵启明',
    title: '常务副区长',
  },
  { username: 'deputy', role: Role.LEADER, unit: '海淀区人民政府', displayName: '孙海燕', title: '副区长' },
  { username: 'inspector', role: Role.INSPECTOR, unit: '区政府督查室', displayName: '何静', title: '督查员' },
  {
    username: 'fgw.head',
    role: Role.DEPARTMENT_HEAD,
    unit: '区发展改革委',
    displayName: '吴国平',
    title: '主任',
  },
  {
    username: 'fgw.officer',
    role: Role.DEPARTMENT_OFFICER,
    unit: '区发展改革委',
    displayName: '林晓',
    title: '科员',
  },
  {
    username: 'swj.head',
    role: Role.DEPARTMENT_HEAD,
    unit: '区水务局',
    displayName: '马建军',
    title: '局长',
  },
  {
    username: 'swj.officer',
    role: Role.DEPARTMENT_OFFICER,
    unit: '区水务局',
    displayName: '高雅',
    title: '科员',
  },
  {
    username: 'zgc.head',
    role: Role.SUBDISTRICT_HEAD,
    unit: '中关村街道',
    displayName: '杨帆',
    title: '街道办事处主任',
  },
  {
    username: 'zgc.officer',
    role: Role.SUBDISTRICT_OFFICER,
    unit: '中关村街道',
    displayName: '徐婷',
    title: '科员',
  },
  {
    username: 'xyl.head',
    role: Role.SUBDISTRICT_HEAD,
    unit: '学院路街道',
    displayName: '朱志强',
    title: '街道办事处主任',
  },
  {
    username: 'xyl.officer',
    role: Role.SUBDISTRICT_OFFICER,
    unit: '学院路街道',
    displayName: '胡丽',
    title: '科员',
  },
  {
    username: 'hd.head',
    role: Role.SUBDISTRICT_HEAD,
    unit: '海淀街道',
    displayName: '郭涛',
    title: '街道办事处主任',
  },
  {
    username: 'hd.officer',
    role: Role.SUBDISTRICT_OFFICER,
    unit: '海淀街道',
    displayName: '罗佳',
    title: '科员',
  },
  {
    username: 'sz.head',
    role: Role.SUBDISTRICT_HEAD,
    unit: '上庄地区',
    displayName: '梁永刚',
    title: '地区办事处主任',
  },
  {
    username: 'sz.officer',
    role: Role.SUBDISTRICT_OFFICER,
    unit: '上庄地区',
    displayName: '宋雪',
    title: '科员',
  },
];

/** Lines for a terminal or README: username, role, unit, name. */
export function formatDemoLogins(): string[] {
  const width = Math.max(...DEMO_LOGINS.map((l) => l.username.length));
  return [
    `demo logins (password for all: ${DEMO_PASSWORD}):`,
    ...DEMO_LOGINS.map(
      (l) => `  ${l.username.padEnd(width)}  ${l.role.padEnd(19)}  ${l.unit} ${l.displayName}（${l.title}）`,
    ),
  ];
}

export const DEMO_PLAN = {
  title: '海淀区国民经济和社会发展第十三个五年规划纲要',
  description: '北京市海淀区“十三五”规划纲要（2016—2020年）的章节结构，作为演示数据。',
  periodStart: new Date('2016-01-01T00:00:00+08:00'),
  periodEnd: endOfDayInBeijing('2020-12-31'),
} as const;

/**
 * A few yearly figures for the plan's indicators (matched by name, as plan ingestion reads them from the
 * text), so the indicator board shows something on demo data: some on track, some not. Figures are
 * illustrative, not official statistics.
 */
export const DEMO_INDICATOR_VALUES: readonly { name: string; year: number; value: number }[] = [
  { name: '城市绿化覆盖率', year: 2018, value: 51.6 },
  { name: '城市绿化覆盖率', year: 2019, value: 53.2 },
  { name: '污水处理率', year: 2019, value: 98.6 },
  { name: '生活垃圾无害化处理率', year: 2019, value: 100 },
  { name: '城镇登记失业率', year: 2019, value: 1.2 },
  { name: '常住人口总量', year: 2019, value: 323.7 },
  { name: '地区生产总值年均增速', year: 2019, value: 7.5 },
];

/** Who the demo figures are reported by: the 发改委 keeps the plan's indicators. */
export const DEMO_INDICATOR_REPORTER = 'fgw.officer';

export interface DemoTask {
  code: string;
  title: string;
  description: string;
  /** Path of the plan section the task belongs to, e.g. "0004.0002" for 第四章第二节. */
  section: string;
  /** Username of the responsible leader. */
  leader: string;
  /** Deadline day in Beijing. */
  dueOn: string;
  priority: TaskPriority;
  lead: string[];
  support: string[];
  /** A department hands parts of its share to subdistricts and towns (they inherit its role). */
  splits: { from: string; to: string[]; dueOn: string }[];
  milestones: { title: string; dueOn: string }[];
}

/** A dozen tasks under the plan's sections, so every demo unit user finds work on its own list. */
export const DEMO_TASKS: readonly DemoTask[] = [
  {
    code: '1',
    title: '中关村科学城建设',
    description:
      '聚焦中关村大街、学院路等重点区域，推进存量空间更新改造和创新载体建设，完善创新创业服务体系，' +
      '提升中关村科学城对全国科技创新中心建设的支撑作用。',
    section: '0004.0002',
    leader: 'leader',
    dueOn: '2027-12-31',
    priority: TaskPriority.HIGH,
    lead: ['中关村科学城管委会'],
    support: ['区发展改革委', '区科学技术和信息化局', '区规划分局'],
    splits: [
      { from: '中关村科学城管委会', to: ['中关村街道', '学院路街道', '海淀街道'], dueOn: '2027-10-31' },
    ],
    milestones: [
      { title: '完成年度建设方案并报区政府审定', dueOn: '2026-03-31' },
      { title: '完成重点区域更新改造年度任务', dueOn: '2026-12-31' },
      { title: '开展建设成效评估', dueOn: '2027-09-30' },
    ],
  },
  {
    code: '2',
    title: '城市绿化覆盖率达到53%',
    description:
      '推进留白增绿、城市森林和公园绿地建设，见缝插绿建设口袋公园和小微绿地，城市绿化覆盖率达到53%。',
    section: '0006.0002',
    leader: 'deputy',
    dueOn: '2026-12-31',
    priority: TaskPriority.HIGH,
    lead: ['区园林绿化局'],
    support: ['区规划分局', '区城市管理委'],
    splits: [{ from: '区园林绿化局', to: ['四季青地区', '温泉地区', '上庄地区'], dueOn: '2026-11-30' }],
    milestones: [{ title: '完成年度留白增绿地块移交和栽植', dueOn: '2026-06-30' }],
  },
  {
    code: '3',
    title: '北部地区污水处理设施建设',
    description:
      '升级改造稻香湖、翠湖再生水厂和北部地区污水处理站处理工艺，推进农村地区污水收集管网建设，' +
      '全区污水处理率达到99%以上。',
    section: '0006.0003',
    leader: 'deputy',
    dueOn: '2026-12-31',
    priority: TaskPriority.HIGH,
    lead: ['区水务局'],
    support: ['区生态环境局', '区发展改革委'],
    splits: [{ from: '区水务局', to: ['上庄地区', '苏家坨地区', '西北旺地区'], dueOn: '2026-10-31' }],
    milestones: [{ title: '完成稻香湖再生水厂提标改造', dueOn: '2026-06-30' }],
  },
  {
    code: '4',
    title: '停车治理',
    description:
      '推进停车挖潜和立体停车设施建设，重点缓解医院、景点、老旧小区周边停车难；规范路侧停车管理，依法整治违章停车。',
    section: '0008.0001',
    leader: 'leader',
    dueOn: '2026-12-31',
    priority: TaskPriority.HIGH,
    lead: ['区交通委'],
    support: ['区公安分局', '区城管执法局', '区住房城乡建设委'],
    splits: [{ from: '区交通委', to: ['中关村街道', '学院路街道', '海淀街道'], dueOn: '2026-11-30' }],
    milestones: [],
  },
  {
    code: '5',
    title: '养老服务驿站建设',
    description:
      '按照“一刻钟服务圈”要求新建一批社区养老服务驿站，推动医养结合，为居家老年人提供助餐、助浴、助医、日间照料等服务。',
    section: '0007.0002',
    leader: 'deputy',
    dueOn: '2027-06-30',
    priority: TaskPriority.NORMAL,
    lead: ['区民政局'],
    support: ['区卫生健康委', '区财政局'],
    splits: [{ from: '区民政局', to: ['海淀街道', '学院路街道', '上庄地区'], dueOn: '2027-03-31' }],
    milestones: [{ title: '完成驿站选址和运营方遴选', dueOn: '2026-09-30' }],
  },
  {
    code: '6',
    title: '“疏解整治促提升”专项行动',
    description:
      '严格执行新增产业的禁止和限制目录，推进区域性批发市场、物流仓储等低效业态疏解提升，' +
      '拆除违法建设，整治开墙打洞、无证无照经营和占道经营。',
    section: '0002.0001',
    leader: 'leader',
    dueOn: '2026-12-31',
    priority: TaskPriority.URGENT,
    lead: ['区发展改革委'],
    support: ['区商务局', '区市场监管局', '区城管执法局'],
    splits: [{ from: '区发展改革委', to: ['中关村街道', '海淀街道', '清河街道'], dueOn: '2026-11-30' }],
    milestones: [{ title: '报送上半年疏解整治任务完成情况', dueOn: '2026-06-30' }],
  },
  {
    code: '7',
    title: '推进北部地区城乡一体化',
    description:
      '深化农村集体产权制度改革，推进集体产业用地规划实施和绿化隔离地区建设，推动农民市民化和基本公共服务均等化。',
    section: '0002.0003',
    leader: 'deputy',
    dueOn: '2027-12-31',
    priority: TaskPriority.NORMAL,
    lead: ['区农业农村局'],
    support: ['区规划分局', '区发展改革委'],
    splits: [
      { from: '区农业农村局', to: ['上庄地区', '西北旺地区', '苏家坨地区', '温泉地区'], dueOn: '2027-10-31' },
    ],
    milestones: [],
  },
  {
    code: '8',
    title: '南沙河等河道水环境综合治理',
    description:
      '实施南沙河、南旱河等河道综合治理和景观提升工程，消除黑臭水体，确保南沙河出境断面水质考核达标。',
    section: '0006.0003',
    leader: 'deputy',
    dueOn: '2027-06-30',
    priority: TaskPriority.NORMAL,
    lead: ['区水务局'],
    support: ['区园林绿化局', '区生态环境局'],
    splits: [{ from: '区水务局', to: ['上庄地区', '西北旺地区'], dueOn: '2027-04-30' }],
    milestones: [{ title: '完成南沙河治理工程初步设计批复', dueOn: '2026-08-31' }],
  },
  {
    code: '9',
    title: '细颗粒物（PM2.5）年均浓度持续下降',
    description: '以治理PM2.5为重点，强化施工扬尘、道路扬尘和机动车排放污染治理，推进散煤清洁能源替代。',
    section: '0006.0004',
    leader: 'leader',
    dueOn: '2026-12-31',
    priority: TaskPriority.HIGH,
    lead: ['区生态环境局'],
    support: ['区城市管理委', '区住房城乡建设委', '区交通委'],
    splits: [],
    milestones: [],
  },
  {
    code: '10',
    title: '生活垃圾分类全覆盖',
    description:
      '落实《北京市生活垃圾管理条例》，推进居住小区和单位生活垃圾分类全覆盖，完善分类投放、收集、运输、处理体系。',
    section: '0006.0004',
    leader: 'deputy',
    dueOn: '2026-12-31',
    priority: TaskPriority.NORMAL,
    lead: ['区城市管理委'],
    support: ['区城管执法局'],
    splits: [
      { from: '区城市管理委', to: ['中关村街道', '学院路街道', '海淀街道', '上庄地区'], dueOn: '2026-11-30' },
    ],
    milestones: [],
  },
  {
    code: '11',
    title: '新建改扩建中小学和幼儿园',
    description:
      '在学位紧缺地区新建、改扩建一批中小学和幼儿园，推动优质教育资源向北部地区辐射，增加普惠性学前教育学位。',
    section: '0007.0001',
    leader: 'leader',
    dueOn: '2027-08-31',
    priority: TaskPriority.HIGH,
    lead: ['区教委'],
    support: ['区发展改革委', '区规划分局', '区住房城乡建设委'],
    splits: [],
    milestones: [{ title: '完成新增学位项目立项', dueOn: '2026-04-30' }],
  },
  {
    code: '12',
    title: '“三山五园”历史文化景区保护利用',
    description:
      '以“三山五园”为核心推进西山历史文化带建设，开展历史名园和文物保护修缮，恢复历史水系，推进整体保护和展示利用。',
    section: '0005.0003',
    leader: 'leader',
    dueOn: '2027-12-31',
    priority: TaskPriority.NORMAL,
    lead: ['区文化和旅游局'],
    support: ['区园林绿化局', '区规划分局', '区水务局'],
    splits: [{ from: '区文化和旅游局', to: ['青龙桥街道', '香山街道', '四季青地区'], dueOn: '2027-10-31' }],
    milestones: [],
  },
];
