import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Clock, NotifiedCache, PgListener } from '@zhezi/core';
import { OrgService, type User } from '@zhezi/org';

/** What authentication needs of a signed-in user; never the password hash. */
export type ActiveUser = Pick<
  User,
  'id' | 'displayName' | 'role' | 'orgUnitId' | 'sessionVersion' | 'mustChangePassword'
>;

/** Said on commit of every change to a user row, with the user's id (trigger of migration UserChangeNotify). */
export const USER_CHANGED_CHANNEL = 'zhezi_user_changed';

/**
 * The active users this process has authenticated, so that a request costs no SQL to authenticate; every change
 * to a user row evicts the user in every process (NotifiedCache).
 */
@Injectable()
export class ActiveUserCache implements OnModuleInit {
  private readonly cache: NotifiedCache<ActiveUser>;

  constructor(
    private readonly org: OrgService,
    listener: PgListener,
    clock: Clock,
  ) {
    this.cache = new NotifiedCache(listener, clock, {
      channel: USER_CHANGED_CHANNEL,
      limit: 10_000,
      maxAgeMs: 60_000,
    });
  }

  onModuleInit(): Promise<void> {
    return this.cache.listen();
  }

  /** The user if active, from memory when it can be trusted, else from the database. */
  async get(id: string): Promise<ActiveUser | null> {
    const found = await this.cache.getMany([id], async () => {
      const user = await this.read(id);
      return new Map(user ? [[id, user]] : []);
    });
    return found.get(id) ?? null;
  }

  /** Also called by this process's own changes right after commit: its next request must not wait for NOTIFY. */
  evict(id: string): void {
    this.cache.evict(id);
  }

  private async read(id: string): Promise<ActiveUser | null> {
    const user = await this.org.findActiveUser(id);
    if (!user) return null;
    const { displayName, role, orgUnitId, sessionVersion, mustChangePassword } = user;
    return { id, displayName, role, orgUnitId, sessionVersion, mustChangePassword };
  }
}
