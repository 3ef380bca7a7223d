import { Logger } from '@nestjs/common';
import { formatError } from './graphql.config';

describe('formatError', () => {
  beforeAll(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));

  it('passes expected failures through with their code and details, without a stack trace', () => {
    const formatted = formatError(
      {
        message: '输入有误',
        path: ['createTask'],
        extensions: { code: 'BAD_USER_INPUT', field: 'title', stacktrace: ['x'] },
      },
      new Error('输入有误'),
    );
    expect(formatted).toEqual({
      message: '输入有误',
      path: ['createTask'],
      extensions: { code: 'BAD_USER_INPUT', field: 'title' },
    });
  });

  it('hides the internals of anything unexpected', () => {
    const formatted = formatError(
      {
        message: 'relation "task" does not exist',
        path: ['tasks'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
      new Error('relation "task" does not exist'),
    );
    expect(formatted).toEqual({
      message: '服务器内部错误',
      path: ['tasks'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });
});
