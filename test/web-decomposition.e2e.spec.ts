import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { graphql } from './gql';
import { describeBrowser, DESKTOP, PHONE, startBrowserHarness, type BrowserHarness } from './support/browser';

/** The seed's plan text, as the API e2e test reads it. */
const SEED_FILE = resolve(__dirname, '../libs/seed/data/haidian-13th-five-year-plan.txt');
const year = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));

const SHARES = graphql(`
  query WebDecompositionShares {
    myAssignments(first: 100) {
      edges {
        node {
          task {
            title
          }
        }
      }
    }
  }
`);

describeBrowser('任务分解 in Chromium (leader, inspector, executive, zgc.officer)', () => {
  let web: BrowserHarness;

  beforeAll(async () => {
    web = await startBrowserHarness();
  }, 180_000);

  afterAll(async () => {
    await web?.close();
  });

  /** The harness posts plain strings; through this, a typed document's variables and result are checked. */

  const heading = (page: Page, name: string | RegExp) =>
    page.getByRole('heading', { level: 1, name }).waitFor();
  const button = (page: Page, name: string) =>
    page.getByRole('button', { name: new RegExp(name.split('').join('\\s*')) });
  const dialog = (page: Page, title: string | RegExp) => page.getByRole('dialog').filter({ hasText: title });
  /** An antd Select with search inside a dialog: type, take the option offered, see it chosen. */
  const choose = async (page: Page, label: string, text: string) => {
    const box = page.getByRole('combobox', { name: label });
    await box.click();
    await box.fill(text);
    await page.locator('.ant-select-item-option-active').filter({ hasText: text }).waitFor();
    await box.press('Enter');
    await page.getByRole('dialog').locator('.ant-select-selection-item').filter({ hasText: text }).waitFor();
    await box.press('Escape');
  };

  it('leader ingests the plan, edits drafts, submits; inspector and a 区领导 approve; zgc sees its share', async () => {
    const { context, page, outside } = await web.openPage(DESKTOP);
    try {
      await web.signIn(page, 'leader');
      await page.getByRole('menuitem', { name: '分解', exact: true }).click();
      await heading(page, '任务分解');
      await web.checkPage(page, 'decomposition-plans');

      // The plan document, uploaded with its progress, read into numbers.
      await page.locator('input[type=file]').setInputFiles({
        name: '海淀区十三五规划纲要.txt',
        mimeType: 'text/plain',
        buffer: readFileSync(SEED_FILE),
      });
      const ingested = page.getByTestId('ingested');
      await ingested.waitFor({ timeout: 60_000 });
      await expect(ingested.textContent()).resolves.toMatch(/章10节36条79措施223/);
      await web.checkPage(page, 'decomposition-ingested');

      // The tree beside the text its indicators and deadlines came from.
      await button(page, '查看目标树').click();
      await heading(page, '北京市海淀区国民经济和社会发展第十三个五年规划纲要');
      const tree = page.getByRole('navigation', { name: '目标树' });
      await tree
        .getByRole('treeitem')
        .filter({ hasText: /个指标$/ })
        .nth(1)
        .click();
      await page.getByTestId('plan-text').locator('mark').first().waitFor();
      await web.checkPage(page, 'decomposition-tree');

      // What blocks submitting, each leading to its draft: the first is settled with a unit picked by hand.
      await page.getByRole('tab', { name: /提交审定/ }).click();
      const problems = page.locator('.ant-list-item');
      await problems.first().waitFor();
      await web.checkPage(page, 'decomposition-problems');
      await problems.first().getByRole('button', { name: '去修改' }).click();
      const edit = dialog(page, /修改第 \d+ 项/);
      await edit.waitFor();
      const title = `${(await edit.getByLabel('任务名称').inputValue()).slice(0, 20)}【分解演示】`;
      await edit.getByLabel('任务名称').fill(title);
      await choose(page, '牵头单位', '中关村街道');
      await edit.getByLabel('完成时限').fill(`${year + 1}-12-31`);
      await edit.getByLabel('完成时限').press('Enter');
      await web.checkPage(page, 'decomposition-edit');
      await edit.getByRole('button', { name: /保\s*存/ }).click();
      await edit.waitFor({ state: 'detached' });
      const fixed = page.locator('.ant-table-row').filter({ hasText: title });
      await fixed.getByText('中关村街道').waitFor();
      await fixed.getByText('·手改').first().waitFor();

      // A second draft: a new name and an earlier deadline.
      const row = page
        .locator('.ant-table-row')
        .filter({ hasNotText: title })
        .filter({ hasText: '·推荐' })
        .first();
      await row.getByRole('button', { name: '修改' }).click();
      const second = dialog(page, /修改第 \d+ 项/);
      const secondTitle = `${(await second.getByLabel('任务名称').inputValue()).slice(0, 20)}【分解演示】`;
      await second.getByLabel('任务名称').fill(secondTitle);
      await second.getByLabel('完成时限').fill(`${year + 1}-06-30`);
      await second.getByLabel('完成时限').press('Enter');
      await second.getByRole('button', { name: /保\s*存/ }).click();
      await second.waitFor({ state: 'detached' });
      await page
        .locator('.draft-current')
        .getByText(`${year + 1}-06-30`)
        .waitFor();
      await web.checkPage(page, 'decomposition-drafts');

      // Only these two go forward: found by name, kept by 反选, the rest removed after a confirmation.
      const search = page.getByRole('searchbox', { name: '搜索草稿' });
      await search.fill('分解演示');
      await search.press('Enter');
      await page.locator('.ant-table-row').nth(2).waitFor({ state: 'detached' });
      await expect(page.locator('.ant-table-row').count()).resolves.toBe(2);
      await page
        .getByRole('checkbox', { name: /选择第 \d+ 项/ })
        .first()
        .check();
      await page
        .getByRole('checkbox', { name: /选择第 \d+ 项/ })
        .nth(1)
        .check();
      await search.fill('');
      await search.press('Enter');
      await button(page, '反选').click();
      await button(page, '删除').click();
      const confirmRemove = dialog(page, /删除所选 \d+ 条草稿/);
      await confirmRemove.getByRole('button', { name: '删除草稿' }).click();
      await page.getByText(/已删除 \d+ 条草稿/).waitFor({ timeout: 60_000 });
      await page.getByRole('tab', { name: '任务草稿（2）' }).waitFor();

      await page.getByRole('tab', { name: /提交审定/ }).click();
      await page.getByText('没有需要处理的问题，可以提交审定').waitFor();
      await page.getByLabel('提交说明').fill('请审定十三五规划的任务分解');
      await button(page, '提交审定').last().click();
      await dialog(page, /条任务草稿审定/)
        .getByRole('button', { name: /提交审定/ })
        .click();
      const progress = page.getByTestId('review-progress');
      await progress.getByText('督查室审核 · 审批中').waitFor();
      await web.checkPage(page, 'decomposition-submitted');
      const requestHref = await progress.getByRole('link', { name: '审批详情' }).getAttribute('href');

      // 督查室 first, then a 区领导 other than the one who submitted.
      for (const approver of ['inspector', 'executive']) {
        const other = await web.openPage(DESKTOP);
        try {
          await web.signIn(other.page, approver);
          await other.page.goto(`${web.base}/approvals`);
          await other.page
            .getByRole('link', { name: /十三个五年规划纲要/ })
            .first()
            .click();
          await other.page.waitForURL(`**${requestHref}`);
          await other.page.getByLabel('审批意见').fill('同意');
          await button(other.page, '同意').click();
          if (approver === 'executive') {
            await other.page
              .getByRole('dialog')
              .getByRole('button', { name: /同\s*意/ })
              .click();
          }
          // The last step publishes the drafts as tasks in the same transaction: allow it the time it takes.
          await other.page
            .getByText(approver === 'inspector' ? /已转到下一步/ : /审批已全部通过/)
            .waitFor({ timeout: 120_000 });
          expect(other.outside).toEqual([]);
        } finally {
          await other.context.close();
        }
      }
      await page.reload();
      await progress.getByText('分解审定：已通过').waitFor({ timeout: 30_000 });
      await progress.getByText(/何静 同意/).waitFor();
      await web.checkPage(page, 'decomposition-approved');
      expect(outside).toEqual([]);

      // 中关村街道 finds the task in 我的任务.
      const officer = await web.openPage(DESKTOP);
      try {
        const shares = await web.gql(SHARES, {}, await web.token('zgc.officer'));
        expect(shares.myAssignments.edges.map((e) => e.node.task.title)).toContain(title);
        await web.signIn(officer.page, 'zgc.officer');
        await officer.page.goto(`${web.base}/tasks`);
        await officer.page.getByText(title).first().waitFor();
        await web.checkPage(officer.page, 'decomposition-zgc-tasks');
      } finally {
        await officer.context.close();
      }
    } finally {
      await context.close();
    }
  }, 360_000);

  it('leader imports a 折子 sheet: the template, a wrong unit shown at its cell, then the fixed sheet', async () => {
    const { context, page, outside } = await web.openPage(DESKTOP);
    try {
      await web.signIn(page, 'leader');
      await page.goto(`${web.base}/decomposition/import`);
      await heading(page, '导入折子工程 Excel');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        button(page, '下载折子工程模板').click(),
      ]);
      expect(download.suggestedFilename()).toBe('折子工程模板.xlsx');
      // Only those who may import may fetch it.
      const officer = await fetch(`${web.base}/plans/task-list-template.xlsx`, {
        headers: { authorization: `Bearer ${await web.token('zgc.officer')}` },
      });
      expect(officer.status).toBe(403);
      const template = readFileSync(await download.path());

      // Filled in as an office would: the template's header, four tasks, one unit misspelt (row 5, column D).
      const fill = async (wrong: string) => {
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(Uint8Array.from(template).buffer);
        const sheet = workbook.worksheets[0];
        sheet.addRow([
          '1',
          '推进污水管网建设',
          '完成老旧小区管网改造',
          '区水务局',
          '中关村街道',
          '',
          '年底前',
        ]);
        sheet.addRow(['2', '建设智慧校园', '', wrong, '区财政局', '', '6月底前']);
        sheet.addRow(['3', '优化营商环境', '', '区发改委', '', '', '年底前']);
        sheet.addRow(['4', '中关村街道停车治理', '', '中关村街道', '', '', '9月底前']);
        return Buffer.from(await workbook.xlsx.writeBuffer());
      };
      const upload = async (buffer: Buffer) =>
        page.locator('input[type=file]').setInputFiles({
          name: `${year}年折子工程.xlsx`,
          mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          buffer,
        });

      await upload(await fill('区水利教育局'));
      const problems = page.getByRole('table');
      await problems.getByText('第 5 行 D 列 牵头单位').waitFor();
      await expect(problems.getByRole('row').nth(1).textContent()).resolves.toContain('区水利教育局');
      await web.checkPage(page, 'decomposition-import-refused');

      await upload(await fill('区教委'));
      await page.waitForURL(/\/decomposition\/[0-9a-f-]+\?tab=drafts/);
      await page.getByRole('tab', { name: '任务草稿（4）' }).waitFor();
      await page.locator('.ant-table-row').filter({ hasText: '建设智慧校园' }).getByText('区教委').waitFor();
      await web.checkPage(page, 'decomposition-imported');

      // 拆分 a draft in two, then 合并 the parts again (confirmed).
      const parking = page.locator('.ant-table-row').filter({ hasText: '中关村街道停车治理' });
      await parking.getByRole('button', { name: '拆分' }).click();
      const split = dialog(page, '拆分第 4 项');
      await split.getByLabel('第 2 条名称').fill('中关村街道停车设施建设');
      await web.checkPage(page, 'decomposition-split');
      await split.getByRole('button', { name: /拆\s*分/ }).click();
      await page.getByRole('tab', { name: '任务草稿（5）' }).waitFor();
      await page.getByRole('checkbox', { name: '选择第 4 项' }).check();
      await page.getByRole('checkbox', { name: '选择第 5 项' }).check();
      await button(page, '合并').click();
      await dialog(page, '合并所选 2 条草稿')
        .getByRole('button', { name: /合\s*并/ })
        .click();
      await page.getByText('已合并 2 条草稿').waitFor();
      await page.getByRole('tab', { name: '任务草稿（4）' }).waitFor();
      expect(outside).toEqual([]);

      // At phone width the drafts are cards.
      const phone = await web.openPage(PHONE);
      try {
        await web.signIn(phone.page, 'leader');
        await phone.page.goto(page.url());
        await phone.page.locator('.ant-card').filter({ hasText: '推进污水管网建设' }).waitFor();
        await web.checkPage(phone.page, 'phone-decomposition-drafts');
      } finally {
        await phone.context.close();
      }
    } finally {
      await context.close();
    }
  }, 90_000);
});
