import { createClient } from 'graphql-ws';
// Node 20 has no global WebSocket.
import WebSocket from 'ws';
import { FIXTURE_PASSWORD } from '@zhezi/testing';
import { graphql } from './gql';
import type {
  SessionCookieLoginMutation,
  SessionCookieLogoutMutation,
  SessionCookieNotificationAddedSubscription,
  SessionCookieViewerQuery,
  TypedDocumentString,
} from './gql/graphql';
import { dataOf, taskOps } from './support/ops';
import { startTestApi, type GqlResult, type TestApi } from './support/test-api';

const LOGIN = graphql(`
  mutation SessionCookieLogin($u: String!, $p: String!) {
    login(username: $u, password: $p) {
      token
    }
  }
`);
const VIEWER = graphql(`
  query SessionCookieViewer {
    viewer {
      id
    }
  }
`);
const LOGOUT = graphql(`
  mutation SessionCookieLogout {
    logout
  }
`);
const SIGN_OUT_EVERYWHERE = graphql(`
  mutation SessionCookieSignOutEverywhere {
    signOutEverywhere
  }
`);
const NOTIFICATIONS = graphql(`
  subscription SessionCookieNotificationAdded {
    notificationAdded {
      id
    }
  }
`);

const pdf = () => Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n', 'latin1');

describe('the browser session: an httpOnly cookie beside the bearer header', () => {
  let api: TestApi;
  let base: string;

  beforeAll(async () => {
    api = await startTestApi();
    base = api.url.replace(/\/graphql$/, '');
  });

  afterAll(() => api.close());

  /** POSTs a GraphQL operation as a browser page of the app would: JSON, with the cookie and no bearer. */
  const gqlWithCookie = <R, V>(cookie: string, doc: TypedDocumentString<R, V>, variables: V) =>
    fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ query: String(doc), variables }),
    });

  /** Signs in and returns the Set-Cookie header and the `name=value` pair a browser would send back. */
  async function signIn(username: string) {
    const response = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: String(LOGIN), variables: { u: username, p: FIXTURE_PASSWORD } }),
    });
    const setCookie = response.headers.get('set-cookie') ?? '';
    const body = (await response.json()) as GqlResult<SessionCookieLoginMutation>;
    return { setCookie, cookie: setCookie.split(';')[0], body };
  }

  it('login sets the token as an httpOnly, SameSite=Strict cookie for the whole origin, expiring with it', async () => {
    const { setCookie, cookie, body } = await signIn('leader');
    const { token } = body.data!.login;
    expect(cookie).toBe(`zhezi_session=${token}`);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    expect(setCookie).toMatch(/; Path=\/(;|$)/);
    expect(setCookie).toMatch(/; Max-Age=43200(;|$)/);
    // PUBLIC_URL is http here: a Secure cookie would never come back.
    expect(setCookie).not.toMatch(/Secure/);
  });

  it('answers a query that brings only the cookie', async () => {
    const { cookie } = await signIn('leader');
    const response = await gqlWithCookie(cookie, VIEWER, {});
    expect(response.status).toBe(200);
    expect(dataOf((await response.json()) as GqlResult<SessionCookieViewerQuery>)).toEqual({
      viewer: { id: api.fixture.users.leader.id },
    });
  });

  it('refuses cookie-carrying GETs and simple POSTs without a preflight header (CSRF prevention)', async () => {
    const { cookie } = await signIn('leader');
    const query = encodeURIComponent(String(VIEWER));
    const get = await fetch(`${api.url}?query=${query}`, { headers: { cookie } });
    expect(get.status).toBe(400);
    expect(await get.text()).toContain('CSRF');
    const form = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: `query=${query}`,
    });
    expect(form.status).toBe(400);
    expect(await form.text()).toContain('CSRF');
    // What the web app sends on a GET: a header no cross-site page can add without a preflight.
    const preflighted = await fetch(`${api.url}?query=${query}`, {
      headers: { cookie, 'apollo-require-preflight': 'true' },
    });
    expect(preflighted.status).toBe(200);
  });

  it('logout clears the cookie, even once the session is gone; without a session it is refused', async () => {
    const logout = (headers: Record<string, string>) =>
      fetch(api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: String(LOGOUT) }),
      });
    const none = (await (await logout({})).json()) as GqlResult<SessionCookieLogoutMutation>;
    expect(none.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');

    // A cookie no longer valid (expired, revoked, or garbage) is still dropped.
    const response = await logout({ cookie: 'zhezi_session=no-longer-a-session' });
    expect(dataOf((await response.json()) as GqlResult<SessionCookieLogoutMutation>)).toEqual({
      logout: true,
    });
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^zhezi_session=;/);
    expect(setCookie).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect(setCookie).toMatch(/; Path=\//);
  });

  it('refuses the cookie of a revoked session (signOutEverywhere, which also clears it)', async () => {
    const { cookie } = await signIn('swjOfficer');
    const out = await gqlWithCookie(cookie, SIGN_OUT_EVERYWHERE, {});
    expect(out.headers.get('set-cookie')).toMatch(/^zhezi_session=;/);
    const after = (await (
      await gqlWithCookie(cookie, VIEWER, {})
    ).json()) as GqlResult<SessionCookieViewerQuery>;
    expect(after.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('uploads and downloads evidence with the cookie; a multipart POST needs a header a form cannot send', async () => {
    const ops = taskOps(api);
    const leader = await api.token('leader');
    const task = await ops.createTask(leader, { planId: api.fixture.plan.id, title: 'Cookie 佐证材料' });
    const [share] = await ops.assignTask(leader, task.id, [{ orgUnitId: api.fixture.units.fgw.id }]);
    const { cookie } = await signIn('fgwOfficer');
    const post = (headers: Record<string, string>) => {
      const form = new FormData();
      form.append('file', new Blob([pdf()], { type: 'application/pdf' }), '进展.pdf');
      return fetch(`${base}/assignments/${share.id}/evidence`, {
        method: 'POST',
        headers: { cookie, ...headers },
        body: form,
      });
    };
    const bare = await post({});
    expect(bare.status).toBe(403);
    expect(((await bare.json()) as { extensions: { code: string } }).extensions.code).toBe('FORBIDDEN');

    const uploaded = await post({ 'x-requested-with': 'XMLHttpRequest' });
    expect(uploaded.status).toBe(201);
    const { id } = (await uploaded.json()) as { id: string };
    const download = await fetch(`${base}/evidence/${id}`, { headers: { cookie } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(pdf());
    // The bearer header needs no such header: no browser attaches it by itself.
    const bearer = await fetch(`${base}/evidence/${id}`, {
      headers: { authorization: `Bearer ${await api.token('fgwOfficer')}` },
    });
    expect(bearer.status).toBe(200);
  });

  it('opens the queue board for an admin with the session cookie', async () => {
    const { cookie } = await signIn('admin');
    expect((await fetch(`${base}/admin/queues`, { headers: { cookie } })).status).toBe(200);
  });

  it('takes the cookie of a graphql-ws upgrade from the app’s own origin only', async () => {
    const { cookie } = await signIn('leader');
    const host = new URL(base).host;
    const viewerOver = async (origin: string) => {
      class BrowserLike extends WebSocket {
        constructor(url: string, protocols?: string | string[]) {
          super(url, protocols, { headers: { cookie, origin } });
        }
      }
      const client = createClient({
        url: api.url.replace(/^http/, 'ws'),
        webSocketImpl: BrowserLike,
        retryAttempts: 0,
      });
      try {
        return await new Promise<{ data?: unknown; errors?: unknown }>((resolve, reject) => {
          client.subscribe<SessionCookieNotificationAddedSubscription>(
            { query: String(NOTIFICATIONS) },
            {
              next: resolve,
              error: (error) => resolve({ errors: error }),
              complete: () => reject(new Error('no answer')),
            },
          );
          // A subscription that was accepted stays silent: no error within the time means it was let in.
          setTimeout(() => resolve({}), 1500);
        });
      } finally {
        await client.dispose();
      }
    };
    expect((await viewerOver(`http://${host}`)).errors).toBeUndefined();
    expect(JSON.stringify((await viewerOver('https://evil.example')).errors)).toContain('UNAUTHENTICATED');
  });
});
