import { QueryFailedError } from 'typeorm';
import { dataSourceOptions, isDatabaseUnavailable } from './database';

const pgError = (code: string) => Object.assign(new Error('pg'), { code });

describe('isDatabaseUnavailable', () => {
  it('recognises timeouts, a server going away and a pool that gives no connection', () => {
    for (const code of ['57014', '55P03', '57P01', '57P03', '53300', '08006', 'ECONNREFUSED']) {
      expect(isDatabaseUnavailable(new QueryFailedError('SELECT 1', [], pgError(code)))).toBe(true);
    }
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it('leaves bugs and the caller’s mistakes alone', () => {
    for (const code of ['22P02', '23505', '42703']) {
      expect(isDatabaseUnavailable(new QueryFailedError('SELECT 1', [], pgError(code)))).toBe(false);
    }
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});

describe('dataSourceOptions', () => {
  it('passes the timeouts to pg, and none by default (migrations)', () => {
    const timeouts = { statementMs: 15000, lockMs: 5000, idleInTransactionMs: 60000, acquireMs: 5000 };
    expect(dataSourceOptions('postgres://x/y', 500, 20, timeouts).extra).toMatchObject({
      max: 20,
      statement_timeout: 15000,
      lock_timeout: 5000,
      idle_in_transaction_session_timeout: 60000,
      connectionTimeoutMillis: 5000,
    });
    expect(dataSourceOptions('postgres://x/y').extra).toMatchObject({
      statement_timeout: 0,
      lock_timeout: 0,
      connectionTimeoutMillis: 0,
    });
  });

  it('starts no parallel workers when told (the API), and leaves them to the server otherwise', () => {
    expect(dataSourceOptions('postgres://x/y', 500, 20, undefined, false).extra).toMatchObject({
      options: '-c timezone=UTC -c max_parallel_workers_per_gather=0',
    });
    expect(dataSourceOptions('postgres://x/y').extra).toMatchObject({ options: '-c timezone=UTC' });
  });
});
