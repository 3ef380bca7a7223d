import { metricsAccess } from './metrics-access';

describe('metricsAccess', () => {
  it('without a token, lets only loopback clients scrape', () => {
    expect(metricsAccess(null, '127.0.0.1', undefined)).toBe('ok');
    expect(metricsAccess(null, '::1', undefined)).toBe('ok');
    expect(metricsAccess(null, '::ffff:127.0.0.1', undefined)).toBe('ok');
    expect(metricsAccess(null, '10.0.0.7', undefined)).toBe('forbidden');
    expect(metricsAccess(null, '::ffff:172.18.0.3', 'Bearer anything')).toBe('forbidden');
    expect(metricsAccess(null, undefined, undefined)).toBe('forbidden');
  });

  it('with a token, wants it as a bearer token from anywhere, loopback included', () => {
    const token = 'a-long-metrics-token';
    expect(metricsAccess(token, '10.0.0.7', `Bearer ${token}`)).toBe('ok');
    expect(metricsAccess(token, '127.0.0.1', undefined)).toBe('unauthorized');
    expect(metricsAccess(token, '10.0.0.7', token)).toBe('unauthorized');
    expect(metricsAccess(token, '10.0.0.7', 'Bearer a-long-metrics-toke')).toBe('unauthorized');
    expect(metricsAccess(token, '10.0.0.7', `Bearer ${token}x`)).toBe('unauthorized');
  });
});
