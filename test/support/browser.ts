import { AxeBuilder } from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '@zhezi/seed';
import { startSeededApi, type SeededApi } from './seeded-api';
import { graphql } from '../gql';
import type { TypedDocumentString } from '../gql/graphql';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../..');
const WEB_DIST = join(ROOT, 'dist/apps/web');
/** Screenshots of every page a journey visits: look at them. */
export const ARTEFACTS = join(ROOT, 'test-results/web');

const haveChromium = existsSync(CHROMIUM);
/** Only a developer's machine without chromium may skip; CI installs it (.ci/run) and must run the browser tests. */
export const describeBrowser = haveChromium || process.env.CI ? describe : describe.skip;
if (!haveChromium && !process.env.CI) {
  console.warn(`web e2e skipped: no chromium at ${CHROMIUM} (apt-get install chromium fonts-noto-cjk)`);
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Every request the page tried to send outside the app's origin (all blocked). */
  outside: string[];
}

/** The built app served by a seeded API (as in production: one origin) and a Chromium to drive it. */
export interface BrowserHarness {
  api: SeededApi;
  base: string;
  browser: Browser;
  /** A fresh context (no session) that blocks and records any request to another host. */
  openPage(viewport?: { width: number; height: number }): Promise<OpenedPage>;
  /** Waits until the page settles, writes its screenshot, and fails on a serious or critical axe violation. */
  checkPage(page: Page, name: string): Promise<void>;
  /** Signs in through the form and waits for the home page. */
  signIn(page: Page, username: string): Promise<void>;
  /** A session token for acting through the API behind the page's back (a colleague, a setup step). */
  token(username: string): Promise<string>;
  /** A typed operation from `test/gql`; throws on errors, so setup steps fail loudly. */
  gql<R, V>(query: TypedDocumentString<R, V>, variables: V, token?: string): Promise<R>;
  close(): Promise<void>;
}

const LOGIN = graphql(`
  mutation BrowserLogin($u: String!, $p: String!) {
    login(username: $u, password: $p) {
      token
    }
  }
`);

/** Call in beforeAll (allow 120 s: the first run builds the app). `env` adds API settings. */
export async function startBrowserHarness(env: Record<string, string> = {}): Promise<BrowserHarness> {
  if (!existsSync(join(WEB_DIST, 'index.html'))) {
    // A production build whatever Jest set: with NODE_ENV=test antd gives every element the id "test-id", so
    // dialogs and fields lose their accessible names.
    const env = { ...process.env, NODE_ENV: 'production' };
    execFileSync('npm', ['run', 'build:web'], { stdio: 'inherit', cwd: ROOT, env });
  }
  mkdirSync(ARTEFACTS, { recursive: true });
  const api = await startSeededApi({ WEB_DIST_DIR: WEB_DIST, ...env });
  const base = api.base;
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM });
  } catch (error) {
    await api.close();
    throw error;
  }

  const gql = async <R, V>(query: TypedDocumentString<R, V>, variables: V, token?: string): Promise<R> => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: JSON.stringify({ query: String(query), variables }),
    });
    const body = (await response.json()) as { data: R; errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };

  return {
    api,
    base,
    browser,
    gql,
    async openPage(viewport = DESKTOP) {
      // Without motion (the app honours the setting): a click never lands on a dialog still opening or closing.
      const context = await browser.newContext({
        viewport,
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        reducedMotion: 'reduce',
      });
      // Two browser specs, their APIs and a multi-process spec may share CI's two cores: waits get a minute.
      context.setDefaultTimeout(60_000);
      const outside: string[] = [];
      // An isolated government network: nothing may come from another host.
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (new URL(url).origin === base) return route.continue();
        outside.push(url);
        return route.abort('blockedbyclient');
      });
      return { context, page: await context.newPage(), outside };
    },
    async checkPage(page, name) {
      // Settled: no spinner, and a moment for what renders after it (no transitions run: reduced motion).
      await page.locator('.ant-spin-spinning').waitFor({ state: 'detached' });
      await page.waitForTimeout(150);
      await page.screenshot({ path: join(ARTEFACTS, `${name}.png`), fullPage: true });
      // Legacy mode runs axe in the page itself (no blank page for finishRun: the app has no frames), and only
      // violations are collected in full: together a sixth of the default run's time, the same violations.
      const { violations } = await new AxeBuilder({ page })
        .setLegacyMode(true)
        .options({ resultTypes: ['violations'] })
        .analyze();
      const severe = violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
      expect({ page: name, severe }).toEqual({ page: name, severe: [] });
    },
    async signIn(page, username) {
      await page.goto(`${base}/login`);
      await page.getByLabel('用户名').fill(username);
      await page.getByLabel('密码').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: /登\s*录/ }).click();
      await page.getByTestId('who').waitFor();
    },
    async token(username) {
      const { login } = await gql(LOGIN, { u: username, p: DEMO_PASSWORD });
      return login.token;
    },
    async close() {
      await browser.close();
      await api.close();
    },
  };
}
