import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from '../../apps/api/src/app.module';
import { configureHttp } from '../../apps/api/src/http-setup';
import { seedDatabase } from '../../apps/cli/src/seed';
import { loadConfig } from '@zhezi/core';
import { createTestDatabase, runId, TEST_REDIS_URL } from '@zhezi/testing';

export interface SeededApi {
  /** http://127.0.0.1:<port>, without a path. */
  base: string;
  close(): Promise<void>;
}

/**
 * The real API over a database holding only the Haidian demo data, as `npm run up` leaves it, listening on a
 * free port. `env` adds settings (e.g. WEB_DIST_DIR).
 */
export async function startSeededApi(env: Record<string, string> = {}): Promise<SeededApi> {
  const db = await createTestDatabase();
  const evidenceDir = await mkdtemp(join(tmpdir(), 'zhezi-evidence-'));
  let app: NestExpressApplication | undefined;
  const close = async () => {
    await app?.close();
    await rm(evidenceDir, { recursive: true, force: true });
    await db.drop();
  };
  try {
    await seedDatabase(db.url);
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: `zhezi-test-${runId()}-${db.name}`,
      JWT_SECRET: 'test-secret-that-is-long-enough-0123456789',
      EVIDENCE_DIR: evidenceDir,
      ...env,
    });
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config }), { logger: false });
    await configureHttp(app);
    await app.listen(0, '127.0.0.1');
    return { base: (await app.getUrl()).replace('[::1]', '127.0.0.1'), close };
  } catch (error) {
    await close();
    throw error;
  }
}
