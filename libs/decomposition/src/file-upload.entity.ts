import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A file uploaded (`POST /uploads`) for ingestPlan or importTaskList, usable by its owner only until it
 * expires. Stored in the database so that every API process can read it.
 */
@Entity('file_upload')
export class FileUpload {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  ownerId!: string;

  @Column('varchar')
  fileName!: string;

  @Column('int')
  sizeBytes!: number;

  @Column('bytea', { select: false })
  content!: Buffer;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;
}

/** What `POST /uploads` answers. */
export interface FileUploadJson {
  id: string;
  fileName: string;
  size: number;
}
