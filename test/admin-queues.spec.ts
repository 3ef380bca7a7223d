import { startTestApi, type TestApi } from './support/test-api';

describe('Bull Board at /admin/queues (admins only)', () => {
  let api: TestApi;
  let base: string;

  beforeAll(async () => {
    api = await startTestApi();
    base = api.url.replace(/\/graphql$/, '/admin/queues');
  });

  afterAll(() => api.close());

  const get = (path: string, token?: string) =>
    fetch(`${base}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      redirect: 'manual',
    });

  it('refuses callers without a token and users who are not admins', async () => {
    expect((await get('')).status).toBe(401);
    expect((await get('', 'not-a-token')).status).toBe(401);
    expect((await get('', await api.token('leader'))).status).toBe(403);
    expect((await get('/api/queues', await api.token('inspector'))).status).toBe(403);
  });

  it('serves the dashboard and its API to an admin, listing every queue', async () => {
    const token = await api.token('admin');
    const page = await get('', token);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    // Nothing from another host: the board's own page would ask Google for its fonts.
    const html = await page.text();
    expect(html).toContain('static/');
    expect(html).not.toMatch(/https?:\/\//);
    const queues = (await (await get('/api/queues', token)).json()) as { queues: { name: string }[] };
    expect(queues.queues.map((q) => q.name).sort()).toEqual(
      ['domain-events', 'escalations', 'notify-email', 'notify-webhook', 'system'].sort(),
    );
  });

  it('lets a browser follow a link with ?token=, then remembers it in a cookie scoped to the board', async () => {
    const token = await api.token('admin');
    const first = await fetch(`${base}?token=${encodeURIComponent(token)}`);
    expect(first.status).toBe(200);
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/zhezi_admin_token=.*HttpOnly/i);
    expect(cookie).toContain('Path=/admin/queues');
    const next = await fetch(`${base}/api/queues`, { headers: { cookie: cookie.split(';')[0] } });
    expect(next.status).toBe(200);
  });
});
