import type { Page } from 'playwright-core';
import { DEMO_PLAN } from '@zhezi/seed';
import { describeBrowser, PHONE, startBrowserHarness, type BrowserHarness } from './support/browser';
import { graphql } from './gql';

const PLAN = '总览演示：2026年折子工程';
const TASK = '总览演示：学院路街道背街小巷整治';
const DAY_MS = 24 * 3600_000;

const CREATE_PLAN = graphql(`
  mutation WebLeaderCreatePlan($input: CreatePlanInput!) {
    createPlan(input: $input) {
      id
    }
  }
`);
const SUBDISTRICTS = graphql(`
  query WebLeaderSubdistricts {
    orgUnits(kind: SUBDISTRICT) {
      id
      name
    }
  }
`);
const CREATE_TASK = graphql(`
  mutation WebLeaderCreateTask($input: CreateTaskInput!) {
    createTask(input: $input) {
      id
    }
  }
`);
const ASSIGN_TASK = graphql(`
  mutation WebLeaderAssignTask($input: AssignTaskInput!) {
    assignTask(input: $input) {
      id
    }
  }
`);

/**
 * The leader's screens in Chromium: 总览 (cards, both rankings, the three charts), a second plan chosen, a
 * subdistrict's board opened from the grid of lights, a share from there; 指标 with its charts; the 督查室
 * reaching 总览 from its menu; 总览 at phone width.
 */
describeBrowser('the leader in Chromium (demo data, leader)', () => {
  let web: BrowserHarness;

  /** The harness posts plain strings; through this, a typed document's variables and result are checked. */

  beforeAll(async () => {
    web = await startBrowserHarness();
    // A second plan with one share of 学院路街道, overdue by three days: choosing it changes every figure.
    const leader = await web.token('leader');
    const { createPlan } = await web.gql(
      CREATE_PLAN,
      {
        input: {
          title: PLAN,
          kind: 'TASK_LIST',
          periodStart: '2025-12-31T16:00:00Z',
          periodEnd: '2026-12-31T15:59:59Z',
        },
      },
      leader,
    );
    const { orgUnits } = await web.gql(SUBDISTRICTS, {}, leader);
    const { createTask } = await web.gql(
      CREATE_TASK,
      {
        input: {
          planId: createPlan.id,
          title: TASK,
          dueAt: new Date(Date.now() - 3 * DAY_MS).toISOString(),
        },
      },
      leader,
    );
    const xyl = orgUnits.find((u) => u.name === '学院路街道')!;
    await web.gql(
      ASSIGN_TASK,
      { input: { taskId: createTask.id, leadUnits: [{ orgUnitId: xyl.id }], supportUnits: [] } },
      leader,
    );
  }, 120_000);

  afterAll(async () => {
    await web?.close();
  });

  /** The charts have drawn: each named chart's SVG is on screen with its shapes in it (more than the axes). */
  async function chartsDrawn(page: Page, names: string[]): Promise<void> {
    for (const name of names) {
      await page.locator(`[data-chart="${name}"] svg`).first().waitFor();
      const selector = JSON.stringify(`[data-chart="${name}"] svg path`);
      await page.waitForFunction(`document.querySelectorAll(${selector}).length > 4`);
    }
  }

  async function choosePlan(page: Page, title: string): Promise<void> {
    await page.getByLabel('按计划筛选').click();
    await page.locator('.ant-select-item-option', { hasText: title }).click();
  }

  it('总览: cards, both rankings and the charts; another plan; a subdistrict; a share', async () => {
    const { page, context, outside } = await web.openPage();
    try {
      await web.signIn(page, 'leader');
      await page.waitForURL(/\/overview$/);
      await page.getByRole('heading', { level: 1, name: '总览' }).waitFor();
      for (const title of ['交办', '按期销号', '在办', '逾期未办结', '按期办结率', '未办结督办单']) {
        await page
          .locator('.figure-cards .ant-statistic-title', { hasText: new RegExp(`^${title}$`) })
          .waitFor();
      }
      await chartsDrawn(page, ['trend', 'local-grid', 'unit-bars']);
      // The departments' ranking first, with score and a light (dot + word) on every row.
      const departments = page.getByRole('tabpanel').locator('.ant-table-row');
      await departments.nth(5).waitFor();
      await expect(departments.first().locator('.light').textContent()).resolves.toMatch(
        /逾期 \d+ 项|督办中|临期 \d+ 项|正常|无在办/,
      );
      await web.checkPage(page, 'leader-overview');

      await page.getByRole('tab', { name: '街道、镇排名' }).click();
      await page.getByRole('tabpanel').locator('.ant-table-row', { hasText: '中关村街道' }).waitFor();
      await chartsDrawn(page, ['unit-bars']);
      await web.checkPage(page, 'leader-overview-locals');

      // The second plan: one share, overdue, at 学院路街道.
      await choosePlan(page, PLAN);
      await page.waitForURL(/\?plan=/);
      const assigned = page.locator('.figure-cards .ant-card', { hasText: '交办' }).first();
      await assigned.locator('.ant-statistic-content-value', { hasText: /^1$/ }).waitFor();
      await page.locator('[data-chart="local-grid"] text', { hasText: '逾期 1 项' }).waitFor();

      // The grid's cell of 学院路街道 opens its board.
      await page.locator('[data-chart="local-grid"] text', { hasText: '学院路街道' }).click();
      await page.waitForURL(/\/units\/[0-9a-f-]+\?plan=/);
      await page.getByRole('heading', { level: 1, name: '单位看板 · 学院路街道' }).waitFor();
      await page.getByText('街道、镇第 1 名').waitFor();
      const share = page.getByRole('link', { name: TASK });
      await share.waitFor();
      await web.checkPage(page, 'leader-unit-board');

      await share.click();
      await page.waitForURL(/\/tasks\/[0-9a-f-]+$/);
      await page.getByRole('heading', { level: 1, name: TASK }).waitFor();
      await web.checkPage(page, 'leader-share');
      expect(outside).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('指标: target, latest value, on-track state and a chart per indicator', async () => {
    const { page, context } = await web.openPage();
    try {
      await web.signIn(page, 'leader');
      await page.getByRole('menuitem', { name: '指标' }).click();
      await page.getByRole('heading', { level: 1, name: '指标' }).waitFor();
      await choosePlan(page, DEMO_PLAN.title);
      const greening = page.locator('.indicator-card', { hasText: '城市绿化覆盖率' });
      await greening.getByText('2019 年 53.2%').waitFor();
      await greening.getByText(/达到线性进度|落后于线性进度/).waitFor();
      await chartsDrawn(page, ['indicator']);
      // The reported values as dots: 2018 and 2019.
      expect(await greening.locator('[data-chart="indicator"] svg path').count()).toBeGreaterThan(3);
      await web.checkPage(page, 'leader-indicators');
    } finally {
      await context.close();
    }
  }, 60_000);

  it('the 督查室 opens 总览 from its menu', async () => {
    const { page, context } = await web.openPage();
    try {
      await web.signIn(page, 'inspector');
      await page.getByRole('menuitem', { name: '总览' }).click();
      await page.getByRole('heading', { level: 1, name: '总览' }).waitFor();
      await chartsDrawn(page, ['trend', 'local-grid', 'unit-bars']);
      await web.checkPage(page, 'inspector-overview');
    } finally {
      await context.close();
    }
  }, 60_000);

  it('总览 at phone width: cards, the ranking as cards, nothing wider than the screen', async () => {
    const { page, context } = await web.openPage(PHONE);
    try {
      await web.signIn(page, 'leader');
      await page.waitForURL(/\/overview$/);
      await chartsDrawn(page, ['trend', 'local-grid', 'unit-bars']);
      // Two figure cards a row; the ranking as a list of cards.
      const boxes = await Promise.all(
        [0, 1, 2].map((i) => page.locator('.figure-cards .ant-card').nth(i).boundingBox()),
      );
      expect(boxes[0]!.y).toBe(boxes[1]!.y);
      expect(boxes[2]!.y).toBeGreaterThan(boxes[0]!.y);
      await page.getByRole('tabpanel').locator('.ant-list .ant-card').nth(5).waitFor();
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
      await web.checkPage(page, 'leader-overview-phone');
    } finally {
      await context.close();
    }
  }, 60_000);
});
