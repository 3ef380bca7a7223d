import { OrgUnitKind } from '@zhezi/org';

/** An org unit as seeded; `code` is the key the seed upserts by. */
export interface UnitSeed {
  code: string;
  name: string;
  kind: OrgUnitKind;
  /** Abbreviations, full names and former names, as plans and spreadsheets write them. */
  aliases: string[];
}

/** Codes G001 / I001 / D0xx match the test fixture, so a unit is the same unit in tests and demos. */
export const GOVERNMENT: UnitSeed = {
  code: 'G001',
  name: '海淀区人民政府',
  kind: OrgUnitKind.GOVERNMENT,
  aliases: ['区政府', '海淀区政府', '北京市海淀区人民政府'],
};

export const INSPECTORATE: UnitSeed = {
  code: 'I001',
  name: '区政府督查室',
  kind: OrgUnitKind.INSPECTORATE,
  aliases: ['海淀区人民政府督查室', '区督查室'],
};

const department = (code: string, name: string, ...aliases: string[]): UnitSeed => ({
  code,
  name,
  kind: OrgUnitKind.DEPARTMENT,
  aliases,
});

/** Current short names; aliases start with the full name, then abbreviations, then former names. */
export const DEPARTMENTS: readonly UnitSeed[] = [
  department('D001', '区发展改革委', '海淀区发展和改革委员会', '区发展和改革委员会', '区发改委'),
  department('D002', '区教委', '海淀区教育委员会', '区教育委员会'),
  // The 2019 reform merged 区科委 and 区经信局 into one bureau (D023 was the latter; see MERGED_UNITS).
  department(
    'D003',
    '区科学技术和信息化局',
    '海淀区科学技术和信息化局',
    '区科信局',
    '区科委',
    '海淀区科学技术委员会',
    '区科学技术委员会',
    '区经济和信息化局',
    '海淀区经济和信息化局',
    '区经信局',
    '区经信委',
    '区经济和信息化委员会',
  ),
  department('D004', '区财政局', '海淀区财政局'),
  department('D005', '区水务局', '海淀区水务局', '区水利局'),
  department('D006', '区园林绿化局', '海淀区园林绿化局', '区园林局'),
  department('D007', '区交通委', '海淀区交通委员会', '区交通委员会'),
  department(
    'D008',
    '区卫生健康委',
    '海淀区卫生健康委员会',
    '区卫生健康委员会',
    '区卫健委',
    '区卫生计生委',
    '区卫计委',
    '区卫生和计划生育委员会',
    '区卫生局',
  ),
  department('D009', '区民政局', '海淀区民政局'),
  department(
    'D010',
    '区城市管理委',
    '海淀区城市管理委员会',
    '区城市管理委员会',
    '区城管委',
    '区市政市容委',
    '区市政市容管理委员会',
  ),
  department(
    'D011',
    '区住房城乡建设委',
    '海淀区住房和城乡建设委员会',
    '区住房和城乡建设委员会',
    '区住建委',
    '区建委',
  ),
  department('D012', '区生态环境局', '海淀区生态环境局', '区环保局', '区环境保护局'),
  department(
    'D013',
    '区人力资源社会保障局',
    '海淀区人力资源和社会保障局',
    '区人力资源和社会保障局',
    '区人力社保局',
    '区人社局',
  ),
  department('D014', '区商务局', '海淀区商务局', '区商务委', '区商务委员会'),
  department(
    'D015',
    '区文化和旅游局',
    '海淀区文化和旅游局',
    '区文旅局',
    '区文委',
    '区文化委员会',
    '区旅游委',
    '区旅游发展委员会',
  ),
  department(
    'D016',
    '区市场监管局',
    '海淀区市场监督管理局',
    '区市场监督管理局',
    '区工商分局',
    '区质监局',
    '区食药局',
    '区食品药品监管局',
  ),
  department('D017', '区应急管理局', '海淀区应急管理局', '区应急局', '区安监局', '区安全生产监督管理局'),
  department('D018', '区农业农村局', '海淀区农业农村局', '区农委', '区农村工作委员会'),
  department('D019', '区审计局', '海淀区审计局'),
  department('D020', '区统计局', '海淀区统计局'),
  department('D021', '区国资委', '海淀区人民政府国有资产监督管理委员会', '区国有资产监督管理委员会'),
  department('D022', '区体育局', '海淀区体育局'),
  department(
    'D024',
    '区政务服务局',
    '海淀区政务服务管理局',
    '区政务服务管理局',
    '区政务服务和数据管理局',
    '海淀区政务服务和数据管理局',
    '区政务服务管理办公室',
    '海淀区政务服务管理办公室',
  ),
  department('D025', '区医保局', '海淀区医疗保障局', '区医疗保障局'),
  department(
    'D026',
    '区城管执法局',
    '海淀区城市管理综合行政执法局',
    '区城市管理综合行政执法局',
    '区城管执法监察局',
  ),
  department('D027', '区退役军人事务局', '海淀区退役军人事务局', '区退役军人局'),
  department('D028', '区司法局', '海淀区司法局'),
  // A branch of the municipal commission that the district steers like its own department.
  department(
    'D029',
    '区规划分局',
    '北京市规划和自然资源委员会海淀分局',
    '市规划自然资源委海淀分局',
    '区规划自然资源分局',
    '区规划国土分局',
    '区国土分局',
  ),
  department(
    'D030',
    '中关村科学城管委会',
    '中关村科学城管理委员会',
    '海淀园管委会',
    '中关村科技园区海淀园管理委员会',
  ),
  department('D031', '区公安分局', '北京市公安局海淀分局', '海淀公安分局'),
];

const subdistrict = (suffix: string, name: string): UnitSeed => ({
  code: `110108${suffix}`,
  name,
  kind: OrgUnitKind.SUBDISTRICT,
  aliases: [`${name}办事处`],
});

/** Area offices (地区办事处) that are also towns; plans still name them by the town. */
const town = (suffix: string, name: string, ...aliases: string[]): UnitSeed => ({
  code: `110108${suffix}`,
  name,
  kind: OrgUnitKind.TOWN,
  aliases: [`${name}办事处`, ...aliases],
});

/** The 22 subdistricts and 7 area offices, coded by 统计用区划代码 (110108009 is unused). */
export const LOCAL_UNITS: readonly UnitSeed[] = [
  subdistrict('001', '万寿路街道'),
  subdistrict('002', '永定路街道'),
  subdistrict('003', '羊坊店街道'),
  subdistrict('004', '甘家口街道'),
  subdistrict('005', '八里庄街道'),
  subdistrict('006', '紫竹院街道'),
  subdistrict('007', '北下关街道'),
  subdistrict('008', '北太平庄街道'),
  subdistrict('010', '学院路街道'),
  subdistrict('011', '中关村街道'),
  subdistrict('012', '海淀街道'),
  subdistrict('013', '青龙桥街道'),
  subdistrict('014', '清华园街道'),
  subdistrict('015', '燕园街道'),
  subdistrict('016', '香山街道'),
  subdistrict('017', '清河街道'),
  subdistrict('018', '花园路街道'),
  subdistrict('019', '西三旗街道'),
  subdistrict('020', '马连洼街道'),
  subdistrict('021', '田村路街道'),
  subdistrict('022', '上地街道'),
  town('023', '万柳地区', '海淀镇'),
  town('024', '东升地区', '东升镇'),
  subdistrict('025', '曙光街道'),
  town('026', '温泉地区', '温泉镇', '温泉'),
  town('027', '四季青地区', '四季青镇', '四季青'),
  town('028', '西北旺地区', '西北旺镇', '西北旺'),
  town('029', '苏家坨地区', '苏家坨镇', '苏家坨'),
  town('030', '上庄地区', '上庄镇', '上庄'),
];

/**
 * Units an earlier seed created that the district has since merged into another (code → survivor's code):
 * the seed retires them where nothing is open on them (see retireMergedUnits), as mergeOrgUnits would.
 */
export const MERGED_UNITS: readonly { code: string; into: string }[] = [{ code: 'D023', into: 'D003' }];

/** Every seeded unit, government first (the others hang under it); the index is the unit's sort order. */
export const DISTRICT_UNITS: readonly UnitSeed[] = [GOVERNMENT, INSPECTORATE, ...DEPARTMENTS, ...LOCAL_UNITS];
