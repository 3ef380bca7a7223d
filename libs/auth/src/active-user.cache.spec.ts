import { FixedClock, Role, type PgListener } from '@zhezi/core';
import type { OrgService, User } from '@zhezi/org';
import { ActiveUserCache, USER_CHANGED_CHANNEL } from './active-user.cache';

/** The channel as the cache sees it: whether it is heard, and what it says. */
class FakeListener {
  listening = true;
  notify: (payload: string) => void = () => undefined;
  reconnect: () => void = () => undefined;

  listen(channel: string, handler: (payload: string) => void, onReconnect: () => void): Promise<void> {
    expect(channel).toBe(USER_CHANGED_CHANNEL);
    [this.notify, this.reconnect] = [handler, onReconnect];
    return Promise.resolve();
  }

  isListening(): boolean {
    return this.listening;
  }
}

/** The table: counts reads; `hold` keeps the next read open until released. */
class FakeUsers {
  reads = 0;
  rows = new Map<string, User>();
  private gate: Promise<void> | null = null;

  add(id: string, changes: Partial<User> = {}): void {
    this.rows.set(id, {
      id,
      username: id,
      displayName: `user ${id}`,
      role: Role.DEPARTMENT_OFFICER,
      orgUnitId: 'unit',
      active: true,
      sessionVersion: 0,
      mustChangePassword: false,
      passwordHash: 'secret',
      ...changes,
    } as User);
  }

  hold(): () => void {
    let release!: () => void;
    this.gate = new Promise<void>((resolve) => (release = resolve));
    return release;
  }

  async findActiveUser(id: string): Promise<User | null> {
    this.reads++;
    const row = this.rows.get(id);
    const answer = row?.active ? { ...row } : null;
    const gate = this.gate;
    this.gate = null;
    if (gate) await gate;
    return answer;
  }
}

describe('ActiveUserCache', () => {
  let users: FakeUsers;
  let listener: FakeListener;
  let clock: FixedClock;
  let cache: ActiveUserCache;

  beforeEach(async () => {
    users = new FakeUsers();
    listener = new FakeListener();
    clock = new FixedClock(new Date('2026-12-06T08:00:00Z'));
    cache = new ActiveUserCache(users as unknown as OrgService, listener as unknown as PgListener, clock);
    await cache.onModuleInit();
    users.add('a');
  });

  it('reads a user once and keeps what authentication needs, never the hash', async () => {
    const first = await cache.get('a');
    expect(await cache.get('a')).toBe(first);
    expect(users.reads).toBe(1);
    expect(first).toEqual({
      id: 'a',
      displayName: 'user a',
      role: Role.DEPARTMENT_OFFICER,
      orgUnitId: 'unit',
      sessionVersion: 0,
      mustChangePassword: false,
    });
  });

  it('reads again after a notification, an eviction or a reconnection', async () => {
    await cache.get('a');
    listener.notify('a');
    users.add('a', { sessionVersion: 1 });
    expect(await cache.get('a')).toMatchObject({ sessionVersion: 1 });
    cache.evict('a');
    users.add('a', { sessionVersion: 2 });
    expect(await cache.get('a')).toMatchObject({ sessionVersion: 2 });
    listener.reconnect();
    users.add('a', { active: false });
    expect(await cache.get('a')).toBeNull();
    expect(users.reads).toBe(4);
  });

  it('does not keep inactive users', async () => {
    users.add('off', { active: false });
    await cache.get('off');
    users.add('off');
    expect(await cache.get('off')).not.toBeNull();
  });

  it('does not store a read that an eviction overtook', async () => {
    const release = users.hold();
    const reading = cache.get('a');
    listener.notify('someone else');
    users.add('a', { sessionVersion: 1 });
    release();
    expect(await reading).toMatchObject({ sessionVersion: 0 });
    expect(await cache.get('a')).toMatchObject({ sessionVersion: 1 });
    expect(users.reads).toBe(2);
  });

  it('reads every time while the channel is not heard, and stores nothing read meanwhile', async () => {
    listener.listening = false;
    await cache.get('a');
    await cache.get('a');
    expect(users.reads).toBe(2);
    listener.listening = true;
    await cache.get('a');
    expect(users.reads).toBe(3);
    await cache.get('a');
    expect(users.reads).toBe(3);
  });

  it('serves nothing it holds while the channel is not heard', async () => {
    await cache.get('a');
    listener.listening = false;
    users.add('a', { active: false });
    expect(await cache.get('a')).toBeNull();
  });

  it('does not store a read during which the listener was lost', async () => {
    const release = users.hold();
    const reading = cache.get('a');
    listener.listening = false;
    release();
    await reading;
    listener.listening = true;
    await cache.get('a');
    expect(users.reads).toBe(2);
  });

  it('reads a user again after a minute', async () => {
    await cache.get('a');
    clock.advance(59_999);
    await cache.get('a');
    expect(users.reads).toBe(1);
    clock.advance(1);
    await cache.get('a');
    expect(users.reads).toBe(2);
  });

  it('holds at most 10,000 users, the oldest out first', async () => {
    for (let i = 0; i <= 10_000; i++) {
      users.add(`u${i}`);
      await cache.get(`u${i}`);
    }
    expect(users.reads).toBe(10_001);
    await cache.get('u1');
    expect(users.reads).toBe(10_001);
    await cache.get('u0');
    expect(users.reads).toBe(10_002);
  });
});
