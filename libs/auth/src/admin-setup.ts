import { IsNull, type EntityManager } from 'typeorm';
import { writeAuditEvent, type AuditActor } from '@zhezi/audit';
import { Role } from '@zhezi/core';
import { OrgUnit, OrgUnitKind, User } from '@zhezi/org';
import { hashPassword } from './password';
import { passwordProblem } from './password-policy';

/** A refusal the command prints as one sentence. */
export class AdminSetupError extends Error {}

export interface AdminSetupInput {
  username: string;
  password: string;
  displayName?: string;
  /** Name, alias, code or id of the unit; the government root unit when absent. */
  unit?: string;
  /** Creates the government root unit under this name, on a database that has no unit at all. */
  unitName?: string;
}

export interface AdminSetupResult {
  user: User;
  unit: OrgUnit;
  createdUnit: boolean;
}

const SETUP_ACTOR: AuditActor = { userId: null, displayName: '系统（admin:create）' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The first (or another) administrator of a deployment without demo data, written in the caller's transaction
 * with its audit events. The operator chose the password, so it need not be changed at first sign-in.
 */
export async function createAdministrator(
  manager: EntityManager,
  now: Date,
  input: AdminSetupInput,
): Promise<AdminSetupResult> {
  const problem = passwordProblem(input.password, input.username);
  if (problem) throw new AdminSetupError(`password refused: ${problem}`);
  if (await manager.existsBy(User, { username: input.username })) {
    throw new AdminSetupError(
      `user "${input.username}" already exists (an admin can reset its password with resetUserPassword)`,
    );
  }
  const { unit, created } = await unitFor(manager, input);
  if (created) {
    await writeAuditEvent(manager, now, SETUP_ACTOR, {
      action: 'orgUnit.create',
      entityType: 'org_unit',
      entityId: unit.id,
      unitIds: [unit.id],
      after: { name: unit.name, kind: unit.kind, code: unit.code },
    });
  }
  const user = await manager.save(
    manager.create(User, {
      username: input.username,
      displayName: input.displayName ?? input.username,
      role: Role.ADMIN,
      orgUnitId: unit.id,
      passwordHash: await hashPassword(input.password),
    }),
  );
  await writeAuditEvent(manager, now, SETUP_ACTOR, {
    action: 'user.create',
    entityType: 'user',
    entityId: user.id,
    unitIds: [unit.id],
    after: { username: user.username, displayName: user.displayName, role: user.role, orgUnitId: unit.id },
  });
  return { user, unit, createdUnit: created };
}

async function unitFor(
  manager: EntityManager,
  input: AdminSetupInput,
): Promise<{ unit: OrgUnit; created: boolean }> {
  const count = await manager.count(OrgUnit);
  if (count === 0) {
    if (!input.unitName) {
      throw new AdminSetupError(
        'there is no org unit yet: add --unit-name "<the government, e.g. 海淀区人民政府>" to create the root unit ' +
          '(the rest of the org chart is then created by the admin), or load the demo data with npm run seed',
      );
    }
    const unit = await manager.save(
      manager.create(OrgUnit, {
        code: 'ROOT',
        name: input.unitName,
        kind: OrgUnitKind.GOVERNMENT,
        parentId: null,
      }),
    );
    return { unit, created: true };
  }
  if (input.unitName) {
    throw new AdminSetupError(
      '--unit-name only creates the root unit of an empty database; use --unit to pick one',
    );
  }
  if (input.unit) {
    const wanted = input.unit;
    const unit = await manager
      .createQueryBuilder(OrgUnit, 'u')
      .where('u.name = :wanted OR u.code = :wanted OR :wanted = ANY(u.aliases)', { wanted })
      .orWhere(UUID.test(wanted) ? 'u.id = :wanted' : 'false', { wanted })
      .getMany();
    if (unit.length === 1) return { unit: unit[0], created: false };
    throw new AdminSetupError(
      unit.length
        ? `"${wanted}" names ${unit.length} units: give its code instead`
        : `no org unit "${wanted}"`,
    );
  }
  const top = await manager.findBy(OrgUnit, { kind: OrgUnitKind.GOVERNMENT, parentId: IsNull() });
  if (top.length === 1) return { unit: top[0], created: false };
  throw new AdminSetupError(
    top.length
      ? 'several government root units: choose one with --unit'
      : 'no government root unit: choose a unit with --unit',
  );
}
