import { GraphQLError } from 'graphql';

export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  CONFLICT = 'CONFLICT',
  /** A request body, an upload or what a file expands to is beyond the configured limits. */
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  /** PostgreSQL is unreachable, overloaded or timed out: nothing was wrong with the request; retry later. */
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  /** The user signs in with a temporary password: only changePassword, viewer and signOutEverywhere answer. */
  PASSWORD_CHANGE_REQUIRED = 'PASSWORD_CHANGE_REQUIRED',
}

/** An expected failure: its message is shown to the user, its code tells clients what happened. */
export class AppError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, { extensions: { code, ...details } });
  }
}

export const unauthenticated = (message = '请先登录') => new AppError(ErrorCode.UNAUTHENTICATED, message);

export const forbidden = (message = '无权执行此操作') => new AppError(ErrorCode.FORBIDDEN, message);

export const notFound = (entity: string, id: string) =>
  new AppError(ErrorCode.NOT_FOUND, `${entity}不存在：${id}`, { entity, id });

export const badInput = (field: string, message: string) =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, { field });

export const conflict = (message: string, details: Record<string, unknown> = {}) =>
  new AppError(ErrorCode.CONFLICT, message, details);
