import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { constants, createReadStream, type ReadStream } from 'node:fs';
import { copyFile, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { APP_CONFIG, type AppConfig } from '@zhezi/core';

/** What {@link EvidenceStorage.store} wrote. */
export interface StoredFile {
  /** The file's place under the storage root, `ab/cd/<sha256>-<uuid>`. */
  key: string;
  sha256: string;
  sizeBytes: number;
}

const KEY =
  /^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Evidence bytes on the local disk under EVIDENCE_DIR, sharded by content hash (`ab/cd/<sha256>-<uuid>`, so no
 * directory grows huge and two uploads of the same content stay two files, each owned by one row).
 *
 * A file is written to `.tmp/` under the root, flushed, and then renamed into place, so a reader never sees
 * a half-written file and a crash leaves at most a `.tmp/*.part`. The caller inserts the row after `store`
 * and calls `remove` if that fails, so a failed upload leaves nothing behind.
 */
@Injectable()
export class EvidenceStorage {
  readonly root: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.root = resolve(config.evidenceDir);
  }

  /** Stores the bytes (a buffer, or a file at a path, which is copied) under a new key. */
  async store(source: Buffer | string): Promise<StoredFile> {
    const tmpDir = join(this.root, '.tmp');
    await mkdir(tmpDir, { recursive: true });
    const id = randomUUID();
    const tmp = join(tmpDir, `${id}.part`);
    try {
      if (typeof source === 'string') await copyFile(source, tmp, constants.COPYFILE_EXCL);
      const handle = await open(tmp, typeof source === 'string' ? 'r+' : 'wx', 0o640);
      try {
        if (typeof source !== 'string') await handle.writeFile(source);
        await handle.sync();
      } finally {
        await handle.close();
      }
      // Hashed from what was written, so the recorded hash is that of the stored bytes.
      const { sha256, sizeBytes } = await hashFile(tmp);
      const key = `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}-${id}`;
      const target = this.pathOf(key);
      await mkdir(dirname(target), { recursive: true });
      await rename(tmp, target);
      return { key, sha256, sizeBytes };
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  /** Opens a stored file for reading; fails (ENOENT) at once, not mid-stream, if it is missing. */
  async open(key: string): Promise<ReadStream> {
    const handle = await open(this.pathOf(key), 'r');
    return handle.createReadStream();
  }

  /** Removes a stored file; a missing one is fine. */
  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  /** The absolute path of a key; anything but a key this storage made is refused, so no path escapes the root. */
  pathOf(key: string): string {
    if (!KEY.test(key)) throw new Error(`not an evidence storage key: ${key}`);
    return join(this.root, ...key.split('/'));
  }
}

async function hashFile(path: string): Promise<{ sha256: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  await pipeline(createReadStream(path), async (chunks: AsyncIterable<Buffer>) => {
    for await (const chunk of chunks) {
      hash.update(chunk);
      sizeBytes += chunk.length;
    }
  });
  return { sha256: hash.digest('hex'), sizeBytes };
}
