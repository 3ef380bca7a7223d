import { Inject, Injectable } from '@nestjs/common';
import type DataLoader from 'dataloader';
import { open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { AccessPolicy } from '@zhezi/access';
import { AuditService } from '@zhezi/audit';
import {
  APP_CONFIG,
  Clock,
  forbidden,
  groupByKey,
  notFound,
  requestLoader,
  transactional,
  type Actor,
  type AppConfig,
  type RequestContext,
} from '@zhezi/core';
import { Evidence, EvidenceRules } from './evidence.entity';
import { badFile, tooLarge } from './evidence.errors';
import {
  ACCEPTED_EXTENSIONS,
  checkFileType,
  cleanFileName,
  extensionOf,
  SIGNATURE_BYTES,
  type EvidenceFileType,
} from './evidence.file-type';
import { EvidenceStorage } from './evidence.storage';

/** An uploaded file as multer hands it over: its bytes in memory (`buffer`) or in a file on disk (`path`). */
export interface UploadedEvidenceFile {
  originalname: string;
  /** What the client claimed; not trusted (the type is decided by name and content). */
  mimetype?: string;
  size?: number;
  buffer?: Buffer;
  path?: string;
}

interface AssignmentRow {
  id: string;
  task_id: string;
  org_unit_id: string;
  parent_unit_id: string | null;
}

/**
 * 佐证材料: files a unit uploads for its own assignment before it attaches them to a progress report
 * (submitProgress in the task library sets their `report_id`).
 */
@Injectable()
export class EvidenceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
    private readonly storage: EvidenceStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Stores a file for an assignment, by that assignment's own unit only (a department does not upload for
   * the subdistrict it split a share to, nor a leader for a unit). The file is checked by size, extension and
   * first bytes, written to disk, and then recorded with its audit event in one transaction; should that
   * fail, the file is removed again.
   */
  async upload(actor: Actor, assignmentId: string, file: UploadedEvidenceFile): Promise<Evidence> {
    const assignment = await this.assignmentOf(assignmentId);
    if (
      actor.orgUnitId !== assignment.org_unit_id ||
      !(await this.access.canSeeAssignment(actor, assignment.id))
    ) {
      throw forbidden('只有承办单位可以为本单位的分工上传佐证材料');
    }
    const { fileName, type } = await this.checkFile(file);
    const stored = await this.storage.store(file.buffer ?? (file.path as string));
    try {
      return await transactional(this.dataSource, async (manager) => {
        const evidence = await manager.save(
          manager.create(Evidence, {
            assignmentId: assignment.id,
            fileName,
            mimeType: type.mimeType,
            sizeBytes: stored.sizeBytes,
            sha256: stored.sha256,
            storageKey: stored.key,
            uploadedById: actor.userId,
            uploadedAt: this.clock.now(),
            reportId: null,
          }),
        );
        await this.audit.record(manager, actor, {
          action: 'evidence.upload',
          entityType: 'Evidence',
          entityId: evidence.id,
          taskId: assignment.task_id,
          // Like the assignment's own events: the department that split the share off sees it too.
          unitIds: assignment.parent_unit_id
            ? [assignment.org_unit_id, assignment.parent_unit_id]
            : [assignment.org_unit_id],
          after: {
            assignmentId: assignment.id,
            fileName,
            mimeType: type.mimeType,
            sizeBytes: stored.sizeBytes,
            sha256: stored.sha256,
          },
        });
        return evidence;
      });
    } catch (error) {
      await this.storage.remove(stored.key).catch(() => undefined);
      throw error;
    }
  }

  /** The limits {@link checkFile} applies, for clients to check before they upload. */
  rules(): EvidenceRules {
    return { maxBytes: this.config.evidenceMaxBytes, extensions: [...ACCEPTED_EXTENSIONS] };
  }

  /** A file and its bytes, for whoever may see its assignment. */
  async download(actor: Actor, id: string): Promise<{ evidence: Evidence; stream: Readable }> {
    const evidence = await this.dataSource.getRepository(Evidence).findOneBy({ id });
    if (!evidence) throw notFound('佐证材料', id);
    if (!(await this.access.canSeeAssignment(actor, evidence.assignmentId))) {
      throw forbidden('无权查看该佐证材料');
    }
    return { evidence, stream: await this.storage.open(evidence.storageKey) };
  }

  /** The evidence attached to each progress report, one query per request level. */
  evidenceLoader(ctx: RequestContext): DataLoader<string, Evidence[]> {
    return requestLoader<string, Evidence[]>(ctx, 'evidence.byReport', async (reportIds) => {
      const rows = await this.dataSource
        .getRepository(Evidence)
        .createQueryBuilder('e')
        .where('e.report_id IN (:...reportIds)', { reportIds })
        .orderBy('e.uploaded_at', 'ASC')
        .addOrderBy('e.id', 'ASC')
        .getMany();
      return groupByKey(reportIds, rows, (row) => row.reportId ?? '');
    });
  }

  private async assignmentOf(assignmentId: string): Promise<AssignmentRow> {
    const [row] = await this.dataSource.query<AssignmentRow[]>(
      `SELECT a.id, a.task_id, a.org_unit_id, p.org_unit_id AS parent_unit_id
         FROM assignment a LEFT JOIN assignment p ON p.id = a.parent_id
        WHERE a.id = $1`,
      [assignmentId],
    );
    if (!row) throw notFound('分工', assignmentId);
    return row;
  }

  /** Size, name and type, in that order; each failure is BAD_USER_INPUT on `file` with a message for the user. */
  private async checkFile(file: UploadedEvidenceFile): Promise<{ fileName: string; type: EvidenceFileType }> {
    const maxBytes = this.config.evidenceMaxBytes;
    if (!file.buffer && !file.path) throw badFile('请选择要上传的文件');
    const size = file.buffer ? file.buffer.length : (await stat(file.path as string)).size;
    if (size === 0) throw badFile('文件为空，请重新选择');
    if (size > maxBytes) throw tooLarge(maxBytes);

    const fileName = cleanFileName(file.originalname);
    if (!fileName) throw badFile('文件名无效，请重新选择文件');
    const head = file.buffer
      ? file.buffer.subarray(0, SIGNATURE_BYTES)
      : await readHead(file.path as string, SIGNATURE_BYTES);
    const check = checkFileType(fileName, head);
    if (check.ok) return { fileName, type: check.type };
    const extension = extensionOf(fileName);
    const accepted = ACCEPTED_EXTENSIONS.join('、');
    if (check.reason === 'extension') {
      throw badFile(
        extension
          ? `不支持上传 .${extension} 文件，佐证材料须为以下格式之一：${accepted}`
          : `无法识别文件类型（文件名没有扩展名），佐证材料须为以下格式之一：${accepted}`,
        { acceptedExtensions: ACCEPTED_EXTENSIONS },
      );
    }
    throw badFile(`文件内容与扩展名 .${extension} 不符，请上传真实的 .${extension} 文件`, {
      acceptedExtensions: ACCEPTED_EXTENSIONS,
    });
  }
}

async function readHead(path: string, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(length), 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
