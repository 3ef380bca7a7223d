import { Inject, Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { DataSource, LessThan, MoreThan } from 'typeorm';
import { AuditService } from '@zhezi/audit';
import { APP_CONFIG, badInput, Clock, transactional, type Actor, type AppConfig } from '@zhezi/core';
import { badFile, cleanFileName, formatBytes } from '@zhezi/evidence';
import type { UploadedFileInput } from './decomposition.types';
import { FileUpload } from './file-upload.entity';

/** Live uploads one user may keep; older ones go when another arrives. */
const MAX_UPLOADS_PER_OWNER = 10;

/** A plan document or task table, from an upload or inline in the request. */
export interface ReceivedFile {
  fileName: string;
  data: Buffer;
}

/**
 * Files for ingestPlan / importTaskList travel over `POST /uploads` instead of inside the GraphQL request; the
 * mutation then names the upload. Expired uploads are removed whenever a new one arrives, so the table holds
 * at most what was uploaded within UPLOAD_TTL_SECONDS.
 */
@Injectable()
export class FileUploadService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async store(actor: Actor, file: { originalname: string; buffer?: Buffer }): Promise<FileUpload> {
    const fileName = cleanFileName(file.originalname);
    if (!fileName) throw badFile('文件名无效，请重新选择文件');
    if (!file.buffer) throw badFile('请选择要上传的文件');
    const now = this.clock.now();
    return transactional(this.dataSource, async (manager) => {
      await manager.delete(FileUpload, { expiresAt: LessThan(now) });
      const upload = await manager.save(
        manager.create(FileUpload, {
          ownerId: actor.userId,
          fileName,
          sizeBytes: file.buffer?.length,
          content: file.buffer,
          createdAt: now,
          expiresAt: new Date(now.getTime() + this.config.files.uploadTtlSeconds * 1000),
        }),
      );
      await manager.query(
        `DELETE FROM file_upload WHERE owner_id = $1 AND id NOT IN
           (SELECT id FROM file_upload WHERE owner_id = $1 ORDER BY created_at DESC, id LIMIT $2)`,
        [actor.userId, MAX_UPLOADS_PER_OWNER],
      );
      await this.audit.record(manager, actor, {
        action: 'upload.store',
        entityType: 'FileUpload',
        entityId: upload.id,
        after: { fileName, sizeBytes: upload.sizeBytes, expiresAt: upload.expiresAt },
      });
      return upload;
    });
  }

  /** The file a mutation names: inline (`fileName` and `content`) or an upload of the caller's own. */
  async receive(actor: Actor, file: UploadedFileInput): Promise<ReceivedFile> {
    if (file.uploadId !== undefined && file.uploadId !== null) {
      if (file.content !== undefined || file.fileName !== undefined) {
        throw badInput('file', '请只提供 uploadId，或只提供 fileName 与 content');
      }
      return this.take(actor, file.uploadId);
    }
    if (file.content === undefined || file.content === null) {
      throw badInput('file.content', '请提供文件内容（content）或先上传文件并填写 uploadId');
    }
    if (!file.fileName) throw badInput('file.fileName', '请填写文件名');
    const data = Buffer.from(file.content, 'base64');
    if (data.length > this.config.files.uploadMaxBytes) {
      throw badInput('file.content', `文件超过大小上限 ${formatBytes(this.config.files.uploadMaxBytes)}`);
    }
    return { fileName: file.fileName, data };
  }

  private async take(actor: Actor, uploadId: string): Promise<ReceivedFile> {
    const missing = () => badInput('file.uploadId', '上传的文件不存在或已过期，请重新上传');
    if (!isUUID(uploadId)) throw missing();
    // Someone else's upload answers like a missing one: ids are not a way to learn what others uploaded.
    const upload = await this.dataSource.getRepository(FileUpload).findOne({
      select: { id: true, fileName: true, content: true },
      where: { id: uploadId, ownerId: actor.userId, expiresAt: MoreThan(this.clock.now()) },
    });
    if (!upload) throw missing();
    return { fileName: upload.fileName, data: upload.content };
  }
}
