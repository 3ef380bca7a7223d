import {
  Controller,
  Get,
  Header,
  Param,
  Post,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { isUUID } from 'class-validator';
import { badInput, contentDisposition, HttpActor, type Actor } from '@zhezi/core';
import { evidenceJson, type EvidenceJson } from './evidence.entity';
import { badFile } from './evidence.errors';
import { EvidenceService, type UploadedEvidenceFile } from './evidence.service';
import { EvidenceUploadInterceptor } from './evidence.upload.interceptor';
import { FILE_FIELD } from './single-file.interceptor';

function requireId(field: string, value: string): string {
  if (!isUUID(value)) throw badInput(field, `${field} 不是有效的 ID`);
  return value;
}

/**
 * Files travel over plain HTTP rather than GraphQL: `POST /assignments/:assignmentId/evidence` (multipart,
 * field `file`) stores one and answers with its record; `GET /evidence/:id` sends it back. Both need the
 * bearer token; errors are JSON `{ message, extensions: { code, field? } }` with the matching status.
 */
@Controller()
export class EvidenceController {
  constructor(private readonly evidence: EvidenceService) {}

  @Post('assignments/:assignmentId/evidence')
  @UseInterceptors(EvidenceUploadInterceptor)
  async upload(
    @HttpActor() actor: Actor,
    @Param('assignmentId') assignmentId: string,
    @UploadedFile() file: UploadedEvidenceFile | undefined,
  ): Promise<EvidenceJson> {
    requireId('assignmentId', assignmentId);
    if (!file) throw badFile(`请选择要上传的文件（表单字段 ${FILE_FIELD}）`);
    return evidenceJson(await this.evidence.upload(actor, assignmentId, file));
  }

  @Get('evidence/:id')
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'private, no-store')
  async download(@HttpActor() actor: Actor, @Param('id') id: string): Promise<StreamableFile> {
    const { evidence, stream } = await this.evidence.download(actor, requireId('id', id));
    return new StreamableFile(stream, {
      type: evidence.mimeType,
      length: evidence.sizeBytes,
      disposition: contentDisposition(evidence.fileName),
    });
  }
}
