import {
  BadRequestException,
  Inject,
  Injectable,
  PayloadTooLargeException,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Observable } from 'rxjs';
import { APP_CONFIG, AppError, ErrorCode, type AppConfig } from '@zhezi/core';
import { badFile, formatBytes } from '@zhezi/evidence';

/** The multipart field the file travels in. */
export const UPLOAD_FIELD = 'file';

/**
 * Parses the one-file multipart body of `POST /uploads` with multer in memory, cut off at UPLOAD_MAX_BYTES
 * (one byte more is read to tell a file at the limit from one beyond it). Runs after the auth guard, so only a
 * signed-in leader or admin can make the API read that much.
 */
@Injectable()
export class FileUploadInterceptor implements NestInterceptor {
  private readonly multer: NestInterceptor;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const Multer = FileInterceptor(UPLOAD_FIELD, {
      limits: { fileSize: config.files.uploadMaxBytes, files: 1, fields: 10, parts: 12 },
      defParamCharset: 'utf8',
    });
    this.multer = new Multer();
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await this.multer.intercept(context, next);
    } catch (error) {
      if (error instanceof PayloadTooLargeException) {
        const max = this.config.files.uploadMaxBytes;
        throw new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `文件超过大小上限 ${formatBytes(max)}`, {
          field: 'file',
          maxBytes: max,
        });
      }
      if (error instanceof BadRequestException) {
        throw badFile(`上传格式有误：请以 multipart/form-data 的 ${UPLOAD_FIELD} 字段上传一个文件`);
      }
      throw error;
    }
  }
}
