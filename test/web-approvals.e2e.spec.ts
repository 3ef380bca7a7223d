import type { Page } from 'playwright-core';
import { graphql } from './gql';
import type { TypedDocumentString } from './gql/graphql';
import { describeBrowser, DESKTOP, PHONE, startBrowserHarness, type BrowserHarness } from './support/browser';

const SHARES = graphql(`
  query WebApprovalsShares {
    myAssignments(first: 50) {
      edges {
        node {
          id
          status
          task {
            title
            priority
          }
        }
      }
    }
  }
`);
const VERSION = graphql(`
  query WebApprovalsVersion($id: ID!) {
    assignment(id: $id) {
      version
      status
    }
  }
`);
const ACCEPT = graphql(`
  mutation WebApprovalsAccept($input: AssignmentTransitionInput!) {
    acceptAssignment(input: $input) {
      id
    }
  }
`);
const SUBMIT = graphql(`
  mutation WebApprovalsSubmitProgress($input: SubmitProgressInput!) {
    submitProgress(input: $input) {
      id
    }
  }
`);
const CLOSE_OUT = graphql(`
  mutation WebApprovalsRequestCloseOut($input: RequestCloseOutInput!) {
    requestCloseOut(input: $input) {
      id
    }
  }
`);
const REQUEST = graphql(`
  query WebApprovalsRequest($id: ID!) {
    approvalRequest(id: $id) {
      status
      currentStep
    }
  }
`);
const UNREAD = graphql(`
  query WebApprovalsUnread {
    unreadNotificationCount
  }
`);
const DECIDE = graphql(`
  mutation WebApprovalsDecide($input: DecideApprovalInput!) {
    decideApproval(input: $input) {
      id
    }
  }
`);
const FLOWS = graphql(`
  query WebApprovalsFlows {
    approvalFlows {
      kind
      version
    }
  }
`);
const UPDATE_FLOW = graphql(`
  mutation WebApprovalsUpdateFlow($input: UpdateApprovalFlowInput!) {
    updateApprovalFlow(input: $input) {
      version
    }
  }
`);

/** This Beijing month, the period of a monthly report: 2026-12. */
const thisMonth = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);

/** This Beijing ISO week, the period of an urgent task's report: 2026-W49. */
function thisWeek(): string {
  const day = new Date(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10));
  day.setUTCDate(day.getUTCDate() + 4 - (day.getUTCDay() || 7)); // the week's Thursday names its year
  const week = Math.ceil(((day.getTime() - Date.UTC(day.getUTCFullYear(), 0, 1)) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** A 销号 request as the journey meets it: its id, its share and the share's task. */
interface CloseOut {
  requestId: string;
  assignmentId: string;
  title: string;
  evidence: string;
}

describeBrowser('待我审批 and 通知 in Chromium (zgc.head decides zgc.officer’s 销号)', () => {
  let web: BrowserHarness;
  const tokens = new Map<string, string>();
  const used = new Set<string>();

  beforeAll(async () => {
    web = await startBrowserHarness();
  }, 120_000);

  afterAll(async () => {
    await web?.close();
  });

  const tokenOf = async (username: string) => {
    if (!tokens.has(username)) tokens.set(username, await web.token(username));
    return tokens.get(username)!;
  };
  /** The harness posts plain strings; through this, a typed document's variables and result are checked. */
  const as = async <R, V extends Record<string, unknown>>(
    username: string,
    doc: TypedDocumentString<R, V>,
    variables: V,
  ) => web.gql(doc, variables, await tokenOf(username));
  const shareOf = async (id: string) => (await as('zgc.officer', VERSION, { id })).assignment;

  /** Through the API, as README "Approvals" says: 签收, a 100 % report with a PDF, then 申请销号. */
  async function requestCloseOut(): Promise<CloseOut> {
    const { myAssignments } = await as('zgc.officer', SHARES, {});
    const share = myAssignments.edges
      .map((e) => e.node)
      .find((s) => s.status === 'ASSIGNED' && !used.has(s.id))!;
    used.add(share.id);
    await as('zgc.officer', ACCEPT, {
      input: { assignmentId: share.id, version: (await shareOf(share.id)).version },
    });

    const evidence = `验收报告-${used.size}.pdf`;
    const form = new FormData();
    form.append(
      'file',
      new Blob([`%PDF-1.4\n${share.task.title} 验收\n%%EOF\n`], { type: 'application/pdf' }),
      evidence,
    );
    const upload = await fetch(`${web.base}/assignments/${share.id}/evidence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await tokenOf('zgc.officer')}` },
      body: form,
    });
    expect(upload.status).toBe(201);
    const { id: evidenceId } = (await upload.json()) as { id: string };

    const period = share.task.priority === 'URGENT' ? thisWeek() : thisMonth();
    await as('zgc.officer', SUBMIT, {
      input: {
        assignmentId: share.id,
        version: (await shareOf(share.id)).version,
        period,
        percent: 100,
        text: '各项工作已全部完成，已组织验收。',
        evidenceIds: [evidenceId],
      },
    });
    const { requestCloseOut: request } = await as('zgc.officer', CLOSE_OUT, {
      input: {
        assignmentId: share.id,
        version: (await shareOf(share.id)).version,
        comment: '已完成，请审核',
      },
    });
    return { requestId: request.id, assignmentId: share.id, title: share.task.title, evidence };
  }

  /** An admin shortens 销号 to the unit head alone: requests opened from now on end with zgc.head's decision. */
  async function closeOutDecidedByUnitHead() {
    const { approvalFlows } = await as('admin', FLOWS, {});
    const flow = approvalFlows.find((f) => f.kind === 'CLOSE_OUT')!;
    await as('admin', UPDATE_FLOW, {
      input: {
        kind: 'CLOSE_OUT',
        version: flow.version,
        steps: [{ name: '承办单位负责人审核', source: 'UNIT_HEAD', mode: 'ANY' }],
      },
    });
  }

  const requestOf = async (id: string) => (await as('zgc.head', REQUEST, { id })).approvalRequest;

  /** zgc.head's unread count as the API has it: what the bell must show without a reload. */
  const unreadOfHead = async () => (await as('zgc.head', UNREAD, {})).unreadNotificationCount;
  const bell = (page: Page, unread: number) => page.getByRole('button', { name: `通知，${unread} 条未读` });
  const button = (page: Page, name: string) =>
    page.getByRole('button', { name: new RegExp(name.split('').join('\\s*')) });

  it('zgc.head: bell, 待我审批, 同意 on step 1 and on the last step, 通知 all read (1280×800)', async () => {
    const first = await requestCloseOut();
    const { context, page, outside } = await web.openPage(DESKTOP);
    try {
      await web.signIn(page, 'zgc.head');
      const before = await unreadOfHead();
      await bell(page, before).waitFor();

      // A second request arrives while the head is signed in: the bell counts it without a reload.
      await closeOutDecidedByUnitHead();
      const last = await requestCloseOut();
      const after = await unreadOfHead();
      expect(after).toBeGreaterThan(before);
      await bell(page, after).waitFor();
      await bell(page, after).click();
      const popover = page.locator('.bell-panel');
      await popover.getByText(`【待审批】销号：${first.title}`).waitFor();
      await popover.getByText(`【待审批】销号：${last.title}`).waitFor();
      await web.checkPage(page, 'approvals-bell');
      await page.keyboard.press('Escape');

      await page.getByRole('menuitem', { name: '待我审批' }).click();
      await page.getByRole('heading', { level: 1, name: '待我审批（2）' }).waitFor();
      const rows = page.locator('.ant-table-tbody tr');
      await expect(rows.nth(0).textContent()).resolves.toContain(first.title); // oldest first
      await expect(rows.nth(1).textContent()).resolves.toContain(last.title);
      await web.checkPage(page, 'approvals-inbox');

      await page.getByRole('link', { name: first.title, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: `销号申请：${first.title}` }).waitFor();
      const file = page.getByRole('link', { name: first.evidence }).first();
      await file.waitFor();
      // The evidence downloads with the session cookie.
      const download = await context.request.get(`${web.base}${await file.getAttribute('href')}`);
      expect(download.status()).toBe(200);
      expect(download.headers()['content-type']).toContain('application/pdf');
      await page.getByText('各项工作已全部完成，已组织验收。').first().waitFor();
      await web.checkPage(page, 'approvals-request');

      // 退回 needs a comment: the form says so and sends nothing.
      await button(page, '退回').click();
      await page.getByText('退回时请填写意见，申请单位将看到它').waitFor();
      await expect(page.getByRole('dialog').count()).resolves.toBe(0);
      expect((await requestOf(first.requestId)).currentStep).toBe(1);

      // Step 1 of several: 同意 goes without a confirmation; the next waiting request is offered.
      await page.getByLabel('审批意见').fill('材料齐全，同意销号');
      await button(page, '同意').click();
      await page.getByText(/已转到下一步：/).waitFor();
      const next = page.getByRole('button', { name: `下一条：销号 · ${last.title}` });
      await next.waitFor();
      await web.checkPage(page, 'approvals-decided');
      const moved = await requestOf(first.requestId);
      expect(moved.status).toBe('PENDING');
      expect(moved.currentStep).toBeGreaterThan(1);
      await expect(shareOf(first.assignmentId)).resolves.toMatchObject({ status: 'CLOSE_OUT_REQUESTED' });

      // The last step: 同意 asks first, then closes the share; nothing is left to decide.
      await next.click();
      await page.getByRole('heading', { level: 1, name: `销号申请：${last.title}` }).waitFor();
      await page.getByLabel('审批意见').fill('同意销号');
      await button(page, '同意').click();
      const confirm = page.getByRole('dialog');
      await confirm.getByText('这是最后一步审批：同意后该分工即销号，不能撤销。').waitFor();
      await web.checkPage(page, 'approvals-confirm');
      await confirm.getByRole('button', { name: /同\s*意/ }).click();
      await page.getByText('审批已全部通过，该分工已销号。').waitFor();
      await page.getByText('没有待审批的申请了。').waitFor();
      await expect(shareOf(last.assignmentId)).resolves.toMatchObject({ status: 'CLOSED' });
      await expect(requestOf(last.requestId)).resolves.toMatchObject({ status: 'APPROVED' });
      await web.checkPage(page, 'approvals-last');

      // 通知: both requests' notifications, unread; mark all read and the bell drops to 0 at once.
      await page.getByRole('menuitem', { name: '通知', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: `通知（${await unreadOfHead()} 条未读）` }).waitFor();
      const entry = page.getByRole('link', { name: `【待审批】销号：${first.title}` });
      await expect(entry.getAttribute('href')).resolves.toBe(`/approvals/${first.requestId}`);
      await web.checkPage(page, 'notifications');
      await button(page, '全部标为已读').click();
      await page.getByText(/已将 \d+ 条通知标为已读/).waitFor();
      await bell(page, 0).waitFor();
      await page.getByRole('heading', { level: 1, name: '通知' }).waitFor();
      await expect(page.getByText('未读', { exact: true }).count()).resolves.toBe(0);
      expect(outside).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('zgc.head at phone width: cards, a notification opens its request, 退回, a stale page reloads', async () => {
    await closeOutDecidedByUnitHead();
    const stale = await requestCloseOut();
    const request = await requestCloseOut();
    const { context, page, outside } = await web.openPage(PHONE);
    try {
      await web.signIn(page, 'zgc.head');
      await page.goto(`${web.base}/approvals`);
      await page.getByRole('heading', { level: 1, name: /^待我审批（\d+）$/ }).waitFor();
      await page.locator('.ant-card').getByRole('link', { name: request.title }).waitFor();
      await web.checkPage(page, 'phone-approvals-inbox');

      const unread = await unreadOfHead();
      await bell(page, unread).click();
      await page
        .locator('.bell-panel')
        .getByRole('link', { name: `【待审批】销号：${request.title}` })
        .click();
      await page.getByRole('heading', { level: 1, name: `销号申请：${request.title}` }).waitFor();
      await bell(page, unread - 1).waitFor(); // opening it marked it read
      // 同意 / 退回 sit in a bar at the bottom of the screen.
      const bar = (await page.locator('.action-bar').boundingBox())!;
      expect(Math.round(bar.y + bar.height)).toBe(PHONE.height);
      await web.checkPage(page, 'phone-approvals-request');

      await page.getByLabel('审批意见').fill('佐证材料不全，请补充验收报告');
      await button(page, '退回').click();
      const confirm = page.getByRole('dialog');
      await confirm.getByText(/^退回后本申请即结束，分工回到“已退回”/).waitFor();
      await confirm.getByRole('button', { name: /退\s*回/ }).click();
      await page.getByText('申请已退回，申请单位将看到您的意见。').waitFor();
      await expect(shareOf(request.assignmentId)).resolves.toMatchObject({ status: 'RETURNED' });
      await web.checkPage(page, 'phone-approvals-returned');

      // The next one is decided elsewhere (another tab) while this page shows it: 已被他人修改, and the fresh state.
      await page.getByRole('button', { name: `下一条：销号 · ${stale.title}` }).click();
      await page.getByRole('heading', { level: 1, name: `销号申请：${stale.title}` }).waitFor();
      await as('zgc.head', DECIDE, {
        input: { requestId: stale.requestId, decision: 'APPROVE', comment: '' },
      });
      await button(page, '同意').click();
      await page
        .getByRole('dialog')
        .getByRole('button', { name: /同\s*意/ })
        .click();
      await page.getByText('已被他人修改，已重新载入最新数据').waitFor();
      await page.getByText('已通过', { exact: true }).waitFor();
      // The reloaded request is decided: its buttons go (the page re-renders after the reload).
      await button(page, '同意').first().waitFor({ state: 'detached' });
      await expect(shareOf(stale.assignmentId)).resolves.toMatchObject({ status: 'CLOSED' });
      await web.checkPage(page, 'phone-approvals-conflict');
      expect(outside).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
