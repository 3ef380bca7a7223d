export enum ChannelKind {
  EMAIL = 'EMAIL',
  WEBHOOK = 'WEBHOOK',
  DINGTALK = 'DINGTALK',
  WECOM = 'WECOM',
  FEISHU = 'FEISHU',
}

/** What every channel delivers: Chinese text for people, and where to look it up. */
export interface OutgoingMessage {
  title: string;
  text: string;
  /** Absolute URL into the app, or null when there is nothing to open. */
  link: string | null;
}

/**
 * The outcome of one delivery attempt; delivery functions never throw.
 * `retryable` false sends the delivery straight to the dead-letter state: retrying would fail the same way
 * (a 4xx, a rejected recipient, a wrong signature or keyword).
 */
export interface DeliveryResult {
  ok: boolean;
  /** HTTP status, or the SMTP reply code; null when no reply came. */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  retryable: boolean;
  /** The reply, truncated, kept for the delivery log. */
  responseBody?: string;
}

export const RESPONSE_BODY_LIMIT = 2000;

export const truncateResponse = (body: string): string => body.slice(0, RESPONSE_BODY_LIMIT);
