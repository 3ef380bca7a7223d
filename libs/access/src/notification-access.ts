import {
  DEPARTMENT_ROLES,
  isAssigner,
  readsEverything,
  Role,
  SUBDISTRICT_ROLES,
  type Actor,
} from '@zhezi/core';

const HEADS = [Role.DEPARTMENT_HEAD, Role.SUBDISTRICT_HEAD];

/** A notification and its deliveries are read by its recipient, and by those who assign work. */
export function readsNotificationsOf(actor: Actor, recipientId: string): boolean {
  return recipientId === actor.userId || isAssigner(actor);
}

/** A unit's channels are listed to district-wide readers and to the unit's own staff. */
export function readsChannelsOf(actor: Actor, orgUnitId: string): boolean {
  const ownUnit =
    [...DEPARTMENT_ROLES, ...SUBDISTRICT_ROLES].includes(actor.role) && actor.orgUnitId === orgUnitId;
  return readsEverything(actor) || ownUnit;
}

/** Admins and the unit's head set up a unit's channels, and only they read their addresses. */
export function managesChannelsOf(actor: Actor, orgUnitId: string | undefined): boolean {
  if (actor.role === Role.ADMIN) return true;
  return HEADS.includes(actor.role) && actor.orgUnitId === orgUnitId;
}

/**
 * A robot's or webhook's address is a credential (钉钉 and 企业微信 carry the token in the query, 飞书 in the
 * path): shown to anyone else, only its scheme and host remain.
 */
export function maskTarget(url: string): string {
  try {
    return `${new URL(url).origin}/***`;
  } catch {
    return '***';
  }
}
