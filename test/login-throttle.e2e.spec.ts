import { FixedClock } from '@zhezi/core';
import { FIXTURE_PASSWORD } from '@zhezi/testing';
import { graphql } from './gql';
import { dataOf, outcomeOf } from './support/ops';
import { startTestApi, type GqlResult, type TestApi } from './support/test-api';

const LOGIN = graphql(`
  mutation LoginThrottleLogin($u: String!, $p: String!) {
    login(username: $u, password: $p) {
      token
    }
  }
`);
const UNLOCK = graphql(`
  mutation LoginThrottleUnlock($id: ID!) {
    unlockUser(id: $id) {
      id
    }
  }
`);
const MINUTE = 60_000;

/** What a client can tell about a refusal: everything but the path. */
const shapeOf = (r: GqlResult<unknown>) => ({
  data: r.data,
  errors: r.errors?.map((e) => e.extensions && e),
});

describe('sign-in throttling (e2e over HTTP)', () => {
  const clock = new FixedClock(new Date('2026-12-01T02:00:00Z'));
  let api: TestApi;
  let admin: string;
  const login = (u: string, p: string) => api.gql(LOGIN, { u, p });

  beforeAll(async () => {
    api = await startTestApi({ clock });
    admin = await api.token('admin');
  });

  afterAll(() => api.close());

  it('brute force: 50 wrong passwords lock the username; the right one is refused like an unknown username; an admin unlocks', async () => {
    for (let i = 0; i < 50; i++) {
      expect(outcomeOf(await login('zgcOfficer', `guess-${i}-password`))).toBe('UNAUTHENTICATED');
    }
    const locked = await login('zgcOfficer', FIXTURE_PASSWORD);
    const unknown = await login('no.such.person', FIXTURE_PASSWORD);
    expect(shapeOf(locked)).toEqual(shapeOf(unknown));
    expect(locked.errors![0].extensions.code).toBe('UNAUTHENTICATED');

    const [lock] = await api.dataSource.query<{ failures: number; locked_until: Date }[]>(
      `SELECT failures, locked_until FROM login_throttle WHERE key = 'user:zgcOfficer'`,
    );
    expect(lock.failures).toBe(51);
    expect(lock.locked_until.getTime()).toBeGreaterThan(clock.now().getTime() + 14 * MINUTE);

    dataOf(await api.gql(UNLOCK, { id: api.fixture.users.zgcOfficer.id }, admin));
    // The address (every attempt here came from 127.0.0.1) still waits its growing delay, capped at a minute.
    expect(outcomeOf(await login('zgcOfficer', FIXTURE_PASSWORD))).toBe('UNAUTHENTICATED');
    clock.advance(MINUTE + 1000);
    expect(outcomeOf(await login('zgcOfficer', FIXTURE_PASSWORD))).toBe('ok');

    const events = await api.dataSource.query<
      { action: string; actor_id: string | null; reason: string | null }[]
    >(
      `SELECT action, actor_id, after->>'reason' AS reason FROM audit_event WHERE entity_id = $1 ORDER BY id`,
      [api.fixture.users.zgcOfficer.id],
    );
    const count = (action: string, reason?: string) =>
      events.filter((e) => e.action === action && (!reason || e.reason === reason)).length;
    expect({
      wrong: count('auth.login_failed', 'WRONG_PASSWORD'),
      throttled: count('auth.login_failed', 'THROTTLED'),
      locked: count('auth.locked'),
      unlocked: count('auth.unlock'),
      signedIn: count('auth.login'),
    }).toEqual({ wrong: 5, throttled: 47, locked: 1, unlocked: 1, signedIn: 1 });
    // After the unlock: one refusal for the address's delay, then the sign-in.
    expect(events.map((e) => e.action).slice(-3)).toEqual(['auth.unlock', 'auth.login_failed', 'auth.login']);
    const unlock = events.find((e) => e.action === 'auth.unlock')!;
    expect(unlock.actor_id).toBe(api.fixture.users.admin.id);

    // Unknown usernames are throttled and audited alike, without the password tried.
    const [unknownEvent] = await api.dataSource.query<{ after: Record<string, string> }[]>(
      `SELECT after FROM audit_event WHERE action = 'auth.login_failed' AND after->>'username' = 'no.such.person'`,
    );
    expect(Object.keys(unknownEvent.after).sort()).toEqual(['address', 'reason', 'username']);
    expect(unknownEvent.after).toMatchObject({ username: 'no.such.person', reason: 'UNKNOWN_USER' });
    const [{ leaks }] = await api.dataSource.query<{ leaks: number }[]>(
      `SELECT count(*)::int AS leaks FROM audit_event WHERE after::text LIKE '%guess-%' OR after::text LIKE $1`,
      [`%${FIXTURE_PASSWORD}%`],
    );
    expect(leaks).toBe(0);
  });

  it('a lock runs out after 15 minutes on its own', async () => {
    clock.advance(20 * MINUTE); // the address's count from the test above has gone quiet
    for (let i = 0; i < 10; i++) await login('hdOfficer', `wrong-${i}-password`);
    clock.advance(14 * MINUTE);
    expect(outcomeOf(await login('hdOfficer', FIXTURE_PASSWORD))).toBe('UNAUTHENTICATED');
    clock.advance(16 * MINUTE);
    expect(outcomeOf(await login('hdOfficer', FIXTURE_PASSWORD))).toBe('ok');
  });

  it('a few mistakes cost nothing, and a success clears them', async () => {
    for (let i = 0; i < 4; i++) await login('xylOfficer', `typo-${i}-password`);
    expect(outcomeOf(await login('xylOfficer', FIXTURE_PASSWORD))).toBe('ok');
    const rows = await api.dataSource.query<unknown[]>(
      `SELECT 1 FROM login_throttle WHERE key = 'user:xylOfficer'`,
    );
    expect(rows).toHaveLength(0);
  });
});

describe('sign-in throttling behind a proxy (e2e over HTTP)', () => {
  let trusting: TestApi;
  let direct: TestApi;

  beforeAll(async () => {
    [trusting, direct] = await Promise.all([
      startTestApi({ config: { trustProxy: 'loopback' } }),
      startTestApi(),
    ]);
  });

  afterAll(() => Promise.all([trusting?.close(), direct?.close()]));

  /** A failed sign-in said to come from `client`, and the addresses it was counted against. */
  const failFrom = async (api: TestApi, client: string) => {
    const response = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
      body: JSON.stringify({
        query: 'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
        variables: { u: 'zgcOfficer', p: 'not-the-password' },
      }),
    });
    expect(response.status).toBe(200);
    const rows = await api.dataSource.query<{ key: string }[]>(
      `SELECT key FROM login_throttle WHERE key LIKE 'addr:%' ORDER BY key`,
    );
    return rows.map((r) => r.key);
  };

  it('counts each client a trusted proxy names apart (TRUST_PROXY), so one office cannot lock out the city', async () => {
    expect(await failFrom(trusting, '203.0.113.7')).toEqual(['addr:203.0.113.7']);
    expect(await failFrom(trusting, '198.51.100.20')).toEqual(['addr:198.51.100.20', 'addr:203.0.113.7']);
  });

  it('ignores the header without TRUST_PROXY: a client cannot choose the address it is counted against', async () => {
    const keys = await failFrom(direct, '203.0.113.7');
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^addr:(::ffff:)?127\.0\.0\.1$/);
  });
});
