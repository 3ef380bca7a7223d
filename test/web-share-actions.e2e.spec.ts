import type { Locator, Page } from 'playwright-core';
import { describeBrowser, PHONE, startBrowserHarness, type BrowserHarness } from './support/browser';
import { graphql } from './gql';

/** A real 1×1 PNG: the API checks the first bytes against the extension. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

const SHARE_BY_TITLE = graphql(`
  query WebShareActionsShareByTitle($search: String) {
    unitBoard(filter: { search: $search }) {
      items(first: 10) {
        edges {
          node {
            id
            version
            task {
              title
            }
          }
        }
      }
    }
  }
`);
const SUBMIT = graphql(`
  mutation WebShareActionsSubmitProgress($input: SubmitProgressInput!) {
    submitProgress(input: $input) {
      id
    }
  }
`);
const OPEN_NOTICE = graphql(`
  mutation WebShareActionsOpenNotice($input: OpenSupervisionNoticeInput!) {
    openSupervisionNotice(input: $input) {
      code
    }
  }
`);
const PARTS = graphql(`
  query WebShareActionsParts($id: ID!) {
    assignment(id: $id) {
      children {
        dueAt
        orgUnit {
          name
        }
      }
    }
  }
`);

describeBrowser('a share’s page: what a unit does with its share (demo data, Chromium)', () => {
  let web: BrowserHarness;

  beforeAll(async () => {
    web = await startBrowserHarness();
  }, 120_000);

  afterAll(async () => {
    await web?.close();
  });

  /** The harness posts plain strings; through this, a typed document's variables and result are checked. */

  // Signing in costs an argon2 hash: one token per user for the whole file.
  const tokens = new Map<string, Promise<string>>();
  const token = (username: string) => {
    if (!tokens.has(username)) tokens.set(username, web.token(username));
    return tokens.get(username)!;
  };

  /** A screenshot and axe of the page at rest: the pointer moved off whatever button it last pressed. */
  async function check(page: Page, name: string) {
    await page.mouse.move(0, 0);
    await web.checkPage(page, name);
  }

  /** The unit's share of the task with this title, read through the API as the unit's own user. */
  async function shareOf(username: string, title: string) {
    const { unitBoard } = await web.gql(SHARE_BY_TITLE, { search: title }, await token(username));
    const share = unitBoard.items.edges.map((e) => e.node).find((n) => n.task.title === title);
    if (!share) throw new Error(`${username} has no share of ${title}`);
    return share;
  }

  async function openShare(page: Page, title: string): Promise<void> {
    await page.goto(`${web.base}/tasks`);
    await page.getByRole('link', { name: title }).first().click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
  }

  /** Drops files on the drag-and-drop area the way a browser does (a drop event carrying them). */
  async function dropFiles(
    page: Page,
    target: Locator,
    files: { name: string; type: string; base64: string }[],
  ) {
    // Built in the page (the test's own types know no DOM): a DataTransfer holding the files.
    const dataTransfer = await page.evaluateHandle(`(() => {
      const transfer = new DataTransfer();
      for (const f of ${JSON.stringify(files)}) {
        const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
        transfer.items.add(new File([bytes], f.name, { type: f.type }));
      }
      return transfer;
    })()`);
    await target.dispatchEvent('drop', { dataTransfer });
  }

  const drawer = (page: Page) => page.getByRole('dialog');
  const button = (scope: Page | Locator, label: string) =>
    scope.getByRole('button', { name: new RegExp(label.split('').join('\\s*')) });

  it('zgc.officer: 签收, 报送进展 with evidence (a stale form first), 申请延期, 申请销号', async () => {
    const title = '中关村科学城建设';
    const { context, page, outside } = await web.openPage();
    try {
      await web.signIn(page, 'zgc.officer');
      await openShare(page, title);
      await page.getByText('办理记录').waitFor();
      await check(page, 'share-assigned');

      await button(page.locator('.ant-card').filter({ hasText: '办理' }).first(), '签收').click();
      await page.getByText('已签收；下一步可报送进展').waitFor();

      // The next step is offered: 报送进展, in a drawer.
      await page.getByRole('button', { name: '下一步：报送进展' }).click();
      const form = drawer(page);
      await form.getByLabel('进展情况').waitFor();
      await form.getByLabel('进度（%）').fill('30');
      await form.getByLabel('进展情况').fill('完成科学城北区道路改造方案，已报区政府审议。');

      // A file the API would refuse is refused before it is sent, in the API's words; a photo is uploaded.
      const dragger = form.locator('.ant-upload-drag .ant-upload');
      await dropFiles(page, dragger, [
        { name: 'setup.exe', type: 'application/octet-stream', base64: 'TVqQAA==' },
      ]);
      await page.getByText('setup.exe：不支持上传 .exe 文件').waitFor();
      await dropFiles(page, dragger, [
        { name: '现场照片.png', type: 'image/png', base64: PNG.toString('base64') },
      ]);
      await form.locator('.ant-upload-list-item-done', { hasText: '现场照片.png' }).waitFor();
      await expect(form.locator('.ant-upload-list-item', { hasText: 'setup.exe' }).count()).resolves.toBe(0);
      await check(page, 'share-report-form');

      // Meanwhile the unit head reports: the officer's form is stale, says so, and the page shows the fresh data.
      const share = await shareOf('zgc.officer', title);
      await web.gql(
        SUBMIT,
        {
          input: {
            assignmentId: share.id,
            version: share.version,
            period: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7),
            text: '负责人先行报送',
            percent: 20,
          },
        },
        await token('zgc.head'),
      );
      await button(form, '报送').click();
      await form.getByText('已被他人修改').waitFor();
      await page.getByText('负责人先行报送').waitFor();
      await check(page, 'share-report-conflict');

      await button(form, '报送').click();
      await page.getByText(/已报送 \d{4}-\d{2} 的进展，进度 30%/).waitFor();
      await page.getByRole('link', { name: /现场照片\.png/ }).waitFor();
      await page.locator('.ant-tag', { hasText: '推进中' }).waitFor();
      await check(page, 'share-reported');

      await button(page.locator('.ant-card').filter({ hasText: '办理' }).first(), '申请延期').click();
      // Tab, not Enter: Enter in a field submits the form, as in any HTML form.
      await form.getByLabel('申请延至').fill('2027-11-30');
      await form.getByLabel('申请延至').press('Tab');
      await form.getByLabel('延期理由').fill('北区道路改造须待地铁施工完成后进行。');
      await check(page, 'share-extension-form');
      await button(form, '申请延期').click();
      await page.getByText('已申请延期至 2027年11月30日，延期审批中').waitFor();
      await page.getByText(/延期审批中：第 1 步/).waitFor();

      await button(page.locator('.ant-card').filter({ hasText: '办理' }).first(), '申请销号').click();
      await form.getByLabel('完成情况说明').fill('北区道路改造方案已完成并报审。');
      await button(form, '申请销号').click();
      await page.getByText(/已申请销号，销号审批中/).waitFor();
      await page.locator('.ant-tag', { hasText: '销号审批中' }).waitFor();
      await expect(page.getByRole('button', { name: /申请销号/ }).count()).resolves.toBe(0);
      await check(page, 'share-close-out-requested');
      expect(outside).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('zgc.officer answers a 督办单 the 督查室 opened', async () => {
    const title = '停车治理';
    const share = await shareOf('zgc.officer', title);
    const { openSupervisionNotice: notice } = await web.gql(
      OPEN_NOTICE,
      { input: { assignmentId: share.id, reason: '逾期未完成，未说明原因', responseWorkdays: 3 } },
      await token('inspector'),
    );
    const { context, page } = await web.openPage();
    try {
      await web.signIn(page, 'zgc.officer');
      await openShare(page, title);
      await page.getByText(`开具督办单 ${notice.code}`).waitFor();
      await button(page.locator('.ant-card').filter({ hasText: '办理' }).first(), '答复督办单').click();
      const form = drawer(page);
      await form.getByText('逾期未完成，未说明原因').waitFor();
      await form.getByLabel('整改说明').fill('停车位施工因管线迁改延误，已协调区交通委。');
      await form.getByLabel('新的推进计划').fill('12 月底前完成剩余 200 个车位施工。');
      await check(page, 'share-answer-form');
      await button(form, '提交答复').click();
      await page.getByText(`已答复督办单 ${notice.code}，等待督查室审核`).waitFor();
      await page.getByText(`答复督办单 ${notice.code}`).first().waitFor();
      await expect(page.getByRole('button', { name: /答复督办单/ }).count()).resolves.toBe(0);
      await check(page, 'share-answered');
      // The timeline's own entry, not only the message above it.
      await expect(page.getByText(`答复督办单 ${notice.code}`, { exact: true }).count()).resolves.toBe(1);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('fgw.officer splits a share to two subdistricts, each with its own due date', async () => {
    const title = '新建改扩建中小学和幼儿园';
    const { context, page } = await web.openPage();
    try {
      await web.signIn(page, 'fgw.officer');
      await openShare(page, title);
      await button(page.locator('.ant-card').filter({ hasText: '办理' }).first(), '分解到街镇').click();
      const form = drawer(page);
      const picker = form.getByLabel('街道 / 镇');
      for (const name of ['学院路街道', '海淀街道']) {
        await picker.fill(name.slice(0, 3));
        await page.locator('.ant-select-item-option', { hasText: name }).click();
      }
      await page.keyboard.press('Escape');
      const xyl = form.getByLabel('学院路街道 完成时限');
      await xyl.fill('2027-06-30');
      await xyl.press('Tab');
      await check(page, 'share-split-form');
      await button(form, '分解').click();
      await page.getByText('已分解到 学院路街道、海淀街道').waitFor();
      await page.getByText('分解情况（2 个街镇）').waitFor();
      await check(page, 'share-split');

      const share = await shareOf('fgw.officer', title);
      const { assignment } = await web.gql(PARTS, { id: share.id }, await token('fgw.officer'));
      const parts = Object.fromEntries(assignment.children.map((c) => [c.orgUnit.name, c.dueAt]));
      expect(parts).toEqual({
        学院路街道: '2027-06-30T15:59:59.999Z',
        海淀街道: '2027-08-31T15:59:59.999Z',
      });
    } finally {
      await context.close();
    }
  }, 120_000);

  it('at phone width: 签收 and 报送进展 from the bottom bar, a photo from the file chooser', async () => {
    const title = '生活垃圾分类全覆盖';
    const { context, page } = await web.openPage(PHONE);
    try {
      await web.signIn(page, 'zgc.officer');
      await openShare(page, title);
      const bar = page.getByRole('navigation', { name: '办理' });
      await button(bar, '签收').click();
      await page.getByText('已签收；下一步可报送进展').waitFor();
      await check(page, 'phone-share-accepted');

      await button(bar, '报送进展').click();
      const form = drawer(page);
      await form.getByLabel('进度（%）').fill('40');
      await form.getByLabel('进展情况').fill('完成 12 个小区的分类驿站建设。');
      // The camera button opens the camera directly; the drag area takes files (or photos) from the chooser.
      // count() does not wait: on a busy machine the drawer's upload part can render after the text fields.
      const camera = form.locator('input[type=file][capture=environment]');
      await camera.waitFor({ state: 'attached' });
      await expect(camera.count()).resolves.toBe(1);
      await form
        .locator('.ant-upload-drag input[type=file]')
        .setInputFiles({ name: '驿站.png', mimeType: 'image/png', buffer: PNG });
      await form.locator('.ant-upload-list-item-done', { hasText: '驿站.png' }).waitFor();
      await check(page, 'phone-report-form');
      await button(form, '报送').click();
      await page.getByText(/已报送 \d{4}-\d{2} 的进展，进度 40%/).waitFor();
      await page.locator('.ant-tag', { hasText: '推进中' }).waitFor();
      await check(page, 'phone-share-reported');
    } finally {
      await context.close();
    }
  }, 120_000);
});
