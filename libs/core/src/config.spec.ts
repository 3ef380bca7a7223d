import {
  ConfigError,
  DEFAULT_EVIDENCE_MAX_BYTES,
  DEFAULT_JWT_SECRET,
  DEFAULT_QUERY_LIMITS,
  DEFAULT_REQUEST_LIMITS,
  loadConfig,
  startupWarnings,
} from './config';

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

  it('limits GraphQL queries to 10 levels and a cost of 5000 unless told otherwise', () => {
    expect(loadConfig({}).queryLimits).toEqual({ maxDepth: 10, maxComplexity: 5000 });
    expect(DEFAULT_QUERY_LIMITS).toEqual({ maxDepth: 10, maxComplexity: 5000 });
    expect(loadConfig({ GRAPHQL_MAX_DEPTH: '6', GRAPHQL_MAX_COMPLEXITY: '800' }).queryLimits).toEqual({
      maxDepth: 6,
      maxComplexity: 800,
    });
    expect(() => loadConfig({ GRAPHQL_MAX_DEPTH: '0' })).toThrow(/GRAPHQL_MAX_DEPTH/);
    expect(() => loadConfig({ GRAPHQL_MAX_COMPLEXITY: '0' })).toThrow(/GRAPHQL_MAX_COMPLEXITY/);
    expect(() => loadConfig({ GRAPHQL_MAX_COMPLEXITY: 'lots' })).toThrow(/GRAPHQL_MAX_COMPLEXITY/);
  });

  it('bounds what a GraphQL request may bring before validation, each limit configurable', () => {
    expect(loadConfig({}).requestLimits).toEqual(DEFAULT_REQUEST_LIMITS);
    expect(DEFAULT_REQUEST_LIMITS).toEqual({
      maxLength: 100_000,
      maxTokens: 5_000,
      maxFields: 500,
      maxRepeatedFields: 20,
      maxVariableValues: 50_000,
    });
    expect(
      loadConfig({
        GRAPHQL_MAX_QUERY_LENGTH: '2000',
        GRAPHQL_MAX_TOKENS: '300',
        GRAPHQL_MAX_FIELDS: '50',
        GRAPHQL_MAX_REPEATED_FIELDS: '3',
        GRAPHQL_MAX_VARIABLE_VALUES: '10',
      }).requestLimits,
    ).toEqual({
      maxLength: 2000,
      maxTokens: 300,
      maxFields: 50,
      maxRepeatedFields: 3,
      maxVariableValues: 10,
    });
    for (const name of [
      'GRAPHQL_MAX_QUERY_LENGTH',
      'GRAPHQL_MAX_TOKENS',
      'GRAPHQL_MAX_FIELDS',
      'GRAPHQL_MAX_REPEATED_FIELDS',
      'GRAPHQL_MAX_VARIABLE_VALUES',
    ]) {
      expect(() => loadConfig({ [name]: '0' })).toThrow(name);
      expect(() => loadConfig({ [name]: 'many' })).toThrow(name);
    }
  });

  it('listens on loopback only unless HOST names an interface', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'development', HOST: '' }).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it('trusts no proxy unless TRUST_PROXY lists addresses, CIDRs or named ranges, and refuses anything else', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: ' ' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8 , 192.168.1.5' }).trustProxy).toBe(
      'loopback,10.0.0.0/8,fd00::/8,192.168.1.5',
    );
    for (const bad of [
      'true',
      '1',
      'proxy.local',
      '10.0.0.0/33',
      'fd00::/129',
      '10.0.0.0/8/1',
      '10.0.0.0/x',
    ]) {
      expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY/);
    }
  });

  it('warns at start whenever the public development secret signs tokens', () => {
    for (const env of [{}, { NODE_ENV: 'development' }, { NODE_ENV: 'test' }]) {
      expect(startupWarnings(loadConfig(env))).toEqual([expect.stringContaining('JWT_SECRET is not set')]);
    }
    expect(startupWarnings(loadConfig({ JWT_SECRET: 'a-local-secret' }))).toEqual([]);
  });

  it('weighs the assessment score 0.5 / 0.3 / 0.2 unless told otherwise', () => {
    expect(loadConfig({}).boards.scoreWeights).toEqual({ onTime: 0.5, overdue: 0.3, reports: 0.2 });
    expect(loadConfig({ BOARD_SCORE_WEIGHTS: '1, 0, 1' }).boards.scoreWeights).toEqual({
      onTime: 1,
      overdue: 0,
      reports: 1,
    });
    for (const bad of ['0,0,0', '1,2', '1,-1,1', 'a,b,c'])
      expect(() => loadConfig({ BOARD_SCORE_WEIGHTS: bad })).toThrow(/BOARD_SCORE_WEIGHTS/);
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

describe('database timeouts', () => {
  it('bound the API in seconds and the worker in minutes unless told otherwise', () => {
    expect(loadConfig({}).databaseTimeouts).toEqual({
      api: { statementMs: 15_000, lockMs: 5_000, idleInTransactionMs: 60_000, acquireMs: 5_000 },
      worker: { statementMs: 600_000, lockMs: 60_000, idleInTransactionMs: 60_000, acquireMs: 60_000 },
    });
    expect(
      loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '2000', DATABASE_ACQUIRE_TIMEOUT_MS: '0' }).databaseTimeouts
        .api,
    ).toMatchObject({ statementMs: 2000, acquireMs: 0 });
    expect(() => loadConfig({ DATABASE_LOCK_TIMEOUT_MS: '5s' })).toThrow(/DATABASE_LOCK_TIMEOUT_MS/);
  });
});
