import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { backup } from '../apps/cli/src/backup';
import { databaseFacts, type Manifest } from '../apps/cli/src/backup-manifest';
import { restore } from '../apps/cli/src/restore';
import { seedDatabase } from '../apps/cli/src/seed';
import { verifyAuditChain } from '@zhezi/audit';
import { APP_CONFIG, dataSourceOptions, FixedClock, type AppConfig } from '@zhezi/core';
import { createEmptyDatabase } from '@zhezi/testing';
import { graphql } from './gql';
import { dataOf, taskOps, uploadEvidence } from './support/ops';
import { startTestApi, type TestApi } from './support/test-api';

const ACCEPT = graphql(`
  mutation BackupRestoreAccept($input: AssignmentTransitionInput!) {
    acceptAssignment(input: $input) {
      version
    }
  }
`);
const SUBMIT = graphql(`
  mutation BackupRestoreSubmitProgress($input: SubmitProgressInput!) {
    submitProgress(input: $input) {
      id
    }
  }
`);

const pdf = (text: string) =>
  Buffer.from(`%PDF-1.4\n1 0 obj << /Title (${text}) >> endobj\n%%EOF\n`, 'latin1');
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Every stored file under an evidence folder, relative path → SHA-256. */
async function filesBySha(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: Record<string, string> = {};
  for (const e of entries.filter((entry) => entry.isFile())) {
    const path = join(e.parentPath, e.name);
    files[path.slice(dir.length + 1)] = sha256(await readFile(path));
  }
  return files;
}

async function withDatabase<T>(url: string, work: (ds: DataSource) => Promise<T>): Promise<T> {
  const ds = await new DataSource(dataSourceOptions(url)).initialize();
  try {
    return await work(ds);
  } finally {
    await ds.destroy();
  }
}

describe('npm run backup / npm run restore', () => {
  let api: TestApi;
  let config: AppConfig;
  let work: string;
  let backupDir: string;
  let manifest: Manifest;
  const log: string[] = [];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'zhezi-backup-'));
    api = await startTestApi({ clock: new FixedClock(new Date('2026-11-25T04:00:00Z')) });
    config = api.app.get<AppConfig>(APP_CONFIG);
    await seedDatabase(config.databaseUrl);

    // A share with progress reports carrying evidence, through the API as a unit would do it.
    const ops = taskOps(api);
    const leader = await api.token('leader');
    const officer = await api.token('fgwOfficer');
    const task = await ops.createTask(leader, { planId: api.fixture.plan.id, title: '备份恢复测试任务' });
    const [share] = await ops.assignTask(leader, task.id, [{ orgUnitId: api.fixture.units.fgw.id }]);
    dataOf(await api.gql(ACCEPT, { input: { assignmentId: share.id, version: 1 } }, officer));
    const uploaded: string[] = [];
    for (const file of [
      { bytes: pdf('十月进展'), name: '十月进展.pdf' },
      { bytes: pdf('十一月进展'), name: '十一月进展.pdf' },
      { bytes: PNG, name: '现场照片.png', type: 'image/png' },
    ]) {
      const { status, body } = await uploadEvidence(api, share.id, file, 'fgwOfficer');
      expect(status).toBe(201);
      uploaded.push((body as { id: string }).id);
    }
    const report = (version: number, period: string, percent: number, evidenceIds: string[]) =>
      api.gql(
        SUBMIT,
        { input: { assignmentId: share.id, version, period, text: `${period} 进展`, percent, evidenceIds } },
        officer,
      );
    dataOf(await report(2, '2026-10', 30, uploaded.slice(0, 1)));
    dataOf(await report(3, '2026-11', 60, uploaded.slice(1)));

    backupDir = join(work, 'backup');
    manifest = await backup(backupDir, {
      databaseUrl: config.databaseUrl,
      evidenceDir: config.evidenceDir,
      log: (line) => log.push(line),
    });
  });

  afterAll(async () => {
    await api.close();
    await rm(work, { recursive: true, force: true });
  });

  it('records counts, files by hash, the audit chain and versions in its manifest', async () => {
    const facts = await databaseFacts(api.dataSource);
    expect(manifest.database.tables).toEqual(facts.tables);
    expect(manifest.database.tables['public.progress_report']).toBe(2);
    expect(manifest.database.tables['public.org_unit']).toBeGreaterThan(30);
    expect(manifest.evidence.count).toBe(3);
    expect(manifest.evidence.files.map((f) => f.sha256).sort()).toEqual(
      Object.values(await filesBySha(config.evidenceDir)).sort(),
    );
    const chain = await verifyAuditChain(api.dataSource);
    expect(manifest.database).toMatchObject({
      auditChainOk: true,
      audit: { events: chain.checked, lastId: chain.lastCheckedId, lastHash: chain.lastHash },
      lastMigration: expect.stringMatching(/^[A-Za-z]+\d{13}$/) as string,
    });
    expect(manifest.postgres.pgDump).toMatch(/^pg_dump \(PostgreSQL\) \d+/);
    expect(manifest.postgres.serverVersionNum).toBeGreaterThan(0);
    expect(log.at(-1)).toMatch(/^ {2}audit chain intact: \d+ events/);
  });

  it('restores into an empty database and evidence folder with the same counts, files and an intact chain', async () => {
    const target = await createEmptyDatabase();
    const evidenceDir = join(work, 'restored-evidence');
    try {
      const lines: string[] = [];
      const summary = await restore(backupDir, {
        databaseUrl: target.url,
        evidenceDir,
        log: (line) => lines.push(line),
      });
      expect(summary.pendingMigrations).toEqual([]);
      expect(lines.join('\n')).toContain('restore complete');

      const original = await databaseFacts(api.dataSource);
      await withDatabase(target.url, async (ds) => {
        expect(await databaseFacts(ds)).toEqual(original);
        const chain = await verifyAuditChain(ds);
        expect(chain).toMatchObject({ ok: true, lastHash: manifest.database.audit.lastHash });
        expect(chain.checked).toBe(manifest.database.audit.events);
      });
      expect(await filesBySha(evidenceDir)).toEqual(await filesBySha(config.evidenceDir));

      // Not empty any more: refused unless forced, and forced it comes out the same.
      await expect(
        restore(backupDir, { databaseUrl: target.url, evidenceDir, log: () => undefined }),
      ).rejects.toThrow(/is not empty .*pass --force/);
      await restore(backupDir, { databaseUrl: target.url, evidenceDir, force: true, log: () => undefined });
      await withDatabase(target.url, async (ds) => expect(await databaseFacts(ds)).toEqual(original));
    } finally {
      await target.drop();
    }
  });

  it('refuses a partial or damaged backup with a sentence, before touching the database', async () => {
    const target = await createEmptyDatabase();
    const evidenceDir = join(work, 'refused-evidence');
    const attempt = (dir: string) =>
      restore(dir, { databaseUrl: target.url, evidenceDir, log: () => undefined });
    try {
      await expect(attempt(work)).rejects.toThrow(/has no manifest\.json/);

      const damaged = join(work, 'damaged');
      await backup(damaged, {
        databaseUrl: config.databaseUrl,
        evidenceDir: config.evidenceDir,
        log: () => undefined,
      });
      const [file] = manifest.evidence.files;
      await writeFile(join(damaged, 'evidence', file.key), 'not the evidence');
      await expect(attempt(damaged)).rejects.toThrow(/does not match its recorded SHA-256/);
      await unlink(join(damaged, 'evidence', file.key));
      await expect(attempt(damaged)).rejects.toThrow(/is missing: the backup is incomplete/);
      await writeFile(join(damaged, 'database.dump'), 'truncated');
      await expect(attempt(damaged)).rejects.toThrow(/database\.dump is not the dump the manifest records/);

      await withDatabase(target.url, async (ds) =>
        expect(Object.keys((await databaseFacts(ds)).tables)).toEqual([]),
      );
      await expect(backup(damaged, { ...config, log: () => undefined })).rejects.toThrow(/is not empty/);

      // A backup that cannot find an evidence file stops, and leaves nothing a restore could mistake for one.
      const incomplete = join(work, 'incomplete');
      await expect(
        backup(incomplete, { ...config, evidenceDir: join(work, 'nowhere'), log: () => undefined }),
      ).rejects.toThrow(/^evidence [0-9a-f-]{36} has no file at .*check EVIDENCE_DIR/);
      expect(await readdir(incomplete)).toEqual([]);
    } finally {
      await target.drop();
    }
  });
});
