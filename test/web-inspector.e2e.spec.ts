import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  ARTEFACTS,
  describeBrowser,
  PHONE,
  startBrowserHarness,
  type BrowserHarness,
} from './support/browser';
import { graphql } from './gql';

const TITLE = '督查演示：老旧小区综合整治';
const DAY_MS = 24 * 3600_000;
const PLAN_AND_UNITS = graphql(`
  query WebInspectorPlanAndUnits {
    plans(first: 1) {
      edges {
        node {
          id
        }
      }
    }
    orgUnits(kind: SUBDISTRICT) {
      id
      name
    }
  }
`);
const CREATE_TASK = graphql(`
  mutation WebInspectorCreateTask($input: CreateTaskInput!) {
    createTask(input: $input) {
      id
    }
  }
`);
const ASSIGN_TASK = graphql(`
  mutation WebInspectorAssignTask($input: AssignTaskInput!) {
    assignTask(input: $input) {
      id
    }
  }
`);
/** antd spaces out a two-character button label (开 具): match the word with or without it. */
const button = (word: string) => new RegExp(`^${word.split('').join('\\s*')}$`);

/**
 * The 督查室's day in Chromium: the 督查 board lists an overdue share, the inspector opens a 督办单 on it, reads
 * the unit's answer and 退回s it, accepts the second answer, escalates with a reason, and downloads the 通报.
 * The unit's side goes through the API (its answer form is part of the share page).
 */
describeBrowser('the inspector in Chromium (demo data, inspector)', () => {
  let web: BrowserHarness;
  let shareId: string;

  /** The harness posts plain strings; through this, a typed document's variables and result are checked. */

  beforeAll(async () => {
    web = await startBrowserHarness();
    // An overdue share of 中关村街道: due three days ago, made now (the ladder's earlier levels never fire).
    const leader = await web.token('leader');
    const { plans, orgUnits } = await web.gql(PLAN_AND_UNITS, {}, leader);
    const dueAt = new Date(Date.now() - 3 * DAY_MS).toISOString();
    const { createTask } = await web.gql(
      CREATE_TASK,
      { input: { planId: plans.edges[0].node.id, title: TITLE, dueAt } },
      leader,
    );
    const zgc = orgUnits.find((u) => u.name === '中关村街道')!;
    const { assignTask } = await web.gql(
      ASSIGN_TASK,
      { input: { taskId: createTask.id, leadUnits: [{ orgUnitId: zgc.id }], supportUnits: [] } },
      leader,
    );
    shareId = assignTask[0].id;
  }, 120_000);

  afterAll(async () => {
    await web?.close();
  });

  /** The unit answers the notice in force on its share's page (part 1's form), signed in as its officer. */
  async function unitAnswers(response: string): Promise<void> {
    const { context, page } = await web.openPage();
    try {
      await web.signIn(page, 'zgc.officer');
      await page.goto(`${web.base}/tasks/${shareId}`);
      await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
      const actions = page.locator('.ant-card').filter({ hasText: '办理' }).first();
      await actions.getByRole('button', { name: /答复督办单/ }).click();
      const form = page.getByRole('dialog');
      await form.getByLabel('整改说明').fill(response);
      await form.getByLabel('新的推进计划').fill('本月底前完成外立面整治，下月中旬完成验收。');
      await form.getByRole('button', { name: /提\s*交\s*答\s*复/ }).click();
      await page.getByText(/已答复督办单 .+，等待督查室审核/).waitFor();
    } finally {
      await context.close();
    }
  }

  const row = (page: Page) => page.locator('tr, .ant-list-item').filter({ hasText: TITLE });

  async function reasonDialog(page: Page, title: string, reason: string, ok: string): Promise<void> {
    const dialog = page.getByRole('dialog', { name: title });
    await dialog.getByRole('textbox').fill(reason);
    await dialog.getByRole('button', { name: button(ok) }).click();
    await dialog.waitFor({ state: 'detached' });
  }

  it('opens a 督办单 from the board, returns an answer, accepts the next, escalates, gets the 通报, on a phone too', async () => {
    const { context, page, outside } = await web.openPage();
    const crashes: string[] = [];
    page.on('pageerror', (error) => crashes.push(error.message));
    const checkPage = async (name: string) => {
      await page.mouse.move(0, 0); // a hovered button is lighter: judge the page at rest
      await web.checkPage(page, `inspector-${name}`);
    };
    try {
      await web.signIn(page, 'inspector');
      // 督查 is the inspector's home: the overdue share with its days overdue, no notice yet.
      await page.getByRole('heading', { level: 1, name: '督查' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/supervision');
      await row(page)
        .getByText(/逾期 \d+ 天/)
        .waitFor();
      await expect(row(page).getByText('无', { exact: true }).count()).resolves.toBe(1);
      // Shares handed out after their whole ladder had passed climb nothing by themselves, but by hand they do.
      const late = page.locator('tr').filter({ hasText: '不自动升级，可立即升级' }).first();
      await expect(late.getByRole('button', { name: '立即升级' }).isEnabled()).resolves.toBe(true);
      await checkPage('board');

      // 督办单: the form on the board; the row then links to it.
      await row(page).getByRole('button', { name: '开具督办单' }).click();
      const dialog = page.getByRole('dialog', { name: '开具督办单' });
      await dialog.getByRole('button', { name: button('开具') }).click();
      await dialog.getByText('请填写督办事由').waitFor();
      await checkPage('open-notice');
      await reasonDialog(page, '开具督办单', '逾期未完成，请说明原因并提出整改措施。', '开具');
      await page.getByText(/已开具督办单督〔\d{4}〕\d+号/).waitFor();
      await row(page)
        .getByRole('link', { name: /督〔\d{4}〕\d+号（待答复）/ })
        .waitFor();
      await expect(row(page).getByRole('button', { name: '开具督办单' }).isDisabled()).resolves.toBe(true);

      // 立即升级, with the reason the audit log keeps.
      // Nothing has fired for it yet (its ladder began after its urge was due): by hand, the urge comes first.
      await row(page).getByRole('button', { name: '立即升级' }).click();
      await page.getByRole('dialog', { name: '立即升级' }).getByText('将升级至：催办').waitFor();
      await reasonDialog(page, '立即升级', '逾期未报送进展，请督促承办单位。', '立即升级');
      await page.getByText('已升级：催办（理由已记入操作日志）').waitFor();

      // The unit answers; the inspector finds it among the answered notices and reads it.
      await unitAnswers('因施工单位调整延误，已更换施工队伍。');
      await page.getByRole('menuitem', { name: '督办单' }).click();
      await page.getByRole('heading', { level: 1, name: '督办单' }).waitFor();
      await page.getByRole('tab', { name: /已答复待审核（1）/ }).click();
      await page.locator('tr').filter({ hasText: TITLE }).getByText('已答复').waitFor();
      await checkPage('notices');
      await page.locator('tr').filter({ hasText: TITLE }).getByRole('link', { name: /督〔/ }).click();
      await page.getByText('因施工单位调整延误，已更换施工队伍。').waitFor();
      await checkPage('notice-answered');

      // 退回 with a reason: the notice waits for a new answer and says why.
      await page.getByRole('button', { name: button('退回') }).click();
      await reasonDialog(page, '退回答复', '整改措施不具体，请写明时间节点和责任人。', '退回');
      await page.getByText('退回理由：整改措施不具体，请写明时间节点和责任人。').waitFor();
      await page.locator('.ant-tag', { hasText: '已退回' }).waitFor();
      await checkPage('notice-returned');

      // The unit answers again; the inspector accepts, after confirming.
      await unitAnswers('已明确时间节点：12月20日前完成整改，责任人为城管科科长。');
      await page.reload();
      await page.getByText('已明确时间节点：12月20日前完成整改，责任人为城管科科长。').waitFor();
      await page.getByRole('button', { name: '接受答复' }).click();
      await page
        .getByRole('dialog')
        .getByRole('button', { name: button('接受') })
        .click();
      await page.getByText(/已接受答复，督办单督〔\d{4}〕\d+号办结/).waitFor();
      await page.locator('.ant-tag', { hasText: '已办结' }).waitFor();
      await checkPage('notice-accepted');

      // 催报: an ended period's missing reports (the seed's shares are new, so the period may be complete).
      await page.getByRole('menuitem', { name: '催报' }).click();
      await page.getByRole('heading', { level: 1, name: '催报' }).waitFor();
      await page.getByText(/未报送进展的任务：共 \d+ 项/).waitFor();
      await checkPage('missing-reports');

      // 通报: ranking chart and table, and the Excel file to print.
      await page.getByRole('menuitem', { name: '通报' }).click();
      await page.getByRole('heading', { level: 1, name: '通报' }).waitFor();
      await page.getByRole('tab', { name: '各街道、镇（地区）' }).click();
      const chart = page.locator('[aria-label*="各街道、镇（地区）得分排名"]');
      await chart.locator('svg').waitFor();
      await expect(chart.getAttribute('aria-label')).resolves.toContain('中关村街道');
      await page.getByRole('cell', { name: '中关村街道' }).waitFor();
      await checkPage('bulletin');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: /下载 Excel/ }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/督查通报\.xlsx$/);
      const file = await readFile(await download.path());
      expect(file.subarray(0, 2).toString()).toBe('PK'); // an .xlsx is a zip
      await page.getByText(/已下载 .+\.xlsx/).waitFor();

      // The board at phone width: cards with their actions in a bar; the share now shows the level reached.
      await page.setViewportSize(PHONE);
      await page.getByRole('menuitem', { name: '督查' }).click();
      await page.getByLabel('搜索任务名称和内容').fill(TITLE);
      await page.getByLabel('搜索任务名称和内容').press('Enter');
      const card = page.locator('.ant-card').filter({ hasText: TITLE });
      await card.locator('.ant-tag.level').waitFor();
      await card.getByRole('button', { name: '立即升级' }).waitFor();
      await expect(page.locator('.ant-card').count()).resolves.toBe(1);
      await checkPage('phone-board');

      expect(outside).toEqual([]);
      expect(crashes).toEqual([]);
    } catch (error) {
      // Where it stopped, as an artefact beside the pages it got through, and what the page threw.
      console.error(crashes);
      await page.screenshot({ path: join(ARTEFACTS, 'inspector-failed.png'), fullPage: true });
      throw error;
    } finally {
      await context.close();
    }
  }, 180_000);
});
