import {
  BadRequestException,
  Inject,
  Injectable,
  mixin,
  PayloadTooLargeException,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  type Type,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Observable } from 'rxjs';
import { APP_CONFIG, type AppConfig, type AppError } from '@zhezi/core';
import { badFile } from './evidence.errors';

/** The multipart field a file travels in, on every upload route. */
export const FILE_FIELD = 'file';

export interface SingleFileOptions {
  /** Bytes multer reads before it stops and refuses the body. */
  readLimit: (config: AppConfig) => number;
  /** The error for a body cut off at that limit. */
  tooLarge: (config: AppConfig) => AppError;
}

/**
 * An interceptor class that parses a one-file multipart body with multer, keeping the file in memory (no
 * `storage` or `dest` given), and turns multer's refusals into coded errors on `file` instead of Nest's plain
 * 4xx. File names are read as UTF-8 (multer's default is latin1, which garbles “进展说明.pdf”). Used after the
 * auth guard, so only a signed-in user with the route's role can make the API read that much.
 */
export function SingleFileInterceptor(options: SingleFileOptions): Type<NestInterceptor> {
  @Injectable()
  class SingleFileMixin implements NestInterceptor {
    private readonly multer: NestInterceptor;

    constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
      const Multer = FileInterceptor(FILE_FIELD, {
        limits: { fileSize: options.readLimit(config), files: 1, fields: 10, parts: 12 },
        defParamCharset: 'utf8',
      });
      this.multer = new Multer();
    }

    async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
      try {
        return await this.multer.intercept(context, next);
      } catch (error) {
        if (error instanceof PayloadTooLargeException) throw options.tooLarge(this.config);
        if (error instanceof BadRequestException) {
          throw badFile(`上传格式有误：请以 multipart/form-data 的 ${FILE_FIELD} 字段上传一个文件`);
        }
        throw error;
      }
    }
  }
  return mixin(SingleFileMixin);
}
