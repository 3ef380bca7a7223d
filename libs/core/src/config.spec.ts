import { ConfigError, DEFAULT_JWT_SECRET, loadConfig } from './config';

describe('loadConfig', () => {
  it('has working defaults for development', () => {
    expect(loadConfig({})).toMatchObject({ env: 'development', port: 3000, jwtSecret: DEFAULT_JWT_SECRET });
  });

  it('refuses to start in production with the default or a short secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).env).toBe('production');
  });

  it('rejects malformed numbers and environments', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ NODE_ENV: 'staging' })).toThrow(/NODE_ENV/);
  });
});
