import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChannelKind, type OutgoingMessage } from './channel.types';
import {
  buildWebhookRequest,
  postWebhook,
  verifyWebhookSignature,
  type WebhookTarget,
} from './webhook.channel';

interface Recorded {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
}

const NOW = new Date('2026-03-01T02:03:04.567Z');
const DELIVERY_ID = '7d1e4c2a-9b3f-4e8d-a5c6-0f1e2d3c4b5a';
const SECRET = 'SEC3f9a0c1b2d4e5f60718293a4b5c6d7e8f9';

const MESSAGE: OutgoingMessage = {
  title: '任务即将到期：建设创新街区',
  text: '您负责的任务将于 3 天后到期。\n请及时报送进展。',
  link: 'https://zhezi.test/tasks/a3e5c7d9?tab=progress',
};

const hmacBase64 = (key: string, data: string) => createHmac('sha256', key).update(data).digest('base64');

const json =
  (status: number, payload: unknown) =>
  (res: ServerResponse): void => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
  };

describe('webhook channels', () => {
  let server: Server;
  let base: string;
  let recorded: Recorded[];
  let answer: (res: ServerResponse) => void;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        recorded.push({
          method: req.method!,
          url: new URL(req.url!, base),
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        answer(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    recorded = [];
    answer = json(200, {});
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** Builds for the target, posts to the test server and returns the result with what the server saw. */
  async function deliver(target: WebhookTarget, timeoutMs?: number) {
    const request = buildWebhookRequest(target, MESSAGE, NOW, DELIVERY_ID);
    const result = await postWebhook(request, target.kind, timeoutMs);
    return { request, result, received: recorded.at(-1)! };
  }

  describe('generic webhook', () => {
    const target = (secret: string | null): WebhookTarget => ({
      kind: ChannelKind.WEBHOOK,
      url: `${base}/hooks/zhezi`,
      secret,
    });

    it('posts the message as JSON, signed over "<timestamp>.<body>"', async () => {
      const { result, received } = await deliver(target(SECRET));

      expect(result).toMatchObject({ ok: true, statusCode: 200, error: null, retryable: false });
      expect(received.method).toBe('POST');
      expect(received.url.pathname).toBe('/hooks/zhezi');
      expect(JSON.parse(received.body)).toEqual({
        id: DELIVERY_ID,
        title: MESSAGE.title,
        text: MESSAGE.text,
        link: MESSAGE.link,
        sentAt: '2026-03-01T02:03:04.567Z',
      });
      expect(received.headers['content-type']).toBe('application/json');
      expect(received.headers['x-zhezi-delivery']).toBe(DELIVERY_ID);
      expect(received.headers['x-zhezi-timestamp']).toBe('1772330584');
      const expected = createHmac('sha256', SECRET).update(`1772330584.${received.body}`).digest('hex');
      expect(received.headers['x-zhezi-signature']).toBe(`sha256=${expected}`);
    });

    it('sends no signature without a secret', async () => {
      const { received } = await deliver(target(null));

      expect(received.headers['x-zhezi-timestamp']).toBe('1772330584');
      expect(received.headers).not.toHaveProperty('x-zhezi-signature');
    });

    it('verifies a signature only for the same secret, timestamp and body', () => {
      const { headers, body } = buildWebhookRequest(target(SECRET), MESSAGE, NOW, DELIVERY_ID);
      const timestamp = headers['X-Zhezi-Timestamp'];
      const signature = headers['X-Zhezi-Signature'];

      expect(verifyWebhookSignature(SECRET, timestamp, body, signature)).toBe(true);
      expect(verifyWebhookSignature('another secret', timestamp, body, signature)).toBe(false);
      expect(verifyWebhookSignature(SECRET, '1772330585', body, signature)).toBe(false);
      expect(verifyWebhookSignature(SECRET, timestamp, body.replace('3 天', '5 天'), signature)).toBe(false);
      expect(verifyWebhookSignature(SECRET, timestamp, body, signature.slice(0, -1))).toBe(false);
      expect(verifyWebhookSignature(SECRET, timestamp, body, signature.replace('sha256=', ''))).toBe(false);
    });

    it.each([
      [204, true, false],
      [302, false, false],
      [400, false, false],
      [404, false, false],
      [408, false, true],
      [429, false, true],
      [500, false, true],
      [503, false, true],
    ])('maps HTTP %i to ok %s, retryable %s', async (status, ok, retryable) => {
      answer = (res) => res.writeHead(status, { Location: `${base}/elsewhere` }).end();

      const { result } = await deliver(target(SECRET));

      expect(result).toMatchObject({
        ok,
        retryable,
        statusCode: status,
        error: ok ? null : `HTTP ${status}`,
      });
      expect(recorded).toHaveLength(1);
    });
  });

  describe('DingTalk custom robot', () => {
    it('signs with the millisecond timestamp in the query, keeping the access token', async () => {
      const { request, result, received } = await deliver({
        kind: ChannelKind.DINGTALK,
        url: `${base}/robot/send?access_token=abc123`,
        secret: SECRET,
      });

      expect(result).toMatchObject({ ok: false, retryable: false, error: 'reply has no error code' });
      expect(received.url.pathname).toBe('/robot/send');
      expect(received.url.searchParams.get('access_token')).toBe('abc123');
      expect(received.url.searchParams.get('timestamp')).toBe('1772330584567');
      const sign = hmacBase64(SECRET, `1772330584567\n${SECRET}`);
      expect(received.url.searchParams.get('sign')).toBe(sign);
      expect(request.url).toBe(
        `${base}/robot/send?access_token=abc123&timestamp=1772330584567&sign=${encodeURIComponent(sign)}`,
      );
      expect(JSON.parse(received.body)).toEqual({
        msgtype: 'markdown',
        markdown: {
          title: MESSAGE.title,
          text:
            '**任务即将到期：建设创新街区**\n\n您负责的任务将于 3 天后到期。\n\n请及时报送进展。\n\n' +
            '[查看详情](https://zhezi.test/tasks/a3e5c7d9?tab=progress)',
        },
      });
    });

    it('starts the query when the URL has none, and leaves an unsigned URL alone', () => {
      const signed = buildWebhookRequest(
        { kind: ChannelKind.DINGTALK, url: `${base}/robot/send`, secret: SECRET },
        MESSAGE,
        NOW,
        DELIVERY_ID,
      );
      expect(signed.url).toMatch(new RegExp(`^${base}/robot/send\\?timestamp=1772330584567&sign=[^&]+$`));

      const unsigned = buildWebhookRequest(
        { kind: ChannelKind.DINGTALK, url: `${base}/robot/send?access_token=abc123`, secret: null },
        MESSAGE,
        NOW,
        DELIVERY_ID,
      );
      expect(unsigned.url).toBe(`${base}/robot/send?access_token=abc123`);
    });

    it('sends the markdown without a link line when there is no link', () => {
      const { body } = buildWebhookRequest(
        { kind: ChannelKind.DINGTALK, url: `${base}/robot/send`, secret: null },
        { ...MESSAGE, link: null },
        NOW,
        DELIVERY_ID,
      );
      expect((JSON.parse(body) as { markdown: { text: string } }).markdown.text).not.toContain('查看详情');
    });
  });

  describe('WeCom group robot', () => {
    it('posts markdown content to the keyed URL, unsigned', async () => {
      const { request, result, received } = await deliver({
        kind: ChannelKind.WECOM,
        url: `${base}/cgi-bin/webhook/send?key=693a91f6-7xxx`,
        secret: SECRET,
      });

      expect(result.ok).toBe(false);
      expect(request.url).toBe(`${base}/cgi-bin/webhook/send?key=693a91f6-7xxx`);
      expect(received.url.searchParams.get('key')).toBe('693a91f6-7xxx');
      expect(JSON.parse(received.body)).toEqual({
        msgtype: 'markdown',
        markdown: {
          content:
            '**任务即将到期：建设创新街区**\n您负责的任务将于 3 天后到期。\n请及时报送进展。\n' +
            '[查看详情](https://zhezi.test/tasks/a3e5c7d9?tab=progress)',
        },
      });
    });
  });

  describe('Feishu custom bot', () => {
    const target = (secret: string | null): WebhookTarget => ({
      kind: ChannelKind.FEISHU,
      url: `${base}/open-apis/bot/v2/hook/4d4b3813`,
      secret,
    });

    it('posts rich text signed with the second timestamp and the secret as the HMAC key', async () => {
      const { result, received } = await deliver(target(SECRET));

      expect(result.ok).toBe(false);
      const body = JSON.parse(received.body) as Record<string, unknown>;
      expect(body.timestamp).toBe('1772330584');
      expect(body.sign).toBe(hmacBase64(`1772330584\n${SECRET}`, ''));
      expect(body).toEqual({
        timestamp: '1772330584',
        sign: body.sign,
        msg_type: 'post',
        content: {
          post: {
            zh_cn: {
              title: MESSAGE.title,
              content: [
                [{ tag: 'text', text: '您负责的任务将于 3 天后到期。' }],
                [{ tag: 'text', text: '请及时报送进展。' }],
                [{ tag: 'a', text: '查看详情', href: MESSAGE.link }],
              ],
            },
          },
        },
      });
    });

    it('sends no timestamp or sign without a secret', () => {
      const { body } = buildWebhookRequest(target(null), MESSAGE, NOW, DELIVERY_ID);
      expect(JSON.parse(body)).not.toHaveProperty('sign');
      expect(JSON.parse(body)).not.toHaveProperty('timestamp');
    });
  });

  describe('robot replies', () => {
    const robot = (kind: WebhookTarget['kind']): WebhookTarget => ({
      kind,
      url: `${base}/robot`,
      secret: SECRET,
    });

    it.each<[WebhookTarget['kind'], number, object | string, boolean, boolean]>([
      [ChannelKind.DINGTALK, 200, { errcode: 0, errmsg: 'ok' }, true, false],
      [
        ChannelKind.DINGTALK,
        200,
        { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' },
        false,
        true,
      ],
      [ChannelKind.DINGTALK, 200, { errcode: 310000, errmsg: 'keywords not in content' }, false, false],
      [ChannelKind.DINGTALK, 200, { errcode: 300001, errmsg: 'token is not exist' }, false, false],
      [ChannelKind.WECOM, 200, { errcode: 0, errmsg: 'ok' }, true, false],
      [ChannelKind.WECOM, 200, { errcode: 45009, errmsg: 'api freq out of limit' }, false, true],
      [ChannelKind.WECOM, 200, { errcode: 93000, errmsg: 'invalid webhook url' }, false, false],
      [ChannelKind.FEISHU, 200, { code: 0, msg: 'success', data: {} }, true, false],
      [ChannelKind.FEISHU, 200, { code: 11232, msg: 'frequency limited psm' }, false, true],
      [ChannelKind.FEISHU, 200, { code: 19021, msg: 'sign match fail' }, false, false],
      [ChannelKind.FEISHU, 400, { code: 9499, msg: 'Bad Request' }, false, false],
      [ChannelKind.FEISHU, 200, { errcode: 0 }, false, false],
      [ChannelKind.DINGTALK, 500, '<html>Bad Gateway</html>', false, true],
      [ChannelKind.WECOM, 429, { errcode: 0 }, false, true],
    ])('%s: HTTP %i with %j is ok %s, retryable %s', async (kind, status, payload, ok, retryable) => {
      answer = json(status, payload);

      const { result } = await deliver(robot(kind));

      expect(result).toMatchObject({ ok, retryable, statusCode: status });
      expect(result.responseBody).toBe(typeof payload === 'string' ? payload : JSON.stringify(payload));
      if (!ok) expect(result.error).toBeTruthy();
    });

    it('names the code and message of a refusal', async () => {
      answer = json(200, { errcode: 310000, errmsg: 'sign not match' });

      const { result } = await deliver(robot(ChannelKind.DINGTALK));

      expect(result.error).toBe('code 310000: sign not match');
    });
  });

  describe('failures without a reply', () => {
    const generic = (url: string): WebhookTarget => ({ kind: ChannelKind.WEBHOOK, url, secret: null });

    it('gives up after the timeout and leaves it to be retried', async () => {
      answer = () => undefined;

      const { result } = await deliver(generic(`${base}/slow`), 200);

      expect(result).toMatchObject({
        ok: false,
        statusCode: null,
        retryable: true,
        error: 'timed out after 200 ms',
      });
      expect(result.durationMs).toBeGreaterThanOrEqual(190);
      expect(result.durationMs).toBeLessThan(2000);
    });

    it('times out on a reply whose body never ends, keeping its status', async () => {
      answer = (res) => res.writeHead(200, { 'Content-Type': 'application/json' }).write('{"errcode":');

      const { result } = await deliver(generic(`${base}/trickle`), 200);

      expect(result).toMatchObject({
        ok: false,
        statusCode: 200,
        retryable: true,
        error: 'timed out after 200 ms',
      });
    });

    it('reports a refused connection as retryable', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise<void>((resolve) => closed.close(() => resolve()));

      const result = await postWebhook(
        buildWebhookRequest(generic(`http://127.0.0.1:${port}/`), MESSAGE, NOW, DELIVERY_ID),
        ChannelKind.WEBHOOK,
      );

      expect(result).toMatchObject({ ok: false, statusCode: null, retryable: true });
      expect(result.error).toContain('ECONNREFUSED');
    });

    it('reports a malformed URL as not retryable', async () => {
      const result = await postWebhook(
        buildWebhookRequest(generic('not a url'), MESSAGE, NOW, DELIVERY_ID),
        ChannelKind.WEBHOOK,
      );

      expect(result).toMatchObject({ ok: false, statusCode: null, retryable: false, error: 'invalid URL' });
    });

    it('keeps at most 2000 characters of the reply', async () => {
      answer = (res) => res.writeHead(200).end('回'.repeat(5000));

      const { result } = await deliver(generic(`${base}/long`));

      expect(result.ok).toBe(true);
      expect(result.responseBody).toBe('回'.repeat(2000));
    });
  });
});
