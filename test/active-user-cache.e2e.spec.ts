import { USER_CHANGED_CHANNEL } from '@zhezi/auth';
import { PgListener } from '@zhezi/core';
import { OrgService } from '@zhezi/org';
import { FIXTURE_PASSWORD, type UserKey } from '@zhezi/testing';
import { graphql } from './gql';
import { dataOf, outcomeOf } from './support/ops';
import { startReplica, startTestApi, type TestApi } from './support/test-api';
import { waitFor } from './support/worker-services';

const LOGIN = graphql(`
  mutation ActiveUserCacheLogin($u: String!, $p: String!) {
    login(username: $u, password: $p) {
      token
    }
  }
`);
const VIEWER = graphql(`
  query ActiveUserCacheViewer {
    viewer {
      id
    }
  }
`);
const DISABLE = graphql(`
  mutation ActiveUserCacheDisable($id: ID!) {
    disableUser(id: $id) {
      id
    }
  }
`);
const SIGN_OUT_EVERYWHERE = graphql(`
  mutation ActiveUserCacheSignOutEverywhere {
    signOutEverywhere
  }
`);

/** How soon the other replica must refuse a revoked token (NOTIFY takes milliseconds), or notice a lost listener. */
const SOON = { timeoutMs: 2000, intervalMs: 10 };

/**
 * Two api processes on one database, as two replicas: each holds the signed-in users in memory, and a change
 * made through either is honoured by both — by the one that made it from its next request, by the other as soon
 * as the NOTIFY arrives, and by both while their listening connection is down or just back.
 */
describe('signed-in users held per process', () => {
  let a: TestApi;
  let b: TestApi;

  beforeAll(async () => {
    a = await startTestApi();
    b = await startReplica(a);
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  afterEach(() => jest.restoreAllMocks());

  const fresh = async (user: UserKey) =>
    dataOf(await a.gql(LOGIN, { u: user, p: FIXTURE_PASSWORD })).login.token;
  const viewer = async (api: TestApi, token: string) => outcomeOf(await api.gql(VIEWER, {}, token));
  const listening = (api: TestApi) => api.app.get(PgListener).isListening(USER_CHANGED_CHANNEL);
  const reads = (api: TestApi) => jest.spyOn(api.app.get(OrgService), 'findActiveUser');
  const refusedSoon = (api: TestApi, token: string) =>
    waitFor(
      'the token refused',
      () => viewer(api, token),
      (o) => o === 'UNAUTHENTICATED',
      SOON,
    );
  /** Reconnecting takes a second. */
  const listeningSoon = (api: TestApi, on: boolean) =>
    waitFor(
      `listening: ${on}`,
      () => Promise.resolve(listening(api)),
      (v) => v === on,
      {
        ...SOON,
        timeoutMs: 5000,
      },
    );

  it('a request whose user is held costs no SQL to authenticate', async () => {
    const token = await fresh('leader');
    expect(await viewer(a, token)).toBe('ok');
    const spy = reads(a);
    const before = a.queryCount();
    expect(dataOf(await a.gql(VIEWER, {}, token)).viewer?.id).toBe(a.fixture.users.leader.id);
    // The one statement is the viewer's own row, which the query asks for.
    expect(a.queryCount() - before).toBe(1);
    expect(spy).not.toHaveBeenCalled();
  });

  it('a user disabled through one replica is out at once there, and at the other within moments', async () => {
    const token = await fresh('qhOfficer');
    expect([await viewer(a, token), await viewer(b, token)]).toEqual(['ok', 'ok']);
    const spy = reads(b);
    expect(await viewer(b, token)).toBe('ok');
    expect(spy).not.toHaveBeenCalled();
    dataOf(await a.gql(DISABLE, { id: a.fixture.users.qhOfficer.id }, await a.token('admin')));
    expect(await viewer(a, token)).toBe('UNAUTHENTICATED');
    await refusedSoon(b, token);
  });

  it('signing out everywhere through one replica revokes the token at both', async () => {
    const token = await fresh('hdOfficer');
    expect([await viewer(a, token), await viewer(b, token)]).toEqual(['ok', 'ok']);
    expect(dataOf(await b.gql(SIGN_OUT_EVERYWHERE, {}, token)).signOutEverywhere).toBe(true);
    expect(await viewer(b, token)).toBe('UNAUTHENTICATED');
    await refusedSoon(a, token);
  });

  describe('when the listening connection is lost', () => {
    /** Ends both replicas' listening connections, and waits until B knows it has lost its own. */
    async function cutListeners(): Promise<void> {
      const [{ n }] = await a.dataSource.query<{ n: number }[]>(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`,
      );
      expect(n).toBeGreaterThanOrEqual(2);
      await listeningSoon(b, false);
    }

    afterEach(async () => {
      await listeningSoon(a, true);
      await listeningSoon(b, true);
    });

    it('reads every user from the database until it is back', async () => {
      const token = await fresh('zgcOfficer');
      expect(await viewer(b, token)).toBe('ok');
      await cutListeners();
      const spy = reads(b);
      expect(await viewer(b, token)).toBe('ok');
      expect(spy).toHaveBeenCalledTimes(1);
      // Said while B hears nothing: B must learn it from the database.
      expect(dataOf(await a.gql(SIGN_OUT_EVERYWHERE, {}, token)).signOutEverywhere).toBe(true);
      expect(await viewer(b, token)).toBe('UNAUTHENTICATED');
    });

    it('forgets every user once back, since what was said meanwhile is lost', async () => {
      const token = await fresh('xylOfficer');
      expect(await viewer(b, token)).toBe('ok');
      await cutListeners();
      expect(dataOf(await a.gql(SIGN_OUT_EVERYWHERE, {}, token)).signOutEverywhere).toBe(true);
      await listeningSoon(b, true);
      expect(await viewer(b, token)).toBe('UNAUTHENTICATED');
      // And holds users again from then on.
      const other = await fresh('fgwOfficer');
      expect(await viewer(b, other)).toBe('ok');
      const spy = reads(b);
      expect(await viewer(b, other)).toBe('ok');
      expect(spy).not.toHaveBeenCalled();
    });
  });
});
