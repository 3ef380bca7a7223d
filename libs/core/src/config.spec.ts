import { ConfigError, DEFAULT_EVIDENCE_MAX_BYTES, DEFAULT_JWT_SECRET, loadConfig } from './config';

describe('loadConfig', () => {
  it('has working defaults for development', () => {
    expect(loadConfig({})).toMatchObject({ env: 'development', port: 3000, jwtSecret: DEFAULT_JWT_SECRET });
  });

  it('stores evidence under .data/evidence, up to 20 MB, unless told otherwise', () => {
    expect(loadConfig({})).toMatchObject({
      evidenceDir: '.data/evidence',
      evidenceMaxBytes: 20 * 1024 * 1024,
    });
    expect(DEFAULT_EVIDENCE_MAX_BYTES).toBe(20 * 1024 * 1024);
    expect(loadConfig({ EVIDENCE_DIR: '/srv/zhezi/evidence', EVIDENCE_MAX_BYTES: '1048576' })).toMatchObject({
      evidenceDir: '/srv/zhezi/evidence',
      evidenceMaxBytes: 1048576,
    });
    expect(() => loadConfig({ EVIDENCE_MAX_BYTES: '0' })).toThrow(/EVIDENCE_MAX_BYTES/);
    expect(() => loadConfig({ EVIDENCE_MAX_BYTES: String(2 ** 31) })).toThrow(/EVIDENCE_MAX_BYTES/);
    expect(() => loadConfig({ EVIDENCE_MAX_BYTES: '20MB' })).toThrow(/EVIDENCE_MAX_BYTES/);
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
