import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { BoundedMap, Clock, PgListener } from '@zhezi/core';
import { OrgService, type User } from '@zhezi/org';

/** What authentication needs of a signed-in user; never the password hash. */
export type ActiveUser = Pick<
  User,
  'id' | 'displayName' | 'role' | 'orgUnitId' | 'sessionVersion' | 'mustChangePassword'
>;

/** Said on commit of every change to a user row, with the user's id (trigger of migration UserChangeNotify). */
export const USER_CHANGED_CHANNEL = 'zhezi_user_changed';

const LIMIT = 10_000;
/** A backstop only: a change is heard within milliseconds, unless the listener's connection dies unnoticed. */
const MAX_AGE_MS = 60_000;

/**
 * The active users this process has authenticated, so that a request costs no SQL to authenticate. Every
 * change to a user row is told through NOTIFY and evicts the user in every process; while the notifications
 * cannot be heard (not yet listening, or reconnecting) every read goes to the database, and on reconnection
 * all is forgotten, since what was said meanwhile is lost.
 */
@Injectable()
export class ActiveUserCache implements OnModuleInit {
  private readonly logger = new Logger('ActiveUserCache');
  private readonly entries = new BoundedMap<string, { user: ActiveUser; storedAt: number }>(LIMIT);
  /** Moved by every eviction: a read that started before one may hold what it evicted. */
  private generation = 0;

  constructor(
    private readonly org: OrgService,
    private readonly listener: PgListener,
    private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.listener
      .listen(
        USER_CHANGED_CHANNEL,
        (id) => this.evict(id),
        () => this.clear(),
      )
      .catch((error: Error) => this.logger.warn(`not listening (${error.message}); users read every time`));
  }

  /** The user if active, from memory when it can be trusted, else from the database. */
  async get(id: string): Promise<ActiveUser | null> {
    if (!this.listener.isListening(USER_CHANGED_CHANNEL)) return this.read(id);
    const now = this.clock.now().getTime();
    const hit = this.entries.get(id);
    if (hit && now - hit.storedAt < MAX_AGE_MS) return hit.user;
    const generation = this.generation;
    const user = await this.read(id);
    if (user && generation === this.generation && this.listener.isListening(USER_CHANGED_CHANNEL)) {
      this.entries.set(id, { user, storedAt: now });
    }
    return user;
  }

  /** Also called by this process's own changes right after commit: its next request must not wait for NOTIFY. */
  evict(id: string): void {
    this.generation++;
    this.entries.delete(id);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  private async read(id: string): Promise<ActiveUser | null> {
    const user = await this.org.findActiveUser(id);
    if (!user) return null;
    const { displayName, role, orgUnitId, sessionVersion, mustChangePassword } = user;
    return { id, displayName, role, orgUnitId, sessionVersion, mustChangePassword };
  }
}
