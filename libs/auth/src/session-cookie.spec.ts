import { loadConfig } from '@zhezi/core';
import { assertNotCrossSiteForm, cookieValue, requestToken, setSessionCookie } from './session-cookie';

describe('session cookie', () => {
  const setWith = (publicUrl: string) => {
    const calls: unknown[][] = [];
    const res = { cookie: (...args: unknown[]) => calls.push(args), clearCookie: () => undefined };
    setSessionCookie(res, 'tok', loadConfig({ PUBLIC_URL: publicUrl, JWT_TTL_SECONDS: '600' }));
    return calls[0];
  };

  it('is Secure exactly when the app is served over https, and lives as long as the token', () => {
    expect(setWith('https://zhezi.example.gov.cn')).toEqual([
      'zhezi_session',
      'tok',
      { httpOnly: true, sameSite: 'strict', path: '/', secure: true, maxAge: 600_000 },
    ]);
    expect(setWith('http://10.1.2.3:3000')[2]).toMatchObject({ secure: false });
  });

  it('prefers the bearer header to the cookie, and reads the cookie among others', () => {
    const cookie = 'a=1; zhezi_session=abc%2Edef; b=2';
    expect(cookieValue(cookie, 'zhezi_session')).toBe('abc.def');
    expect(cookieValue('zhezi_session_x=1', 'zhezi_session')).toBeNull();
    expect(requestToken({ cookie })).toEqual({ token: 'abc.def', fromCookie: true });
    expect(requestToken({ cookie, authorization: 'Bearer xyz' })).toEqual({
      token: 'xyz',
      fromCookie: false,
    });
    expect(requestToken({ authorization: 'Basic xyz' })).toBeNull();
  });

  it('lets safe methods through and wants a custom header on a cookie-authenticated state change', () => {
    expect(() => assertNotCrossSiteForm('GET', {})).not.toThrow();
    expect(() => assertNotCrossSiteForm('POST', {})).toThrow(/x-requested-with/);
    expect(() => assertNotCrossSiteForm('POST', { 'x-requested-with': 'XMLHttpRequest' })).not.toThrow();
    expect(() => assertNotCrossSiteForm('DELETE', { 'apollo-require-preflight': 'true' })).not.toThrow();
  });
});
