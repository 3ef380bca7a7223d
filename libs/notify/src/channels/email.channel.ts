import { createTransport } from 'nodemailer';
import type { SmtpConfig } from '@zhezi/core';
import { type DeliveryResult, type OutgoingMessage, truncateResponse } from './channel.types';

/** The SMTP settings of the app's config (SMTP_HOST, SMTP_PORT, SMTP_SECURE, SMTP_USER, SMTP_PASSWORD, SMTP_FROM). */
export type SmtpSettings = SmtpConfig;

export interface SmtpTimeouts {
  connectionTimeoutMs: number;
  greetingTimeoutMs: number;
  socketTimeoutMs: number;
}

export interface Mailer {
  send(to: string, message: OutgoingMessage): Promise<DeliveryResult>;
  close(): void;
}

// Nodemailer's defaults (2 and 10 minutes) would hold a queue worker far longer than a retry costs.
const DEFAULT_TIMEOUTS: SmtpTimeouts = {
  connectionTimeoutMs: 10_000,
  greetingTimeoutMs: 10_000,
  socketTimeoutMs: 10_000,
};

/** Nodemailer error codes for a connection that failed or dropped: the message itself was not refused. */
const RETRYABLE_ERROR_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'EPROXY']);

/** The fields nodemailer sets on the errors it hands back. */
interface SmtpError {
  message: string;
  code?: string;
  responseCode?: number;
}

export function createMailer(settings: SmtpSettings, timeouts: Partial<SmtpTimeouts> = {}): Mailer {
  const { connectionTimeoutMs, greetingTimeoutMs, socketTimeoutMs } = { ...DEFAULT_TIMEOUTS, ...timeouts };
  const transport = createTransport({
    pool: true,
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: settings.user ? { user: settings.user, pass: settings.password ?? '' } : undefined,
    connectionTimeout: connectionTimeoutMs,
    greetingTimeout: greetingTimeoutMs,
    socketTimeout: socketTimeoutMs,
    // One retry covers a pooled connection the server had closed; anything more is the queue's backoff.
    maxRequeues: 1,
  });

  return {
    async send(to, message) {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      try {
        const info = await transport.sendMail({
          from: settings.from,
          to,
          subject: message.title,
          text: plainBody(message),
          html: htmlBody(message),
        });
        return {
          ok: true,
          statusCode: replyCode(info.response),
          error: null,
          durationMs: elapsed(),
          retryable: false,
          responseBody: truncateResponse(info.response),
        };
      } catch (caught) {
        const err = asSmtpError(caught);
        return {
          ok: false,
          statusCode: err.responseCode ?? null,
          error: err.message,
          durationMs: elapsed(),
          // RFC 5321: a 4yz reply is transient, a 5yz one permanent.
          retryable:
            err.responseCode !== undefined
              ? err.responseCode < 500
              : err.code !== undefined && RETRYABLE_ERROR_CODES.has(err.code),
        };
      }
    },
    close() {
      transport.close();
    },
  };
}

function plainBody({ text, link }: OutgoingMessage): string {
  return link ? `${text}\n\n查看详情：${link}` : text;
}

function htmlBody({ title, text, link }: OutgoingMessage): string {
  const paragraphs = escapeHtml(text).replace(/\r?\n/g, '<br>');
  const linkLine = link ? `<p>查看详情：<a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>` : '';
  return (
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
    `<body><h2>${escapeHtml(title)}</h2><p>${paragraphs}</p>${linkLine}</body></html>`
  );
}

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);

function replyCode(response: string): number | null {
  const code = /^\d{3}/.exec(response);
  return code ? Number(code[0]) : null;
}

// Duck-typed, not `instanceof Error`: socket errors can come from another realm (as under Jest).
function asSmtpError(caught: unknown): SmtpError {
  if (typeof caught !== 'object' || caught === null) return { message: String(caught) };
  const { message, code, responseCode } = caught as Record<string, unknown>;
  return {
    message: typeof message === 'string' ? message : 'unknown error',
    code: typeof code === 'string' ? code : undefined,
    responseCode: typeof responseCode === 'number' ? responseCode : undefined,
  };
}
