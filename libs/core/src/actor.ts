import { registerEnumType } from '@nestjs/graphql';

export enum Role {
  ADMIN = 'ADMIN',
  LEADER = 'LEADER',
  INSPECTOR = 'INSPECTOR',
  DEPARTMENT_HEAD = 'DEPARTMENT_HEAD',
  DEPARTMENT_OFFICER = 'DEPARTMENT_OFFICER',
  SUBDISTRICT_HEAD = 'SUBDISTRICT_HEAD',
  SUBDISTRICT_OFFICER = 'SUBDISTRICT_OFFICER',
}

registerEnumType(Role, {
  name: 'Role',
  valuesMap: {
    ADMIN: { description: '管理员' },
    LEADER: { description: '区领导 / 责任领导' },
    INSPECTOR: { description: '督查员' },
    DEPARTMENT_HEAD: { description: '部门负责人' },
    DEPARTMENT_OFFICER: { description: '部门经办人' },
    SUBDISTRICT_HEAD: { description: '街镇负责人' },
    SUBDISTRICT_OFFICER: { description: '街镇经办人' },
  },
});

/** Roles that read and steer everything. */
export const DISTRICT_WIDE_READERS: readonly Role[] = [Role.ADMIN, Role.LEADER, Role.INSPECTOR];
/** Roles that create plans and tasks and hand them out. */
export const ASSIGNERS: readonly Role[] = [Role.ADMIN, Role.LEADER];
export const DEPARTMENT_ROLES: readonly Role[] = [Role.DEPARTMENT_HEAD, Role.DEPARTMENT_OFFICER];
export const SUBDISTRICT_ROLES: readonly Role[] = [Role.SUBDISTRICT_HEAD, Role.SUBDISTRICT_OFFICER];

/** The signed-in user as the domain sees it. */
export interface Actor {
  userId: string;
  displayName: string;
  role: Role;
  orgUnitId: string;
}

export const readsEverything = (actor: Actor) => DISTRICT_WIDE_READERS.includes(actor.role);
export const isAssigner = (actor: Actor) => ASSIGNERS.includes(actor.role);
