import { timingSafeEqual } from 'node:crypto';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Who may read `/metrics`: with a token configured, whoever sends it as `Authorization: Bearer <token>`;
 * without one, only clients on this machine (the peer address of the connection, never a forwarded header).
 */
export function metricsAccess(
  token: string | null,
  remoteAddress: string | undefined,
  authorization: string | undefined,
): 'ok' | 'unauthorized' | 'forbidden' {
  if (!token) return remoteAddress && LOOPBACK.has(remoteAddress) ? 'ok' : 'forbidden';
  const sent = Buffer.from(authorization?.startsWith('Bearer ') ? authorization.slice(7) : '');
  const expected = Buffer.from(token);
  return sent.length === expected.length && timingSafeEqual(sent, expected) ? 'ok' : 'unauthorized';
}
