import { createHmac, timingSafeEqual } from 'node:crypto';
import { ChannelKind, type DeliveryResult, type OutgoingMessage, truncateResponse } from './channel.types';

export interface WebhookTarget {
  kind: Exclude<ChannelKind, ChannelKind.EMAIL>;
  url: string;
  /** Signing secret; WeCom robots have none (the key in the URL is the credential), so it is ignored there. */
  secret: string | null;
}

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

const LINK_LABEL = '查看详情';

type RobotKind = Exclude<WebhookTarget['kind'], ChannelKind.WEBHOOK>;

/**
 * Robot error codes worth retrying: rate limits and "system busy". Every other code (signature, keyword,
 * IP allow-list, malformed message, revoked robot) fails the same way again.
 */
const RETRYABLE_ROBOT_CODES: Record<RobotKind, ReadonlySet<number>> = {
  // 130101: sending too fast; -1: system busy.
  [ChannelKind.DINGTALK]: new Set([130101, -1]),
  // 45009: API call frequency limit; -1: system busy.
  [ChannelKind.WECOM]: new Set([45009, -1]),
  // 11232: frequency limited.
  [ChannelKind.FEISHU]: new Set([11232]),
};

export function buildWebhookRequest(
  target: WebhookTarget,
  message: OutgoingMessage,
  now: Date,
  deliveryId: string,
): WebhookRequest {
  switch (target.kind) {
    case ChannelKind.WEBHOOK:
      return genericRequest(target, message, now, deliveryId);
    case ChannelKind.DINGTALK:
      return dingTalkRequest(target, message, now);
    case ChannelKind.WECOM:
      return jsonRequest(target.url, { msgtype: 'markdown', markdown: { content: markdown(message, '\n') } });
    case ChannelKind.FEISHU:
      return feishuRequest(target, message, now);
  }
}

/**
 * Generic webhook: the body as JSON, signed as `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`
 * with the unix-seconds timestamp from `X-Zhezi-Timestamp`, so a receiver can reject replays.
 */
function genericRequest(
  target: WebhookTarget,
  { title, text, link }: OutgoingMessage,
  now: Date,
  deliveryId: string,
): WebhookRequest {
  const body = JSON.stringify({ id: deliveryId, title, text, link, sentAt: now.toISOString() });
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'X-Zhezi-Delivery': deliveryId,
    'X-Zhezi-Timestamp': timestamp,
  };
  if (target.secret) headers['X-Zhezi-Signature'] = webhookSignature(target.secret, timestamp, body);
  return { url: target.url, headers, body };
}

const webhookSignature = (secret: string, timestamp: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

/** For receivers of the generic webhook: checks `X-Zhezi-Signature` in constant time. */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string,
  body: string,
  signatureHeader: string,
): boolean {
  const expected = Buffer.from(webhookSignature(secret, timestamp, body));
  const actual = Buffer.from(signatureHeader);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * DingTalk custom robot. Signing ("加签"): timestamp in milliseconds,
 * sign = base64(HMAC-SHA256(key = secret, message = "<timestamp>\n<secret>")), URL-encoded into the query.
 */
function dingTalkRequest(target: WebhookTarget, message: OutgoingMessage, now: Date): WebhookRequest {
  let url = target.url;
  if (target.secret) {
    const timestamp = String(now.getTime());
    const sign = createHmac('sha256', target.secret)
      .update(`${timestamp}\n${target.secret}`)
      .digest('base64');
    url = appendQuery(url, `timestamp=${timestamp}&sign=${encodeURIComponent(sign)}`);
  }
  // DingTalk renders a single newline unreliably in markdown; a blank line always breaks.
  return jsonRequest(url, {
    msgtype: 'markdown',
    markdown: { title: message.title, text: markdown(message, '\n\n') },
  });
}

type FeishuElement = { tag: 'text'; text: string } | { tag: 'a'; text: string; href: string };

/**
 * Feishu custom bot, as a rich-text `post` with a zh_cn title, one paragraph per line and an `a` tag for the
 * link. Signing ("签名校验"): timestamp in seconds, sign = base64(HMAC-SHA256(key = "<timestamp>\n<secret>",
 * message = "")), both in the body.
 */
function feishuRequest(
  target: WebhookTarget,
  { title, text, link }: OutgoingMessage,
  now: Date,
): WebhookRequest {
  const content: FeishuElement[][] = text.split(/\r?\n/).map((line) => [{ tag: 'text', text: line }]);
  if (link) content.push([{ tag: 'a', text: LINK_LABEL, href: link }]);
  const post = { msg_type: 'post', content: { post: { zh_cn: { title, content } } } };
  if (!target.secret) return jsonRequest(target.url, post);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const sign = createHmac('sha256', `${timestamp}\n${target.secret}`).update('').digest('base64');
  return jsonRequest(target.url, { timestamp, sign, ...post });
}

function markdown({ title, text, link }: OutgoingMessage, lineBreak: string): string {
  const lines = [`**${title}**`, ...text.split(/\r?\n/)];
  if (link) lines.push(`[${LINK_LABEL}](${link})`);
  return lines.join(lineBreak);
}

function appendQuery(url: string, query: string): string {
  if (!url.includes('?')) return `${url}?${query}`;
  return url.endsWith('?') || url.endsWith('&') ? `${url}${query}` : `${url}&${query}`;
}

const jsonRequest = (url: string, payload: object): WebhookRequest => ({
  url,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(payload),
});

/** Posts a built request. Never throws: every failure becomes a DeliveryResult. */
export async function postWebhook(
  request: WebhookRequest,
  kind: WebhookTarget['kind'],
  timeoutMs = 10_000,
): Promise<DeliveryResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  if (!URL.canParse(request.url)) {
    return { ok: false, statusCode: null, error: 'invalid URL', durationMs: elapsed(), retryable: false };
  }
  let statusCode: number | null = null;
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      // A redirected POST turns into a GET; a moved endpoint needs its URL fixed, not a retry.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    statusCode = response.status;
    const body = await response.text();
    return {
      ...judge(kind, response.status, body),
      statusCode,
      durationMs: elapsed(),
      responseBody: truncateResponse(body),
    };
  } catch (caught) {
    return {
      ok: false,
      statusCode,
      error: failureReason(caught, timeoutMs),
      durationMs: elapsed(),
      retryable: true,
    };
  }
}

/** HTTP status first; a robot also answers 200 for a refused message, with the reason in its JSON. */
function judge(
  kind: WebhookTarget['kind'],
  status: number,
  body: string,
): Pick<DeliveryResult, 'ok' | 'error' | 'retryable'> {
  const httpOk = status >= 200 && status < 300;
  const httpRetryable = status === 408 || status === 429 || status >= 500;
  if (kind === ChannelKind.WEBHOOK) {
    return httpOk
      ? { ok: true, error: null, retryable: false }
      : { ok: false, error: `HTTP ${status}`, retryable: httpRetryable };
  }
  const reply = robotReply(kind, body);
  if (httpOk && reply?.code === 0) return { ok: true, error: null, retryable: false };
  const codeRetryable = reply !== null && RETRYABLE_ROBOT_CODES[kind].has(reply.code);
  const http = httpOk ? null : `HTTP ${status}`;
  const detail = reply ? `code ${reply.code}: ${reply.message}` : httpOk ? 'reply has no error code' : null;
  return {
    ok: false,
    error: [http, detail].filter((part) => part !== null).join(', '),
    retryable: httpRetryable || codeRetryable,
  };
}

/** DingTalk and WeCom answer `{ errcode, errmsg }`, Feishu `{ code, msg }`. */
function robotReply(kind: RobotKind, body: string): { code: number; message: string } | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const reply = parsed as Record<string, unknown>;
  const [code, message] =
    kind === ChannelKind.FEISHU ? [reply.code, reply.msg] : [reply.errcode, reply.errmsg];
  return typeof code === 'number' ? { code, message: typeof message === 'string' ? message : '' } : null;
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  cause?: unknown;
}

// Duck-typed, not `instanceof Error`: fetch's errors can come from another realm (as under Jest).
const asErrorLike = (value: unknown): ErrorLike => (typeof value === 'object' && value !== null ? value : {});

function failureReason(caught: unknown, timeoutMs: number): string {
  const err = asErrorLike(caught);
  if (err.name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
  const message = typeof err.message === 'string' ? err.message : String(caught);
  // fetch reports "fetch failed"; the cause says why (ECONNREFUSED, ENOTFOUND, ...).
  const cause = asErrorLike(err.cause).message;
  return typeof cause === 'string' ? `${message}: ${cause}` : message;
}
