import { metricsAccess } from './metrics-access';

describe('metricsAccess', () => {
  it('without a token, lets only loopback clients scrape', () => {
    expect(metricsAccess(null, { remoteAddress: '127.0.0.1', headers: {} })).toBe('ok');
    expect(metricsAccess(null, { remoteAddress: '::1', headers: {} })).toBe('ok');
    expect(metricsAccess(null, { remoteAddress: '::ffff:127.0.0.1', headers: {} })).toBe('ok');
    expect(metricsAccess(null, { remoteAddress: '10.0.0.7', headers: {} })).toBe('forbidden');
    expect(
      metricsAccess(null, {
        remoteAddress: '::ffff:172.18.0.3',
        headers: { authorization: 'Bearer anything' },
      }),
    ).toBe('forbidden');
    expect(metricsAccess(null, { remoteAddress: undefined, headers: {} })).toBe('forbidden');
  });

  it('without a token, refuses a loopback connection that a reverse proxy forwarded', () => {
    for (const header of ['forwarded', 'x-forwarded-for', 'x-real-ip', 'via']) {
      expect(metricsAccess(null, { remoteAddress: '127.0.0.1', headers: { [header]: '203.0.113.9' } })).toBe(
        'forbidden',
      );
    }
  });

  it('with a token, wants it as a bearer token from anywhere, loopback included', () => {
    const token = 'a-long-metrics-token';
    expect(
      metricsAccess(token, { remoteAddress: '10.0.0.7', headers: { authorization: `Bearer ${token}` } }),
    ).toBe('ok');
    expect(metricsAccess(token, { remoteAddress: '127.0.0.1', headers: {} })).toBe('unauthorized');
    expect(metricsAccess(token, { remoteAddress: '10.0.0.7', headers: { authorization: token } })).toBe(
      'unauthorized',
    );
    expect(
      metricsAccess(token, {
        remoteAddress: '10.0.0.7',
        headers: { authorization: 'Bearer a-long-metrics-toke' },
      }),
    ).toBe('unauthorized');
    expect(
      metricsAccess(token, { remoteAddress: '10.0.0.7', headers: { authorization: `Bearer ${token}x` } }),
    ).toBe('unauthorized');
  });
});
