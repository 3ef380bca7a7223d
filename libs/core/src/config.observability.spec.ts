import { ConfigError, loadConfig } from './config';

describe('loadConfig: observability', () => {
  it('keeps tests quiet and servers talking, unless LOG_LEVEL says otherwise', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).observability.logLevel).toBe('silent');
    expect(loadConfig({}).observability.logLevel).toBe('info');
    expect(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'debug' }).observability.logLevel).toBe('debug');
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(ConfigError);
  });

  it('serves the worker probes on 9464 and metrics to loopback unless a token is set', () => {
    expect(loadConfig({}).observability).toMatchObject({ workerHttpPort: 9464, metricsToken: null });
    expect(loadConfig({ WORKER_HTTP_PORT: '9100', METRICS_TOKEN: 's3cret' }).observability).toMatchObject({
      workerHttpPort: 9100,
      metricsToken: 's3cret',
    });
  });
});
