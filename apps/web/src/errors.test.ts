import { CombinedGraphQLErrors, ServerError } from '@apollo/client';
import { describe, expect, it } from 'vitest';
import { classifyError, CONFLICT_MESSAGE, NETWORK_MESSAGE } from './errors';

function graphQLError(code: string, message = '出错了', field?: string) {
  return new CombinedGraphQLErrors({ errors: [{ message, extensions: { code, ...(field && { field }) } }] });
}

describe('classifyError', () => {
  it('puts BAD_USER_INPUT with a field on that field, in the API’s words', () => {
    expect(classifyError(graphQLError('BAD_USER_INPUT', '进度须在 0–100 之间', 'percent'))).toEqual({
      kind: 'field',
      field: 'percent',
      message: '进度须在 0–100 之间',
    });
  });

  it('shows BAD_USER_INPUT without a field as a message', () => {
    expect(classifyError(graphQLError('BAD_USER_INPUT', '参数有误'))).toEqual({
      kind: 'other',
      message: '参数有误',
    });
  });

  it('says 已被他人修改 on CONFLICT', () => {
    expect(classifyError(graphQLError('CONFLICT', 'version mismatch'))).toEqual({
      kind: 'conflict',
      message: CONFLICT_MESSAGE,
    });
    expect(CONFLICT_MESSAGE).toContain('已被他人修改');
  });

  it('maps FORBIDDEN to the page and UNAUTHENTICATED to sign-in', () => {
    expect(classifyError(graphQLError('FORBIDDEN', '无权操作')).kind).toBe('forbidden');
    expect(classifyError(graphQLError('UNAUTHENTICATED', '请先登录')).kind).toBe('unauthenticated');
  });

  it('treats no answer and a gateway error as network loss, other HTTP errors not', () => {
    expect(classifyError(new TypeError('Failed to fetch'))).toEqual({
      kind: 'network',
      message: NETWORK_MESSAGE,
    });
    const response = (status: number) => new Response('', { status });
    expect(
      classifyError(new ServerError('bad gateway', { response: response(502), bodyText: '' })).kind,
    ).toBe('network');
    expect(classifyError(new ServerError('teapot', { response: response(418), bodyText: '' })).kind).toBe(
      'other',
    );
  });
});
