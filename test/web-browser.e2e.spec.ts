import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '@zhezi/seed';
import {
  ARTEFACTS,
  describeBrowser,
  DESKTOP,
  PHONE,
  startBrowserHarness,
  type BrowserHarness,
} from './support/browser';
import { graphql } from './gql';
import type { SortDirection, UnitBoardFilter, UnitBoardOrder } from './gql/graphql';

const VERSION = graphql(`
  query WebBrowserVersion($id: ID!) {
    assignment(id: $id) {
      version
    }
  }
`);
const ACCEPT = graphql(`
  mutation WebBrowserAccept($input: AssignmentTransitionInput!) {
    acceptAssignment(input: $input) {
      id
    }
  }
`);
const FIRST_SHARE = graphql(`
  query WebBrowserFirstShare {
    unitBoard {
      items(first: 1) {
        edges {
          node {
            id
          }
        }
      }
    }
  }
`);
const LISTED = graphql(`
  query WebBrowserListed($filter: UnitBoardFilter, $orderBy: UnitBoardOrder!, $direction: SortDirection!) {
    unitBoard(filter: $filter) {
      items(first: 20, orderBy: $orderBy, direction: $direction) {
        edges {
          node {
            task {
              title
            }
          }
        }
      }
    }
  }
`);
const COLUMNS = graphql(`
  query WebBrowserColumns {
    unitBoard {
      columns {
        status
        count
      }
    }
  }
`);
const UNIT_FIGURES = graphql(`
  query WebBrowserUnitFigures {
    leaderBoard {
      units(first: 100) {
        edges {
          node {
            orgUnit {
              name
            }
            assigned
          }
        }
      }
    }
  }
`);

describeBrowser('the web app in Chromium (demo data, zgc.officer)', () => {
  let web: BrowserHarness; // the built app served at / by a seeded API, as in production
  let base: string;

  beforeAll(async () => {
    web = await startBrowserHarness();
    base = web.base;
  }, 120_000);

  afterAll(async () => {
    await web?.close();
  });

  /** The harness posts plain strings; through this, a typed document's variables and result are checked. */
  const openPage = (viewport: { width: number; height: number }) => web.openPage(viewport);
  const checkPage = (page: Page, name: string) => web.checkPage(page, name);

  async function acceptElsewhere(assignmentId: string): Promise<void> {
    const token = await web.token('zgc.head');
    const { assignment } = await web.gql(VERSION, { id: assignmentId }, token);
    await web.gql(ACCEPT, { input: { assignmentId, version: assignment.version } }, token);
  }

  async function otherUnitShare(): Promise<string> {
    const { unitBoard } = await web.gql(FIRST_SHARE, {}, await web.token('xyl.officer'));
    return unitBoard.items.edges[0].node.id;
  }

  async function openFirstUnaccepted(page: Page): Promise<string> {
    const row = page.locator('tr, .ant-list-item').filter({ hasText: '待签收' }).first();
    const title = (await row.getByRole('link').first().textContent())!;
    // By its title: the list may re-render (a query answered) between reading the row and clicking it.
    await page.getByRole('link', { name: title, exact: true }).first().click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    return title;
  }

  async function journey(viewport: { width: number; height: number }, prefix: string) {
    const { context, page, outside } = await openPage(viewport);
    try {
      // A deep link while signed out: sign-in first, then back to where the user was going.
      await page.goto(`${base}/tasks`);
      await page.getByLabel('用户名').waitFor();
      expect(new URL(page.url()).searchParams.get('from')).toBe('/tasks');
      await checkPage(page, `${prefix}-sign-in`);

      await page.getByLabel('用户名').fill('zgc.officer');
      await page.getByLabel('密码').fill('wrong-password');
      await page.getByRole('button', { name: /登\s*录/ }).click();
      await page.getByText('用户名或密码错误').waitFor();

      await page.getByLabel('密码').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: /登\s*录/ }).click();
      await page.getByRole('heading', { level: 1, name: /我的任务/ }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/tasks');
      // The session is a cookie script cannot read.
      const session = (await context.cookies()).find((c) => c.name === 'zhezi_session');
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
      await expect(page.evaluate<string>('document.cookie')).resolves.not.toContain('zhezi_session');
      await page.getByTestId('who').getByText('中关村街道').waitFor();
      await page.getByText('待签收').first().waitFor();
      await checkPage(page, `${prefix}-my-tasks`);

      if (prefix === 'desktop') {
        // The API stops answering: a banner says so, and goes away with the data back when it answers again.
        await context.route(`${base}/graphql`, (route) => route.abort('connectionrefused'));
        await page.getByLabel('搜索任务名称和内容').fill('停车');
        await page.getByLabel('搜索任务名称和内容').press('Enter');
        const banner = page.getByRole('alert').filter({ hasText: '无法连接服务器' });
        await banner.waitFor();
        await page.screenshot({ path: join(ARTEFACTS, 'desktop-offline.png'), fullPage: true });
        await context.unroute(`${base}/graphql`);
        await banner.waitFor({ state: 'detached', timeout: 15_000 });
        await page.getByRole('link', { name: '停车治理' }).waitFor();
        await page.getByLabel('搜索任务名称和内容').fill('');
        await page.getByLabel('搜索任务名称和内容').press('Enter');
        // The whole list again, not the searched one still on screen.
        await page.locator('.ant-table-row').nth(1).waitFor();
      }

      await openFirstUnaccepted(page);
      await page.getByText('牵头单位').first().waitFor();
      await checkPage(page, `${prefix}-share`);

      await page.getByRole('button', { name: /签\s*收/ }).click();
      await page.getByText('已签收；下一步可报送进展').waitFor();
      await page.locator('.ant-tag', { hasText: '已签收' }).waitFor();
      await expect(page.getByRole('button', { name: /签\s*收/ }).count()).resolves.toBe(0);
      await checkPage(page, `${prefix}-accepted`);

      if (prefix === 'desktop') {
        // A stale page: someone else 签收s first; the page says so and shows the fresh state.
        await page.getByRole('link', { name: '← 返回我的任务' }).click();
        await page.getByText('待签收').first().waitFor();
        await openFirstUnaccepted(page);
        await acceptElsewhere(new URL(page.url()).pathname.split('/').pop()!);
        await page.getByRole('button', { name: /签\s*收/ }).click();
        await page.getByText('已被他人修改').waitFor();
        await page.locator('.ant-tag', { hasText: '已签收' }).waitFor();
        await checkPage(page, 'desktop-conflict');

        // Another unit's share, opened by its address (a reload: the cookie keeps the session): FORBIDDEN's page.
        await page.goto(`${base}/tasks/${await otherUnitShare()}`);
        await page.getByRole('heading', { name: '无权访问' }).waitFor();
        await checkPage(page, 'desktop-forbidden');
      }

      await page.getByRole('button', { name: /退\s*出/ }).click();
      await page.getByLabel('用户名').waitFor();
      // Signed out: the workbench is no longer reachable without signing in again.
      await page.goto(`${base}/tasks`);
      await page.getByLabel('用户名').waitFor();
      expect(outside).toEqual([]);
    } finally {
      await context.close();
    }
  }

  it('signs in, lists 我的任务, opens a share and 签收s it, signs out (1280×800)', async () => {
    await journey(DESKTOP, 'desktop');
  }, 120_000);

  it('does the same at phone width (390×844)', async () => {
    await journey(PHONE, 'phone');
  }, 120_000);

  /** The titles of the unit's list as the API orders and filters it, for comparing with what the page shows. */
  async function listed(
    user: string,
    orderBy: UnitBoardOrder,
    direction: SortDirection,
    filter: UnitBoardFilter = {},
  ): Promise<string[]> {
    const { unitBoard } = await web.gql(LISTED, { filter, orderBy, direction }, await web.token(user));
    return unitBoard.items.edges.map((e) => e.node.task.title);
  }

  /** Waits (up to 10 s) until `probe` gives `expected`, then asserts it: the page answers after the API does. */
  async function eventually<T>(probe: () => T | Promise<T>, expected: T): Promise<void> {
    const deadline = Date.now() + 10_000;
    let value = await probe();
    while (JSON.stringify(value) !== JSON.stringify(expected) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      value = await probe();
    }
    expect(value).toEqual(expected);
  }

  const tableTitles = (page: Page) => page.locator('.ant-table-row td:first-child a').allTextContents();
  const query = (page: Page) => Object.fromEntries(new URL(page.url()).searchParams);

  it('sorts 我的任务 by a column, filters it by light, and shows it as a kanban by status', async () => {
    const { context, page, outside } = await openPage(DESKTOP);
    try {
      await web.signIn(page, 'zgc.officer');
      await page.goto(`${base}/tasks`);
      await page.locator('.ant-table-row').first().waitFor();

      // Sorted on the server: a click on 进度 asks for the lowest progress first, and the address keeps it.
      await page.getByRole('columnheader', { name: '进度' }).click();
      await eventually(() => query(page), { sort: 'progress' });
      const byProgress = await listed('zgc.officer', 'PROGRESS', 'ASC');
      await eventually(() => tableTitles(page), byProgress);

      // Filtered by light: what the API lists for green (or an empty state that offers to clear the filters).
      await page.getByLabel('按红黄绿灯筛选').click();
      await page.getByTitle('绿灯（正常）').click();
      await eventually(() => query(page), { sort: 'progress', light: 'GREEN' });
      const green = await listed('zgc.officer', 'PROGRESS', 'ASC', { light: 'GREEN' });
      expect(green.length).toBeGreaterThan(0);
      await eventually(() => tableTitles(page), green);
      await page.screenshot({ path: join(ARTEFACTS, 'desktop-my-tasks-filtered.png') });
      await page.getByRole('button', { name: '清除筛选' }).click();
      await eventually(() => query(page), { sort: 'progress' });
      // The address changes before React renders it (a transition): a click in between would act on the old
      // filters, so wait, as a person does, until the page shows them cleared.
      await page.getByRole('button', { name: '清除筛选' }).waitFor({ state: 'detached' });

      // The kanban: a column per status with its count, each share a card in its status's column.
      await page.getByText('看板', { exact: true }).click();
      await eventually(() => query(page), { sort: 'progress', view: 'kanban' });
      const assigned = page.getByRole('listitem', { name: '待签收' });
      const { unitBoard } = await web.gql(COLUMNS, {}, await web.token('zgc.officer'));
      const count = unitBoard.columns.find((c) => c.status === 'ASSIGNED')!.count;
      await assigned.locator('.kanban-count').getByText(String(count)).waitFor();
      await expect(assigned.locator('.share-card').count()).resolves.toBe(Math.min(count, 20));
      await checkPage(page, 'desktop-kanban');
      // A reload shows the same view: it is in the address.
      await page.reload();
      await page.getByRole('listitem', { name: '待签收' }).locator('.share-card').first().waitFor();
      expect(outside).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it("shows a unit head 本单位: the unit's figures, each opening 我的任务 filtered to it", async () => {
    const { context, page, outside } = await openPage(DESKTOP);
    try {
      await web.signIn(page, 'zgc.head');
      await page.getByRole('menuitem', { name: '本单位' }).click();
      await page.getByRole('heading', { level: 1, name: '本单位 · 中关村街道' }).waitFor();
      const { leaderBoard } = await web.gql(UNIT_FIGURES, {}, await web.token('zgc.head'));
      const own = leaderBoard.units.edges.find((e) => e.node.orgUnit.name === '中关村街道')!.node;
      await page
        .locator('.ant-statistic')
        .filter({ hasText: '交办' })
        .getByText(String(own.assigned))
        .waitFor();
      await checkPage(page, 'desktop-unit');

      await page.getByRole('link', { name: /绿灯/ }).click();
      await page.getByRole('heading', { level: 1, name: /我的任务/ }).waitFor();
      expect(query(page)).toEqual({ light: 'GREEN' });
      expect(outside).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('shows 本单位 and the kanban at phone width', async () => {
    const { context, page, outside } = await openPage(PHONE);
    try {
      await web.signIn(page, 'zgc.head');
      await page.goto(`${base}/unit`);
      await page.locator('.ant-statistic').first().waitFor();
      await checkPage(page, 'phone-unit');
      await page.goto(`${base}/tasks?view=kanban`);
      await page.locator('.share-card').first().waitFor();
      await checkPage(page, 'phone-kanban');
      expect(outside).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
