import { describeConnectionFailure, maskPassword } from './connection-failure';

function failure(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe('describeConnectionFailure', () => {
  it('names the server, the URL with its password masked, the reason and what to try', () => {
    const sentence = describeConnectionFailure(
      failure('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'),
      'postgres://zhezi:s3cret@127.0.0.1:5432/zhezi',
    );
    expect(sentence).toBe(
      'Cannot connect to PostgreSQL at postgres://zhezi:***@127.0.0.1:5432/zhezi: nothing is listening there ' +
        '(connection refused). Start PostgreSQL there, or set DATABASE_URL to a server that runs.',
    );
    expect(sentence).not.toContain('s3cret');
  });

  it('tells Redis from PostgreSQL by the URL', () => {
    expect(describeConnectionFailure(failure('ECONNREFUSED'), 'redis://:pw@127.0.0.1:6379')).toBe(
      'Cannot connect to Redis at redis://:***@127.0.0.1:6379: nothing is listening there (connection refused). ' +
        'Start Redis there, or set REDIS_URL to a server that runs.',
    );
    expect(
      describeConnectionFailure(new Error('WRONGPASS invalid username-password pair'), 'redis://h:1'),
    ).toMatch(/password was refused\. Check the user and password in REDIS_URL\.$/);
  });

  it('reads PostgreSQL error codes, the addresses Node tried, and causes', () => {
    const url = 'postgres://postgres@db:5432/zhezi';
    expect(describeConnectionFailure(failure('3D000'), url)).toMatch(
      /the database does not exist\. Create it/,
    );
    expect(describeConnectionFailure(failure('28P01'), url)).toMatch(/pg_hba\.conf\.$/);
    const both = new AggregateError([failure('ECONNREFUSED'), failure('ECONNREFUSED')], 'connect failed');
    expect(describeConnectionFailure(both, url)).toMatch(/connection refused/);
    expect(describeConnectionFailure(new Error('wrapped', { cause: failure('ENOTFOUND') }), url)).toMatch(
      /host name does not resolve\. Check the host and port in DATABASE_URL/,
    );
  });

  it('leaves other errors alone, so that a bug keeps its stack', () => {
    expect(
      describeConnectionFailure(new Error('relation "task" does not exist'), 'postgres://h/db'),
    ).toBeUndefined();
    expect(describeConnectionFailure('ECONNREFUSED', 'postgres://h/db')).toBeUndefined();
  });
});

describe('maskPassword', () => {
  it('hides only the password', () => {
    expect(maskPassword('postgres://u:p@h:1/d')).toBe('postgres://u:***@h:1/d');
    expect(maskPassword('postgres://u@h:1/d')).toBe('postgres://u@h:1/d');
  });
});
