import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '@zhezi/audit';
import {
  badInput,
  conflict,
  forbidden,
  notFound,
  paginate,
  Role,
  transactional,
  type Actor,
  type Connection,
} from '@zhezi/core';
import { OrgUnit, OrgUnitKind, User } from '@zhezi/org';
import { ActiveUserCache } from './active-user.cache';
import { assertPasswordPolicy, bumpSession } from './auth.service';
import { loginThrottle, usernameKey } from './login-throttle';
import { hashPassword } from './password';
import { passwordProblem, temporaryPassword } from './password-policy';
import type { CreateUserInput, UpdateUserInput, UsersArgs } from './user-admin.types';

/** The officers a unit head manages: those of the same kind of unit, in the head's own unit. */
const OFFICER_OF_HEAD: Partial<Record<Role, Role>> = {
  [Role.DEPARTMENT_HEAD]: Role.DEPARTMENT_OFFICER,
  [Role.SUBDISTRICT_HEAD]: Role.SUBDISTRICT_OFFICER,
};

/** Which kinds of unit each role belongs to, as the rest of the system assumes (boards, approvals, access). */
const UNIT_KINDS_OF_ROLE: Record<Role, readonly OrgUnitKind[]> = {
  [Role.ADMIN]: Object.values(OrgUnitKind),
  [Role.LEADER]: [OrgUnitKind.GOVERNMENT],
  [Role.INSPECTOR]: [OrgUnitKind.INSPECTORATE, OrgUnitKind.GOVERNMENT],
  [Role.DEPARTMENT_HEAD]: [OrgUnitKind.DEPARTMENT],
  [Role.DEPARTMENT_OFFICER]: [OrgUnitKind.DEPARTMENT],
  [Role.SUBDISTRICT_HEAD]: [OrgUnitKind.SUBDISTRICT, OrgUnitKind.TOWN],
  [Role.SUBDISTRICT_OFFICER]: [OrgUnitKind.SUBDISTRICT, OrgUnitKind.TOWN],
};

/** What the audit log keeps of a user: never the hash, nor the session version. */
const snapshot = (u: User) => ({
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  orgUnitId: u.orgUnitId,
  title: u.title,
  phone: u.phone,
  email: u.email,
  active: u.active,
  mustChangePassword: u.mustChangePassword,
});

export interface UserWithPassword {
  user: User;
  temporaryPassword: string | null;
}

/**
 * People administration: admins manage everyone; a unit head manages the officers of their own unit and
 * nobody else. Every change is audited in its transaction; disabling and resetting revoke the user's tokens.
 * A changed user is evicted from this process's ActiveUserCache once committed (other processes hear NOTIFY).
 */
@Injectable()
export class UserAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly users: ActiveUserCache,
  ) {}

  /** Admins list everyone; a unit head lists the people of their own unit. */
  list(actor: Actor, args: UsersArgs): Promise<Connection<User>> {
    const filter = args.filter ?? {};
    if (actor.role !== Role.ADMIN) {
      if (filter.orgUnitId && filter.orgUnitId !== actor.orgUnitId) throw forbidden('只能查看本单位的用户');
    }
    const orgUnitId = actor.role === Role.ADMIN ? filter.orgUnitId : actor.orgUnitId;
    const qb = this.dataSource.getRepository(User).createQueryBuilder('u');
    if (orgUnitId) qb.andWhere('u.org_unit_id = :orgUnitId', { orgUnitId });
    if (filter.role) qb.andWhere('u.role = :role', { role: filter.role });
    if (filter.disabled !== undefined) qb.andWhere('u.active = :active', { active: !filter.disabled });
    if (filter.search) {
      const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere('(u.username ILIKE :pattern OR u.display_name ILIKE :pattern)', { pattern });
    }
    // Cursors carry milliseconds; created_at has microseconds, so the key is cut to what the cursor can hold.
    return paginate(qb, args, `date_trunc('milliseconds', u.created_at)`, (u) => u.createdAt);
  }

  async create(actor: Actor, input: CreateUserInput): Promise<UserWithPassword> {
    this.assertManages(actor, input);
    const generated = input.password ? null : this.newTemporaryPassword(input.username);
    const password = input.password ?? generated!;
    assertPasswordPolicy(password, input.username, 'password');
    const passwordHash = await hashPassword(password);
    const user = await transactional(this.dataSource, async (manager) => {
      await this.assertFits(manager, input.role, input.orgUnitId);
      if (await manager.existsBy(User, { username: input.username })) {
        throw conflict(`用户名已被使用：${input.username}`, { field: 'username' });
      }
      const created = await manager.save(
        manager.create(User, {
          username: input.username,
          displayName: input.displayName.trim(),
          role: input.role,
          orgUnitId: input.orgUnitId,
          title: input.title ?? null,
          phone: input.phone ?? null,
          email: input.email ?? null,
          passwordHash,
          mustChangePassword: true,
        }),
      );
      await this.record(manager, actor, 'user.create', created, null, snapshot(created));
      return created;
    });
    return { user, temporaryPassword: generated };
  }

  async update(actor: Actor, input: UpdateUserInput): Promise<User> {
    const updated = await transactional(this.dataSource, async (manager) => {
      const user = await this.lockUser(manager, actor, input.id);
      const before = snapshot(user);
      const next = {
        role: input.role ?? user.role,
        orgUnitId: input.orgUnitId ?? user.orgUnitId,
      };
      // A head may not move an officer out of the unit or promote them: the result must still be theirs.
      this.assertManages(actor, next);
      if (user.id === actor.userId && next.role !== user.role) throw badInput('role', '不能修改自己的角色');
      if (next.role !== user.role || next.orgUnitId !== user.orgUnitId) {
        await this.assertFits(manager, next.role, next.orgUnitId);
      }
      Object.assign(user, next, {
        ...(input.displayName !== undefined && { displayName: input.displayName.trim() }),
        ...(input.title !== undefined && { title: input.title }),
        ...(input.phone !== undefined && { phone: input.phone }),
        ...(input.email !== undefined && { email: input.email }),
      });
      const saved = await manager.save(user);
      await this.record(manager, actor, 'user.update', saved, before, snapshot(saved), before.orgUnitId);
      return saved;
    });
    this.users.evict(updated.id);
    return updated;
  }

  /** Disabling signs the user out at once (their session version moves on); re-enabling restores sign-in. */
  async setActive(actor: Actor, id: string, active: boolean): Promise<User> {
    const changed = await transactional(this.dataSource, async (manager) => {
      const user = await this.lockUser(manager, actor, id);
      if (!active && user.id === actor.userId) throw badInput('id', '不能停用自己的账号');
      if (user.active === active) return user;
      const before = snapshot(user);
      const saved = active
        ? await manager.save(Object.assign(user, { active }))
        : await bumpSession(manager, user.id, { active });
      await this.record(manager, actor, active ? 'user.enable' : 'user.disable', saved, before, { active });
      return saved;
    });
    this.users.evict(id);
    return changed;
  }

  /** A temporary password (given or generated) the user must replace at the next sign-in; old tokens stop working. */
  async resetPassword(actor: Actor, id: string, password: string | null): Promise<UserWithPassword> {
    const target = await this.dataSource.getRepository(User).findOneBy({ id });
    if (!target) throw notFound('用户', id);
    this.assertManages(actor, target);
    const generated = password ? null : this.newTemporaryPassword(target.username);
    assertPasswordPolicy(password ?? generated!, target.username, 'password');
    const passwordHash = await hashPassword(password ?? generated!);
    const user = await transactional(this.dataSource, async (manager) => {
      await this.lockUser(manager, actor, id);
      const saved = await bumpSession(manager, id, { passwordHash, mustChangePassword: true });
      await this.record(manager, actor, 'auth.password_reset', saved, null, { mustChangePassword: true });
      return saved;
    });
    this.users.evict(id);
    return { user, temporaryPassword: generated };
  }

  /** Lifts a sign-in lock on the username (admins); the address's own count is left to run out. */
  unlock(actor: Actor, id: string): Promise<User> {
    return transactional(this.dataSource, async (manager) => {
      const user = await this.lockUser(manager, actor, id);
      const wasThrottled = await loginThrottle.clear(manager, usernameKey(user.username));
      await this.record(manager, actor, 'auth.unlock', user, null, { wasThrottled });
      return user;
    });
  }

  /** Contact details are for the user, admins and the head of the user's unit. */
  seesContactOf(actor: Actor, user: User): boolean {
    if (actor.role === Role.ADMIN || actor.userId === user.id) return true;
    return OFFICER_OF_HEAD[actor.role] !== undefined && actor.orgUnitId === user.orgUnitId;
  }

  private assertManages(actor: Actor, target: { role: Role; orgUnitId: string }): void {
    if (actor.role === Role.ADMIN) return;
    const officer = OFFICER_OF_HEAD[actor.role];
    if (officer && target.role === officer && target.orgUnitId === actor.orgUnitId) return;
    throw forbidden('单位负责人只能管理本单位的经办人');
  }

  /** The user, row-locked, after checking the actor manages them as they are now. */
  private async lockUser(manager: EntityManager, actor: Actor, id: string): Promise<User> {
    const user = await manager.findOne(User, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!user) throw notFound('用户', id);
    this.assertManages(actor, user);
    return user;
  }

  private async assertFits(manager: EntityManager, role: Role, orgUnitId: string): Promise<void> {
    const unit = await manager.findOneBy(OrgUnit, { id: orgUnitId });
    if (!unit) throw badInput('orgUnitId', `机构不存在：${orgUnitId}`);
    if (!UNIT_KINDS_OF_ROLE[role].includes(unit.kind)) {
      throw badInput('role', `${unit.name}不能设置该角色的用户`);
    }
  }

  private newTemporaryPassword(username: string): string {
    let password = temporaryPassword();
    while (passwordProblem(password, username)) password = temporaryPassword();
    return password;
  }

  private record(
    manager: EntityManager,
    actor: Actor,
    action: string,
    user: User,
    before: object | null,
    after: object | null,
    /** A user moved to another unit: the unit left concerns the change too. */
    formerUnitId: string = user.orgUnitId,
  ): Promise<void> {
    return this.audit.record(manager, actor, {
      action,
      entityType: 'user',
      entityId: user.id,
      unitIds: [...new Set([user.orgUnitId, formerUnitId])],
      before,
      after,
    });
  }
}
