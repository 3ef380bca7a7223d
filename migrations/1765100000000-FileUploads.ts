import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Files uploaded for ingestPlan / importTaskList (`POST /uploads`), kept in the database rather than a folder so
 * that every API process sees them, until they expire.
 */
export class FileUploads1765100000000 implements MigrationInterface {
  name = 'FileUploads1765100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE file_upload (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        file_name varchar NOT NULL,
        size_bytes int NOT NULL CHECK (size_bytes >= 0),
        content bytea NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX file_upload_expires_idx ON file_upload (expires_at);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE file_upload;`);
  }
}
