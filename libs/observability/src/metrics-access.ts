import { timingSafeEqual } from 'node:crypto';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Headers a reverse proxy adds: a request carrying one came from elsewhere, whatever its peer address. */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip', 'via'];

export interface ScrapeRequest {
  /** The peer address of the connection. */
  remoteAddress: string | undefined;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Who may read `/metrics`: with a token configured, whoever sends it as `Authorization: Bearer <token>`;
 * without one, only clients on this machine — the peer address is loopback and no proxy header says the request
 * was forwarded (nginx on the same machine connects from 127.0.0.1 on behalf of anyone).
 */
export function metricsAccess(token: string | null, req: ScrapeRequest): 'ok' | 'unauthorized' | 'forbidden' {
  if (!token) {
    const local = req.remoteAddress !== undefined && LOOPBACK.has(req.remoteAddress);
    return local && !PROXY_HEADERS.some((name) => req.headers[name] !== undefined) ? 'ok' : 'forbidden';
  }
  const { authorization } = req.headers;
  const sent = Buffer.from(
    typeof authorization === 'string' && authorization.startsWith('Bearer ') ? authorization.slice(7) : '',
  );
  const expected = Buffer.from(token);
  return sent.length === expected.length && timingSafeEqual(sent, expected) ? 'ok' : 'unauthorized';
}
