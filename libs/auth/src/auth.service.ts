import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DataSource, type EntityManager } from 'typeorm';
import { writeAuditEvent, type AuditActor } from '@zhezi/audit';
import {
  APP_CONFIG,
  AppError,
  badInput,
  Clock,
  ErrorCode,
  transactional,
  unauthenticated,
  type Actor,
  type AppConfig,
} from '@zhezi/core';
import { OrgService, User } from '@zhezi/org';
import { ActiveUserCache } from './active-user.cache';
import {
  ADDRESS_LIMITS,
  addressKey,
  blockedUntil,
  loginThrottle,
  USERNAME_LIMITS,
  usernameKey,
} from './login-throttle';
import { hashPassword, verifyPassword } from './password';
import { passwordProblem } from './password-policy';
import { VerifiedTokens } from './verified-tokens';

interface TokenClaims {
  sub: string;
  exp?: number;
  /** The user's session version when the token was issued; tokens from before this claim existed count as 0. */
  sv?: number;
}

/** Spent on unknown usernames too, so response time does not tell which usernames exist. */
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$q6Rb4yLSS8MWvaEUQmin5w$YSID5T2uOC2N2nOCMR4F7xXvKS70Db03DzFYrEhs4fA';

/** One answer for a wrong password, an unknown or disabled username and a throttled attempt alike. */
const LOGIN_FAILED = '用户名或密码错误；连续失败多次后须稍候再试';

export interface Authenticated {
  actor: Actor;
  mustChangePassword: boolean;
}

export interface SignedIn {
  token: string;
  user: User;
}

@Injectable()
export class AuthService {
  private readonly verified = new VerifiedTokens<TokenClaims>();

  constructor(
    private readonly org: OrgService,
    private readonly users: ActiveUserCache,
    private readonly jwt: JwtService,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Checks the password even when the username is unknown, disabled or throttled (against a dummy hash), and
   * answers every failure alike; failures are counted per username and per address and audited either way.
   */
  async login(username: string, password: string, address: string): Promise<SignedIn> {
    if (!username || !password) throw badInput(username ? 'password' : 'username', '请输入用户名和密码');
    const now = this.clock.now();
    const [user, throttle] = await Promise.all([
      this.org.findUserWithPassword(username),
      loginThrottle.read(this.dataSource.manager, [usernameKey(username), addressKey(address)]),
    ]);
    const ok = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
    const blocked =
      blockedUntil(throttle.get(usernameKey(username)) ?? null, now, USERNAME_LIMITS) ??
      blockedUntil(throttle.get(addressKey(address)) ?? null, now, ADDRESS_LIMITS);
    if (user?.active && ok && !blocked) {
      await transactional(this.dataSource, async (manager) => {
        await loginThrottle.clear(manager, usernameKey(username));
        await this.audit(manager, user, 'auth.login', user, { address });
      });
      return { token: await this.issueToken(user), user };
    }
    await transactional(this.dataSource, async (manager) => {
      const name = await loginThrottle.fail(manager, usernameKey(username), now, USERNAME_LIMITS);
      await loginThrottle.fail(manager, addressKey(address), now, ADDRESS_LIMITS);
      await loginThrottle.removeStale(manager, now);
      // Known users' failures go on their own history; unknown usernames' on their throttle row.
      const subject = user ?? { id: name.id, orgUnitId: null };
      const reason = !user
        ? 'UNKNOWN_USER'
        : !user.active
          ? 'DISABLED'
          : blocked
            ? 'THROTTLED'
            : 'WRONG_PASSWORD';
      const by: AuditActor = { userId: null, displayName: '未登录' };
      await this.audit(manager, by, 'auth.login_failed', subject, { username, address, reason });
      if (name.locked) {
        await this.audit(manager, by, 'auth.locked', subject, { username, lockedUntil: name.lockedUntil });
      }
    });
    throw unauthenticated(LOGIN_FAILED);
  }

  /**
   * The user behind a bearer token, held per process (ActiveUserCache forgets a user whenever a change to it
   * commits): a disabled user or a revoked session is out at once here, and within moments in other processes.
   */
  async authenticate(token: string): Promise<Authenticated> {
    let claims = this.verified.get(token);
    if (!claims) {
      try {
        claims = await this.jwt.verifyAsync<TokenClaims>(token);
      } catch {
        throw unauthenticated('登录已失效，请重新登录');
      }
      this.verified.set(token, claims);
    }
    const user = await this.users.get(claims.sub);
    if (!user) throw unauthenticated('账号不存在或已停用');
    if (user.sessionVersion !== (claims.sv ?? 0)) throw unauthenticated('登录已失效，请重新登录');
    return {
      actor: { userId: user.id, displayName: user.displayName, role: user.role, orgUnitId: user.orgUnitId },
      mustChangePassword: user.mustChangePassword,
    };
  }

  /** For routes outside the guard (the queue board): a user with a temporary password is refused there too. */
  async actorFromToken(token: string): Promise<Actor> {
    const { actor, mustChangePassword } = await this.authenticate(token);
    if (mustChangePassword) throw passwordChangeRequired();
    return actor;
  }

  /** Replaces the user's own password (the old one is required) and signs out every other session. */
  async changePassword(actor: Actor, oldPassword: string, newPassword: string): Promise<SignedIn> {
    const user = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.id = :id AND u.active', { id: actor.userId })
      .getOne();
    if (!user || !(await verifyPassword(user.passwordHash, oldPassword))) {
      throw badInput('oldPassword', '原密码不正确');
    }
    if (oldPassword === newPassword) throw badInput('newPassword', '新密码不能与原密码相同');
    assertPasswordPolicy(newPassword, user.username, 'newPassword');
    const passwordHash = await hashPassword(newPassword);
    const changed = await transactional(this.dataSource, async (manager) => {
      const updated = await bumpSession(manager, user.id, { passwordHash, mustChangePassword: false });
      await this.audit(manager, user, 'auth.password_change', updated, {});
      return updated;
    });
    this.users.evict(user.id);
    return { token: await this.issueToken(changed), user: changed };
  }

  /** Revokes every token the user holds, this one included. */
  async signOutEverywhere(actor: Actor): Promise<boolean> {
    await transactional(this.dataSource, async (manager) => {
      const user = await bumpSession(manager, actor.userId, {});
      await this.audit(manager, user, 'auth.sign_out_everywhere', user, {});
    });
    this.users.evict(actor.userId);
    return true;
  }

  private issueToken(user: User): Promise<string> {
    return this.jwt.signAsync({ sub: user.id, sv: user.sessionVersion } satisfies TokenClaims, {
      expiresIn: this.config.jwtTtlSeconds,
    });
  }

  private audit(
    manager: EntityManager,
    by: AuditActor | User,
    action: string,
    subject: { id: string; orgUnitId: string | null },
    after: object,
  ): Promise<void> {
    const actor = 'username' in by ? { userId: by.id, displayName: by.displayName } : by;
    return writeAuditEvent(manager, this.clock.now(), actor, {
      action,
      entityType: subject.orgUnitId ? 'user' : 'login_name',
      entityId: subject.id,
      unitIds: subject.orgUnitId ? [subject.orgUnitId] : [],
      after,
    });
  }
}

export const passwordChangeRequired = () =>
  new AppError(ErrorCode.PASSWORD_CHANGE_REQUIRED, '请先修改临时密码（changePassword）再继续');

export function assertPasswordPolicy(password: string, username: string, field: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw badInput(field, problem);
}

/**
 * Moves the user's session version on (every token issued before is refused from the next request on, once
 * the caller has evicted the user from ActiveUserCache after commit), with whatever else changes with it;
 * returns the user as now stored.
 */
export async function bumpSession(
  manager: EntityManager,
  userId: string,
  changes: Partial<Pick<User, 'passwordHash' | 'mustChangePassword' | 'active'>>,
): Promise<User> {
  await manager
    .createQueryBuilder()
    .update(User)
    .set({ ...changes, sessionVersion: () => 'session_version + 1' })
    .where('id = :userId', { userId })
    .execute();
  return manager.findOneByOrFail(User, { id: userId });
}
