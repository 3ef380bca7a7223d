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
import { APP_CONFIG, type AppConfig } from '@zhezi/core';
import { badFile, tooLarge } from './evidence.errors';

/** The multipart field the file travels in. */
export const EVIDENCE_FIELD = 'file';

/**
 * Parses the one-file multipart body of an upload with multer, keeping the file in memory (no `storage` or
 * `dest` given), and turns multer's refusals into BAD_USER_INPUT on `file` instead of Nest's plain 4xx.
 *
 * multer stops reading at EVIDENCE_MAX_BYTES + 1 bytes, so a file just over the limit still arrives and the
 * service names the limit; anything larger is cut off here without being buffered whole. File names are read
 * as UTF-8 (multer's default is latin1, which garbles “进展说明.pdf”).
 */
@Injectable()
export class EvidenceUploadInterceptor implements NestInterceptor {
  private readonly multer: NestInterceptor;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const Multer = FileInterceptor(EVIDENCE_FIELD, {
      limits: { fileSize: config.evidenceMaxBytes + 1, files: 1, fields: 10, parts: 12 },
      defParamCharset: 'utf8',
    });
    this.multer = new Multer();
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await this.multer.intercept(context, next);
    } catch (error) {
      if (error instanceof PayloadTooLargeException) throw tooLarge(this.config.evidenceMaxBytes);
      if (error instanceof BadRequestException) {
        throw badFile(`上传格式有误：请以 multipart/form-data 的 ${EVIDENCE_FIELD} 字段上传一个文件`);
      }
      throw error;
    }
  }
}
