import { describe, expect, it } from 'vitest';
import { allKeys, buildUnitTree, type TreeUnit } from './unit-tree';

const UNITS: TreeUnit[] = [
  { id: 'gov', name: '海淀区人民政府', kind: 'GOVERNMENT', aliases: [], parentId: null, active: true },
  {
    id: 'fgw',
    name: '区发展改革委',
    kind: 'DEPARTMENT',
    aliases: ['区发改委'],
    parentId: 'gov',
    active: true,
  },
  { id: 'swj', name: '区水务局', kind: 'DEPARTMENT', aliases: [], parentId: 'gov', active: true },
  { id: 'zgc', name: '中关村街道', kind: 'SUBDISTRICT', aliases: [], parentId: 'gov', active: true },
  { id: 'sz', name: '上庄地区', kind: 'TOWN', aliases: ['上庄镇'], parentId: 'gov', active: true },
  { id: 'dcs', name: '区政府督查室', kind: 'INSPECTORATE', aliases: [], parentId: 'gov', active: true },
  { id: 'kw', name: '区科委', kind: 'DEPARTMENT', aliases: [], parentId: 'gov', active: false },
];

describe('buildUnitTree', () => {
  it('groups the government’s units by kind, with counts', () => {
    const [root] = buildUnitTree(UNITS);
    expect(root).toMatchObject({ key: 'gov', title: '海淀区人民政府', unitId: 'gov' });
    expect(root.children!.map((c) => c.title)).toEqual([
      '督查室（1）',
      '委办局（3）',
      '街道（1）',
      '镇 / 地区（1）',
    ]);
    const departments = root.children![1];
    expect(departments.unitId).toBeUndefined();
    expect(departments.children!.map((c) => c.title)).toEqual([
      '区发展改革委',
      '区水务局',
      '区科委（已停用）',
    ]);
    expect(departments.children![2].inactive).toBe(true);
  });

  it('does not group children of a single kind', () => {
    const units: TreeUnit[] = [
      ...UNITS,
      { id: 'fgw-1', name: '价格监测中心', kind: 'DEPARTMENT', aliases: [], parentId: 'fgw', active: true },
    ];
    const fgw = buildUnitTree(units)[0].children![1].children![0];
    expect(fgw.children!.map((c) => c.key)).toEqual(['fgw-1']);
  });

  it('keeps only what the search finds (by name or alias) and the units above it', () => {
    const tree = buildUnitTree(UNITS, '上庄镇');
    expect(allKeys(tree)).toEqual(['gov', 'gov:TOWN', 'sz']);
    expect(allKeys(buildUnitTree(UNITS, '发改委'))).toEqual(['gov', 'gov:DEPARTMENT', 'fgw']);
    expect(buildUnitTree(UNITS, '不存在的单位')).toEqual([]);
  });
});
