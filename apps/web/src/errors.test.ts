import { CombinedGraphQLErrors, ServerError } from '@apollo/client';
import { describe, expect, it } from 'vitest';
import { classifyError, CONFLICT_MESSAGE, fieldPath, NETWORK_MESSAGE } from './errors';

function graphQLError(code: string, message = '出错了', field?: string, reason?: string) {
  return new CombinedGraphQLErrors({
    errors: [{ message, extensions: { code, ...(field && { field }), ...(reason && { reason }) } }],
  });
}

describe('classifyError', () => {
  it('puts BAD_USER_INPUT with a field on that field, in the API’s words', () => {
    expect(classifyError(graphQLError('BAD_USER_INPUT', '进度须在 0–100 之间', 'percent'))).toEqual({
      kind: 'field',
      field: 'percent',
      message: '进度须在 0–100 之间',
    });
  });

  it('drops the validator’s path from a message shown on its field', () => {
    expect(
      classifyError(
        graphQLError(
          'BAD_USER_INPUT',
          '输入有误（levels.0.offsetWorkdays）：须为整数',
          'levels.0.offsetWorkdays',
        ),
      ),
    ).toMatchObject({ kind: 'field', message: '须为整数' });
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

  it('puts a CONFLICT about a value on its field, and one about a rule of the data in the API’s words', () => {
    expect(classifyError(graphQLError('CONFLICT', '名称已被使用', 'name', 'NAME_TAKEN'))).toEqual({
      kind: 'field',
      field: 'name',
      message: '名称已被使用',
    });
    expect(
      classifyError(graphQLError('CONFLICT', '仍有未办结事项', undefined, 'UNIT_HAS_OPEN_WORK')),
    ).toEqual({
      kind: 'other',
      message: '仍有未办结事项',
    });
  });

  it('reads an API field path as a form name path', () => {
    expect(fieldPath('levels.0.offsetWorkdays')).toEqual(['levels', 0, 'offsetWorkdays']);
    expect(fieldPath('password')).toEqual(['password']);
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
