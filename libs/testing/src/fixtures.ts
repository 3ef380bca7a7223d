import type { EntityManager } from 'typeorm';
import { hashPassword } from '@zhezi/auth';
import { Role } from '@zhezi/core';
import { OrgUnit, OrgUnitKind, User } from '@zhezi/org';
import { Plan, PlanKind, Target, TargetLevel } from '@zhezi/plan';

export const FIXTURE_PASSWORD = 'Test@2026';

const UNITS: Record<string, { name: string; kind: OrgUnitKind; code: string; aliases?: string[] }> = {
  gov: { name: '海淀区人民政府', kind: OrgUnitKind.GOVERNMENT, code: 'G001' },
  inspectorate: { name: '区政府督查室', kind: OrgUnitKind.INSPECTORATE, code: 'I001' },
  fgw: { name: '区发展改革委', kind: OrgUnitKind.DEPARTMENT, code: 'D001', aliases: ['区发改委'] },
  swj: { name: '区水务局', kind: OrgUnitKind.DEPARTMENT, code: 'D005' },
  jw: { name: '区教委', kind: OrgUnitKind.DEPARTMENT, code: 'D002' },
  zgc: { name: '中关村街道', kind: OrgUnitKind.SUBDISTRICT, code: '110108011' },
  xyl: { name: '学院路街道', kind: OrgUnitKind.SUBDISTRICT, code: '110108010' },
  hd: { name: '海淀街道', kind: OrgUnitKind.SUBDISTRICT, code: '110108012' },
  qh: { name: '清河街道', kind: OrgUnitKind.SUBDISTRICT, code: '110108017' },
  sz: { name: '上庄地区', kind: OrgUnitKind.TOWN, code: '110108030', aliases: ['上庄镇'] },
};

export type UnitKey = 'gov' | 'inspectorate' | 'fgw' | 'swj' | 'jw' | 'zgc' | 'xyl' | 'hd' | 'qh' | 'sz';

export const USERS = {
  admin: { role: Role.ADMIN, unit: 'gov', name: '管理员' },
  leader: { role: Role.LEADER, unit: 'gov', name: '王副区长' },
  inspector: { role: Role.INSPECTOR, unit: 'inspectorate', name: '督查员李' },
  fgwHead: { role: Role.DEPARTMENT_HEAD, unit: 'fgw', name: '发改负责人' },
  fgwOfficer: { role: Role.DEPARTMENT_OFFICER, unit: 'fgw', name: '发改经办人' },
  swjOfficer: { role: Role.DEPARTMENT_OFFICER, unit: 'swj', name: '水务经办人' },
  zgcHead: { role: Role.SUBDISTRICT_HEAD, unit: 'zgc', name: '中关村负责人' },
  zgcOfficer: { role: Role.SUBDISTRICT_OFFICER, unit: 'zgc', name: '中关村经办人' },
  xylOfficer: { role: Role.SUBDISTRICT_OFFICER, unit: 'xyl', name: '学院路经办人' },
  hdOfficer: { role: Role.SUBDISTRICT_OFFICER, unit: 'hd', name: '海淀街道经办人' },
  qhOfficer: { role: Role.SUBDISTRICT_OFFICER, unit: 'qh', name: '清河经办人' },
} as const satisfies Record<string, { role: Role; unit: UnitKey; name: string }>;

export type UserKey = keyof typeof USERS;

export interface Fixture {
  units: Record<UnitKey, OrgUnit>;
  users: Record<UserKey, User>;
  plan: Plan;
  chapter: Target;
  section: Target;
}

/** A small district: enough units and one user per role to exercise every permission rule. */
export async function createFixture(manager: EntityManager): Promise<Fixture> {
  const gov = await manager.save(manager.create(OrgUnit, { ...UNITS.gov, parentId: null }));
  const units = { gov } as Record<UnitKey, OrgUnit>;
  for (const [key, unit] of Object.entries(UNITS) as [UnitKey, (typeof UNITS)[string]][]) {
    if (key !== 'gov')
      units[key] = await manager.save(manager.create(OrgUnit, { ...unit, parentId: gov.id }));
  }
  const passwordHash = await hashPassword(FIXTURE_PASSWORD);
  const users = {} as Record<UserKey, User>;
  for (const [key, user] of Object.entries(USERS) as [UserKey, (typeof USERS)[UserKey]][]) {
    users[key] = await manager.save(
      manager.create(User, {
        username: key,
        displayName: user.name,
        role: user.role,
        orgUnitId: units[user.unit].id,
        passwordHash,
      }),
    );
  }
  const plan = await manager.save(
    manager.create(Plan, {
      title: '测试规划',
      kind: PlanKind.OUTLINE,
      periodStart: new Date('2025-12-31T16:00:00Z'),
      periodEnd: new Date('2030-12-31T15:59:59Z'),
    }),
  );
  const chapter = await manager.save(
    manager.create(Target, {
      planId: plan.id,
      level: TargetLevel.CHAPTER,
      number: '第一章',
      title: '创新发展',
      position: 1,
      path: '0001',
    }),
  );
  const section = await manager.save(
    manager.create(Target, {
      planId: plan.id,
      parentId: chapter.id,
      level: TargetLevel.SECTION,
      number: '第一节',
      title: '建设中关村科学城',
      position: 1,
      path: '0001.0001',
    }),
  );
  return { units, users, plan, chapter, section };
}
