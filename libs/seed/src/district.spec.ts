import { OrgUnitKind } from '@zhezi/org';
import { DEPARTMENTS, DISTRICT_UNITS, GOVERNMENT, LOCAL_UNITS } from './district';

const unitOfName = (alias: string) =>
  DISTRICT_UNITS.find((u) => u.name === alias || u.aliases.includes(alias))?.name;

describe('district units', () => {
  it('starts with the government, the one root', () => {
    expect(DISTRICT_UNITS[0]).toBe(GOVERNMENT);
    expect(DISTRICT_UNITS.filter((u) => u.kind === OrgUnitKind.GOVERNMENT)).toHaveLength(1);
    expect(DISTRICT_UNITS.filter((u) => u.kind === OrgUnitKind.INSPECTORATE).map((u) => u.name)).toEqual([
      '区政府督查室',
    ]);
  });

  it('has the 22 subdistricts and 7 area offices, coded 110108001–030 without 009', () => {
    expect(LOCAL_UNITS).toHaveLength(29);
    expect(LOCAL_UNITS.filter((u) => u.kind === OrgUnitKind.SUBDISTRICT)).toHaveLength(22);
    expect(LOCAL_UNITS.filter((u) => u.kind === OrgUnitKind.TOWN).map((u) => u.name)).toEqual([
      '万柳地区',
      '东升地区',
      '温泉地区',
      '四季青地区',
      '西北旺地区',
      '苏家坨地区',
      '上庄地区',
    ]);
    const expected = Array.from({ length: 30 }, (_, i) => `110108${String(i + 1).padStart(3, '0')}`).filter(
      (code) => code !== '110108009',
    );
    expect(LOCAL_UNITS.map((u) => u.code).sort()).toEqual(expected);
    expect(LOCAL_UNITS.find((u) => u.code === '110108011')?.name).toBe('中关村街道');
    expect(LOCAL_UNITS.find((u) => u.code === '110108025')?.name).toBe('曙光街道');
  });

  it('has at least 25 departments, among them those the issue names', () => {
    expect(DEPARTMENTS.length).toBeGreaterThanOrEqual(25);
    expect(DEPARTMENTS.every((u) => u.kind === OrgUnitKind.DEPARTMENT && /^D\d{3}$/.test(u.code))).toBe(true);
    const names = DEPARTMENTS.map((u) => u.name);
    for (const name of [
      '区发展改革委',
      '区教委',
      '区科学技术和信息化局',
      '区财政局',
      '区水务局',
      '区园林绿化局',
      '区交通委',
      '区卫生健康委',
      '区民政局',
      '区城市管理委',
      '区住房城乡建设委',
      '区生态环境局',
      '区人力资源社会保障局',
      '区商务局',
      '区文化和旅游局',
      '区市场监管局',
      '区应急管理局',
      '区农业农村局',
      '区审计局',
      '区统计局',
      '区国资委',
      '区体育局',
      '区政务服务局',
      '区医保局',
      '区城管执法局',
      '区退役军人事务局',
      '区司法局',
      '区规划分局',
    ]) {
      expect(names).toContain(name);
    }
  });

  it('keeps codes and names unique', () => {
    const codes = DISTRICT_UNITS.map((u) => u.code);
    const names = DISTRICT_UNITS.map((u) => u.name);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(names).size).toBe(names.length);
  });

  it('gives every alias to one unit only, and never another unit’s name', () => {
    const all = DISTRICT_UNITS.flatMap((u) => [u.name, ...u.aliases]);
    const repeated = all.filter((name, i) => all.indexOf(name) !== i);
    expect(repeated).toEqual([]);
  });

  it.each([
    ['区发改委', '区发展改革委'],
    ['海淀区发展和改革委员会', '区发展改革委'],
    ['区卫生计生委', '区卫生健康委'],
    ['区市政市容委', '区城市管理委'],
    ['区环保局', '区生态环境局'],
    ['区住建委', '区住房城乡建设委'],
    ['区人力社保局', '区人力资源社会保障局'],
    ['区文委', '区文化和旅游局'],
    ['区旅游委', '区文化和旅游局'],
    ['区安监局', '区应急管理局'],
    ['区工商分局', '区市场监管局'],
    ['区质监局', '区市场监管局'],
    ['区食药局', '区市场监管局'],
    ['区农委', '区农业农村局'],
    ['区商务委', '区商务局'],
    ['区科委', '区科学技术和信息化局'],
    ['区科信局', '区科学技术和信息化局'],
    ['区经信局', '区科学技术和信息化局'],
    ['区经济和信息化局', '区科学技术和信息化局'],
    ['区政务服务和数据管理局', '区政务服务局'],
    ['海淀镇', '万柳地区'],
    ['东升镇', '东升地区'],
    ['温泉', '温泉地区'],
    ['上庄镇', '上庄地区'],
    ['区政府', '海淀区人民政府'],
  ])('resolves %s to %s', (alias, name) => {
    expect(unitOfName(alias)).toBe(name);
  });
});
