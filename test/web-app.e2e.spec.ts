import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApi, type TestApi } from './support/test-api';

const INDEX =
  '<!doctype html><html><body><div id="root"></div><script src="/assets/x.js"></script></body></html>';
const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

/** Any absolute URL in the text whose host is not the API's own. */
function outsideUrls(text: string, host: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s"'<>)]+/g)]
    .map((m) => m[0])
    .filter((url) => new URL(url).host !== host);
}

describe('the web app served by the API at /', () => {
  let api: TestApi;
  let base: string;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zhezi-web-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), INDEX);
    await writeFile(join(dir, 'assets', 'x.js'), 'console.log("app")\n');
    api = await startTestApi({ config: { webDistDir: dir } });
    base = api.url.replace(/\/graphql$/, '');
  });

  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves index.html at / and for the app’s own pages, never cached', async () => {
    for (const path of ['/', '/tasks/123', '/assignments/abc']) {
      const response = await fetch(`${base}${path}`, { headers: HTML });
      expect([path, response.status]).toEqual([path, 200]);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toBe(INDEX);
    }
  });

  it('serves hashed assets with a long cache, and a missing file as 404, not the app', async () => {
    const asset = await fetch(`${base}/assets/x.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await asset.text()).toContain('console.log');
    const missing = await fetch(`${base}/assets/missing.js`, { headers: HTML });
    expect(missing.status).toBe(404);
    expect(await missing.text()).not.toBe(INDEX);
  });

  it('leaves the API’s own paths to the API, whatever the browser accepts', async () => {
    const graphql = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await graphql.json()).toEqual({ data: { __typename: 'Query' } });
    for (const path of ['/health/live', '/evidence/00000000-0000-0000-0000-000000000000', '/admin/queues']) {
      const response = await fetch(`${base}${path}`, { headers: HTML });
      expect([path, await response.text()]).not.toEqual([path, INDEX]);
    }
    const xlsx = await fetch(`${base}/plans/p/task-list.xlsx`, { headers: HTML });
    expect(xlsx.status).toBe(401);
  });

  it('answers GET /graphql from a browser with no explorer page that loads code from another host', async () => {
    const response = await fetch(api.url, { headers: HTML });
    const text = await response.text();
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.headers.get('content-type')).not.toContain('text/html');
    expect(outsideUrls(text, new URL(base).host)).toEqual([]);
  });
});

describe('the API without a built web app', () => {
  let api: TestApi;
  let base: string;

  beforeAll(async () => {
    api = await startTestApi({ config: { webDistDir: join(tmpdir(), 'zhezi-web-never-built') } });
    base = api.url.replace(/\/graphql$/, '');
  });

  afterAll(() => api.close());

  it('says at / how to build it, in Chinese, and leaves other paths alone', async () => {
    const response = await fetch(`${base}/`, { headers: HTML });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('网页端尚未构建');
    expect(text).toContain('npm run build:web');
    expect((await fetch(`${base}/tasks/1`, { headers: HTML })).status).toBe(404);
  });
});
