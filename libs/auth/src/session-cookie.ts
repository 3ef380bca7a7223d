import { forbidden, type AppConfig, type RequestContext } from '@zhezi/core';

/** The browser's session: the same token as the bearer header, in a cookie script cannot read. */
export const SESSION_COOKIE = 'zhezi_session';

/** Headers a cross-site form or link cannot send: a cookie-authenticated state change must carry one. */
export const CSRF_HEADERS = ['x-requested-with', 'apollo-require-preflight'];

type Headers = RequestContext['req']['headers'];

export interface RequestToken {
  token: string;
  fromCookie: boolean;
}

/** One cookie's value from a Cookie header, or null. */
export function cookieValue(header: string | string[] | undefined, name: string): string | null {
  const pair = (typeof header === 'string' ? header : '')
    .split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${name}=`));
  if (!pair) return null;
  try {
    return decodeURIComponent(pair.slice(name.length + 1)) || null;
  } catch {
    return null;
  }
}

/** The bearer header when sent (an API client's choice wins), else the session cookie. */
export function requestToken(headers: Headers): RequestToken | null {
  const header = headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer ')) {
    return { token: header.slice(7), fromCookie: false };
  }
  const token = cookieValue(headers.cookie, SESSION_COOKIE);
  return token ? { token, fromCookie: true } : null;
}

/**
 * SameSite=Strict keeps the cookie off cross-site requests; a plain HTML form on a same-site page (another app on
 * a sibling host) could still post, so a cookie-authenticated REST state change must also bring a header such
 * a form cannot set. GraphQL has Apollo's own CSRF prevention for the same.
 */
export function assertNotCrossSiteForm(method: string, headers: Headers): void {
  if (['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase())) return;
  if (CSRF_HEADERS.some((name) => headers[name])) return;
  throw forbidden(`使用登录 Cookie 提交时须带请求头 ${CSRF_HEADERS.join(' 或 ')}（防跨站请求伪造）`);
}

type CookieResponse = RequestContext['res'];

/**
 * Secure when the app is served over https (PUBLIC_URL, which production behind TLS sets): on a plain-http
 * intranet a Secure cookie would never come back.
 */
function cookieOptions(config: AppConfig) {
  return {
    httpOnly: true,
    sameSite: 'strict' as const,
    path: '/',
    secure: config.publicUrl.startsWith('https://'),
  };
}

export function setSessionCookie(res: CookieResponse, token: string, config: AppConfig): void {
  res?.cookie(SESSION_COOKIE, token, { ...cookieOptions(config), maxAge: config.jwtTtlSeconds * 1000 });
}

export function clearSessionCookie(res: CookieResponse, config: AppConfig): void {
  res?.clearCookie(SESSION_COOKIE, cookieOptions(config));
}
