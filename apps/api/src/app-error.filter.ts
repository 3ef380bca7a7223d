import { Catch, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { GqlExceptionFilter } from '@nestjs/graphql';
import { AppError, ErrorCode, isDatabaseUnavailable, serviceUnavailable } from '@zhezi/core';

const HTTP_STATUS: Record<ErrorCode, number> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
  [ErrorCode.PASSWORD_CHANGE_REQUIRED]: 403,
};

/**
 * Expected failures go to the client as they are, without being logged as server errors; so does an
 * unavailable database, as SERVICE_UNAVAILABLE. Everything else takes Nest's default path.
 */
@Catch()
export class AppErrorFilter extends BaseExceptionFilter implements GqlExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): AppError | void {
    const error =
      exception instanceof AppError
        ? exception
        : isDatabaseUnavailable(exception)
          ? serviceUnavailable()
          : null;
    if (host.getType<string>() === 'graphql') {
      if (error) return error;
      throw exception;
    }
    if (!error) return super.catch(exception, host);
    host
      .switchToHttp()
      .getResponse<{ status(code: number): { json(body: unknown): void } }>()
      .status(HTTP_STATUS[error.code])
      .json({ message: error.message, extensions: error.extensions });
  }
}
