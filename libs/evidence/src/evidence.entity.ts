import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** bigint comes back from pg as text; sizes are capped far below 2^53 (see EVIDENCE_MAX_BYTES). */
const bigintAsNumber = {
  to: (value: number) => value,
  from: (value: string | number) => Number(value),
};

/** 佐证材料: a file a unit uploaded for its assignment, attached to a progress report when one is submitted. */
@ObjectType('Evidence', { description: '佐证材料' })
@Entity('evidence')
export class Evidence {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID, { description: '所属分工' })
  @Column('uuid')
  assignmentId!: string;

  @Field({ description: '文件名' })
  @Column('varchar')
  fileName!: string;

  @Field({ description: '文件类型（按扩展名与文件内容判定）' })
  @Column('varchar')
  mimeType!: string;

  @Field(() => Int, { description: '文件大小（字节）' })
  @Column('bigint', { transformer: bigintAsNumber })
  sizeBytes!: number;

  @Field({ description: '文件内容的 SHA-256（十六进制小写）' })
  @Column('char', { length: 64 })
  sha256!: string;

  /** Where the bytes are, relative to EVIDENCE_DIR; never shown to clients. */
  @Column('varchar', { unique: true })
  storageKey!: string;

  @Column('uuid')
  uploadedById!: string;

  @Field({ description: '上传时间' })
  @Column({ type: 'timestamptz' })
  uploadedAt!: Date;

  /** The progress report it was attached to; null until one is submitted with it. */
  @Column('uuid', { nullable: true })
  reportId!: string | null;
}

/** What the upload route accepts, so that a browser can refuse a file before sending it. */
@ObjectType('EvidenceRules', { description: '佐证材料的上传规则' })
export class EvidenceRules {
  @Field(() => Int, { description: '单个文件的大小上限（字节，EVIDENCE_MAX_BYTES）' })
  maxBytes!: number;

  @Field(() => [String], { description: '可接受的扩展名（小写，不含点）；内容还须与扩展名相符' })
  extensions!: string[];
}

/** What the HTTP API returns for an evidence row: the GraphQL fields, without the storage key. */
export interface EvidenceJson {
  id: string;
  assignmentId: string;
  fileName: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  uploadedAt: string;
}

export function evidenceJson(evidence: Evidence): EvidenceJson {
  return {
    id: evidence.id,
    assignmentId: evidence.assignmentId,
    fileName: evidence.fileName,
    mimeType: evidence.mimeType,
    sizeBytes: evidence.sizeBytes,
    sha256: evidence.sha256,
    uploadedAt: evidence.uploadedAt.toISOString(),
  };
}
