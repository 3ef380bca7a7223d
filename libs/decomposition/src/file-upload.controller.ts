import { Controller, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ASSIGNERS, HttpActor, Roles, type Actor } from '@zhezi/core';
import { badFile, FILE_FIELD } from '@zhezi/evidence';
import type { FileUploadJson } from './file-upload.entity';
import { FileUploadInterceptor } from './file-upload.interceptor';
import { FileUploadService } from './file-upload.service';

/**
 * `POST /uploads` (bearer token, multipart field `file`): a plan document or task table for ingestPlan /
 * importTaskList, which then take `file: { uploadId }`. Only those who may call them may upload.
 */
@Controller()
export class FileUploadController {
  constructor(private readonly uploads: FileUploadService) {}

  @Roles(...ASSIGNERS)
  @Post('uploads')
  @UseInterceptors(FileUploadInterceptor)
  async upload(
    @HttpActor() actor: Actor,
    @UploadedFile() file: { originalname: string; buffer?: Buffer } | undefined,
  ): Promise<FileUploadJson> {
    if (!file) throw badFile(`请选择要上传的文件（表单字段 ${FILE_FIELD}）`);
    const upload = await this.uploads.store(actor, file);
    return { id: upload.id, fileName: upload.fileName, size: upload.sizeBytes };
  }
}
