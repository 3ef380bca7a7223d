import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { graphql } from './gql';
import { describeBrowser, DESKTOP, PHONE, startBrowserHarness, type BrowserHarness } from './support/browser';

const VIEWER_UNIT = graphql(`
  query WebAdminViewerUnit {
    viewer {
      orgUnit {
        id
      }
    }
  }
`);
const CREATE_CHANNEL = graphql(`
  mutation WebAdminCreateChannel($input: CreateNotificationChannelInput!) {
    createNotificationChannel(input: $input) {
      id
    }
  }
`);

/** The robot's receiver: a local HTTP server, so nothing leaves the machine. */
async function startReceiver() {
  const received: { url: string; body: string }[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ url: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, received, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** The first Saturday of March, a weekend away from every statutory holiday, and the Monday after it. */
function daysInMarch(year: number): { saturday: string; monday: string } {
  const day = new Date(Date.UTC(year, 2, 1));
  while (day.getUTCDay() !== 6) day.setUTCDate(day.getUTCDate() + 1);
  const saturday = day.toISOString().slice(0, 10);
  day.setUTCDate(day.getUTCDate() + 2);
  return { saturday, monday: day.toISOString().slice(0, 10) };
}

describeBrowser('administration in Chromium (admin)', () => {
  let web: BrowserHarness;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    [web, receiver] = await Promise.all([startBrowserHarness(), startReceiver()]);
  }, 300_000);

  afterAll(async () => {
    await web?.close();
    receiver?.server.closeAllConnections();
    await new Promise((resolve) => receiver?.server.close(resolve));
  });

  const heading = (page: Page, name: string | RegExp) =>
    page.getByRole('heading', { level: 1, name }).waitFor();
  const menu = async (page: Page, name: string) => {
    await page.getByRole('menuitem', { name, exact: true }).click();
    await heading(page, name);
  };
  /** An antd Select with search: type, then take the first option offered. */
  const choose = async (page: Page, label: string, text: string) => {
    const box = page.getByLabel(label, { exact: true });
    await box.click();
    await box.fill(text);
    await page.locator('.ant-select-item-option-active').filter({ hasText: text }).waitFor();
    await box.press('Enter');
  };
  const modal = (page: Page, title: string | RegExp) => page.getByRole('dialog').filter({ hasText: title });

  it('manages users, the calendar, escalation, keywords and a robot, at 1280×800', async () => {
    const { page, outside } = await web.openPage(DESKTOP);
    await web.signIn(page, 'admin');
    await heading(page, '系统管理');
    expect(new URL(page.url()).pathname).toBe('/system');
    await web.checkPage(page, 'admin-home');

    // 用户: a weak password is refused on its field; a generated one is shown once; the new user is listed.
    await menu(page, '用户');
    await page.getByRole('cell', { name: 'zgc.officer', exact: true }).waitFor();
    await web.checkPage(page, 'admin-users');
    await page.getByRole('button', { name: '新建用户' }).click();
    const form = modal(page, '新建用户');
    await form.getByLabel('用户名').fill('zgc.zhang');
    await form.getByLabel('姓名').fill('张晓明');
    await choose(page, '所属单位', '中关村街道');
    await form.getByLabel('职务').fill('科员');
    await form.getByLabel('初始密码').fill('Zhezi@2026');
    await form.getByRole('button', { name: /保\s*存/ }).click();
    await form.locator('.ant-form-item-explain-error').filter({ hasText: '过于常见' }).waitFor();
    await form.getByLabel('初始密码').fill('');
    await form.getByRole('button', { name: /保\s*存/ }).click();
    const created = modal(page, '已创建用户 zgc.zhang');
    expect(await created.locator('.temporary-password').textContent()).toMatch(/^\S{14}$/);
    await created.getByRole('button', { name: /知道了|确\s*定|OK/ }).click();
    const row = page.getByRole('row').filter({ hasText: 'zgc.zhang' });
    await row
      .filter({ hasText: '张晓明' })
      .filter({ hasText: '中关村街道' })
      .filter({ hasText: '须改密码' })
      .waitFor();

    // 工作日历: next year is provisional until its schedule is imported; the grid changes with the import.
    const next = new Date().getFullYear() + 1;
    const { saturday, monday } = daysInMarch(next);
    await menu(page, '工作日历');
    await page.getByRole('button', { name: '下一年' }).click();
    const cell = page.locator(`[data-day="${saturday}"]`);
    await expect(cell.getAttribute('class')).resolves.toContain('day-WEEKEND');
    await page.getByText('暂定：按法定规则推算').waitFor();
    await page.getByRole('button', { name: '导入放假安排' }).click();
    const importing = modal(page, '导入放假安排');
    expect(await importing.getByLabel('年份').inputValue()).toBe(String(next));
    const schedule = (workday: string) =>
      JSON.stringify({
        holidays: [{ from: `${next}-01-01`, to: `${next}-01-03`, name: '元旦' }],
        workdays: [{ date: workday, name: '春节' }],
      });
    // A make-up workday must be a weekend day: the refusal lands on the content.
    await importing.getByLabel('放假安排').fill(schedule(monday));
    await importing.getByLabel('依据').fill('国办发明电（测试）');
    await importing.getByRole('button', { name: /导\s*入/ }).click();
    await importing.locator('.ant-form-item-explain-error').filter({ hasText: '调休上班日' }).waitFor();
    await importing.getByLabel('放假安排').fill(schedule(saturday));
    await importing.getByRole('button', { name: /导\s*入/ }).click();
    await page.getByText(`已导入 ${next} 年放假安排`).waitFor();
    await page.locator(`[data-day="${saturday}"].day-MAKEUP_WORKDAY`).waitFor();
    await page.getByText('已发布', { exact: true }).waitFor();
    await web.checkPage(page, 'admin-calendar-imported');
    // Correcting one day: 4 January becomes a holiday.
    await page.locator(`[data-day="${next}-01-04"]`).click();
    const correcting = modal(page, /修改 \d+年1月4日/);
    await correcting.getByLabel('法定节假日').check();
    await correcting.getByLabel('修改依据').fill('区政府办公室通知（测试）');
    await correcting.getByRole('button', { name: /保\s*存/ }).click();
    await page.locator(`[data-day="${next}-01-04"].day-HOLIDAY`).waitFor();

    // 督办流程: changing a level shows the version it would make, and makes it.
    await menu(page, '督办流程');
    const policy = page.locator('.ant-card').filter({ has: page.getByText('默认', { exact: true }) });
    await policy.getByText('第1版', { exact: true }).waitFor();
    await policy.getByRole('button', { name: /修\s*改/ }).click();
    const editing = page.getByRole('dialog').filter({ hasText: '修改督办流程' });
    await editing.getByText('级次未改：保存不生成新版本').waitFor();
    await editing.getByLabel('相对完成时限（工作日）').first().fill('-4');
    await editing.getByText('保存后将生成第2版').waitFor();
    await web.checkPage(page, 'admin-escalation-edit');
    await editing.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('已保存为第2版').waitFor();
    // The dialog's closing animation holds a mask over the page; on a loaded machine the next click must wait for it.
    await editing.waitFor({ state: 'detached' });
    await policy.getByText('第2版', { exact: true }).waitFor();
    await policy.getByText('到期前 4 个工作日').waitFor();
    await policy.getByText('历史版本（1）').waitFor();

    // 关键词: try the dictionary on a text.
    await menu(page, '关键词');
    await page.getByLabel('任务内容').fill('推进上庄镇污水处理设施建设，改善河道水环境');
    await page.getByRole('button', { name: '建议承办单位' }).click();
    const suggestions = page.locator('.suggestions');
    await suggestions.getByRole('cell', { name: '区水务局' }).waitFor();
    await suggestions.getByRole('cell', { name: '上庄地区' }).waitFor();
    await suggestions.getByText('污水', { exact: true }).first().waitFor();
    await web.checkPage(page, 'admin-keywords');

    // 通知渠道: a webhook of 中关村街道, a test message to the local receiver, and its delivery log.
    await menu(page, '通知渠道');
    await choose(page, '单位', '中关村街道');
    await page.getByRole('button', { name: '添加推送渠道' }).click();
    const adding = modal(page, '添加推送渠道');
    await adding.getByLabel('类型').click();
    await page.locator('.ant-select-item-option').filter({ hasText: 'Webhook' }).click();
    await adding.getByLabel('名称').fill('中关村街道值班系统');
    await adding.getByLabel('推送地址').fill(`${receiver.base}/zhezi-hook`);
    await adding.getByLabel('签名密钥').fill('test-secret-123');
    await adding.getByRole('button', { name: /保\s*存/ }).click();
    const channel = page.getByRole('row').filter({ hasText: '中关村街道值班系统' });
    await channel.getByText(`${receiver.base}/***`).waitFor();
    // The list refetches after the save; a click on a row being replaced is lost, so let it settle first.
    await adding.waitFor({ state: 'detached' });
    await page.locator('.ant-spin-spinning').waitFor({ state: 'detached' });
    await channel.getByRole('button', { name: '发送测试消息' }).click();
    await page.getByText('测试消息已送达“中关村街道值班系统”（HTTP 200）').waitFor();
    const log = page.locator('.delivery-log');
    await log
      .getByRole('row')
      .filter({ hasText: '测试消息：中关村街道值班系统' })
      .filter({ hasText: '已送达' })
      .waitFor();
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0].url).toBe('/zhezi-hook');
    expect(JSON.parse(receiver.received[0].body)).toMatchObject({ title: '测试消息：中关村街道值班系统' });
    await web.checkPage(page, 'admin-channels');

    // 审批流程 and 单位: shown, with their rules.
    await menu(page, '审批流程');
    await page.getByText('会签').or(page.getByText('或签')).first().waitFor();
    await web.checkPage(page, 'admin-approval-flows');
    await menu(page, '单位');
    await page.getByRole('treeitem', { name: '区发展改革委' }).click();
    await page.getByText('区发改委', { exact: true }).waitFor();
    await web.checkPage(page, 'admin-units');

    // 队列: the board opens with this browser's session, loading nothing from another host.
    await menu(page, '队列');
    const href = await page.getByRole('link', { name: '打开任务队列面板' }).getAttribute('href');
    expect(href).toBe('/admin/queues');
    const board = await page.goto(`${web.base}${href}`);
    expect(board?.status()).toBe(200);
    await page.getByText('notify-webhook').first().waitFor();

    expect(outside).toEqual([]);
  }, 300_000);

  it('shows the users as cards at phone width', async () => {
    const { page, outside } = await web.openPage(PHONE);
    await web.signIn(page, 'admin');
    await page.goto(`${web.base}/system/users`);
    await heading(page, '用户');
    await page.locator('.card-list .ant-card').filter({ hasText: 'zgc.officer' }).waitFor();
    await web.checkPage(page, 'admin-users-phone');
    expect(outside).toEqual([]);
  }, 90_000);

  it('lets a unit head manage their own unit’s robots, and nothing else of 系统管理', async () => {
    // A robot the admin set up for the head's unit, behind the page's back.
    const admin = await web.token('admin');
    const { viewer } = await web.gql(VIEWER_UNIT, {}, await web.token('zgc.head'));
    await web.gql(
      CREATE_CHANNEL,
      {
        input: {
          orgUnitId: viewer.orgUnit.id,
          kind: 'WECOM',
          name: '中关村街道工作群',
          url: `${receiver.base}/wecom`,
        },
      },
      admin,
    );
    const { page } = await web.openPage(DESKTOP);
    await web.signIn(page, 'zgc.head');
    await menu(page, '通知渠道');
    await page.getByRole('heading', { level: 1, name: '通知渠道 · 中关村街道' }).waitFor();
    await page.getByRole('row').filter({ hasText: '中关村街道工作群' }).waitFor();
    await page.goto(`${web.base}/system/users`);
    await page.getByText('系统管理仅管理员可用').waitFor();
  }, 90_000);
});
