import { Client } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { formatReport, verifyAuditDatabase } from '../apps/cli/src/verify-audit';
import { verifyAuditChain, writeAuditEvent, type AuditInput } from '@zhezi/audit';
import { dataSourceOptions, SqlLogger } from '@zhezi/core';
import { MIGRATIONS } from '@zhezi/migrations';
import { createEmptyDatabase, createTestDatabase } from '@zhezi/testing';
import { graphql } from './gql';
import type { AuditChainVerifyQuery, AuditChainVerifyQueryVariables } from './gql/graphql';
import { countRows, dataOf, outcomeOf, taskOps } from './support/ops';
import { startTestApi, type TestApi } from './support/test-api';

const VERIFY = graphql(`
  query AuditChainVerify($fromId: ID, $limit: Int) {
    verifyAuditChain(fromId: $fromId, limit: $limit) {
      ok
      checked
      firstBrokenId
      reason
      lastCheckedId
      lastHash
    }
  }
`);

type Report = AuditChainVerifyQuery['verifyAuditChain'];

interface Link {
  id: string;
  prev_hash: string;
  hash: string;
}

async function links(db: Pick<DataSource, 'query'>): Promise<Link[]> {
  return db.query<Link[]>('SELECT id::text AS id, prev_hash, hash FROM audit_event ORDER BY audit_event.id');
}

/** What a superuser can do behind the application's back: switch the guard off for one statement. */
async function tamper(url: string, sql: string, params: unknown[]): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change');
    await client.query(sql, params);
    await client.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_change');
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}

const EVENT: AuditInput = {
  action: 'test.event',
  entityType: 'Test',
  entityId: 'a3e5c7d9-1b2f-4a6c-8e0d-2f4b6d8a0c1e',
  unitIds: ['0C9A8B7D-6E5F-4A3B-9C2D-1E0F9A8B7C6D'],
  after: { b: 1, a: { y: [1, 2.5, '三'], x: null }, passwordHash: 'never stored' },
};

const SYSTEM = { userId: null, displayName: '系统' };

describe('audit hash chain over the API', () => {
  let api: TestApi;
  let verify: (token: string, variables?: AuditChainVerifyQueryVariables) => Promise<Report>;

  beforeAll(async () => {
    api = await startTestApi();
    verify = async (token, variables = {}) =>
      dataOf(await api.gql(VERIFY, variables, token)).verifyAuditChain;
  });

  afterAll(() => api.close());

  it('chains what mutations write; admins and inspectors verify it', async () => {
    const ops = taskOps(api);
    const leader = await api.token('leader');
    const planId = await ops.createPlan(leader, '链上规划');
    await ops.createTask(leader, { planId, title: '建设创新街区', dueAt: '2026-12-31T15:59:59.000Z' });
    await ops.createTask(leader, {
      planId: api.fixture.plan.id,
      targetId: api.fixture.section.id,
      title: '推进科学城建设',
      responsibleLeaderId: api.fixture.users.leader.id,
      dueAt: '2026-12-31T15:59:59.000Z',
    });

    // Signed in before the chain is read: a sign-in is audited too.
    const verifiers = [await api.token('admin'), await api.token('inspector')];
    const chain = await links(api.dataSource);
    expect(chain.length).toBeGreaterThanOrEqual(3);
    expect(chain[0].prev_hash).toBe('0'.repeat(64));
    const last = chain[chain.length - 1];
    for (const token of verifiers) {
      expect(await verify(token)).toEqual({
        ok: true,
        checked: chain.length,
        firstBrokenId: null,
        reason: null,
        lastCheckedId: last.id,
        lastHash: last.hash,
      });
    }
  });

  it('checks a range: limit, and fromId with the link to the event before it', async () => {
    const admin = await api.token('admin');
    const chain = await links(api.dataSource);
    expect(await verify(admin, { limit: 2 })).toMatchObject({
      ok: true,
      checked: 2,
      lastCheckedId: chain[1].id,
    });
    expect(await verify(admin, { fromId: chain[2].id })).toMatchObject({
      ok: true,
      checked: chain.length - 2,
    });
    expect(await verify(admin, { fromId: '999999999' })).toMatchObject({ ok: true, checked: 0 });
    for (const variables of [{ limit: 0 }, { fromId: 'abc' }, { fromId: '99999999999999999999' }]) {
      expect(outcomeOf(await api.gql(VERIFY, variables, admin))).toBe('BAD_USER_INPUT');
    }
  });

  it.each(['leader', 'fgwOfficer', 'zgcOfficer'])('%s may not verify the chain (FORBIDDEN)', async (who) => {
    expect(outcomeOf(await api.gql(VERIFY, {}, await api.token(who)))).toBe('FORBIDDEN');
  });

  it('stays linear under 20 concurrent mutations: contiguous ids, each linked to the one before', async () => {
    const leader = await api.token('leader');
    const before = await countRows(api, 'audit_event');
    const ops = taskOps(api);
    await Promise.all(Array.from({ length: 20 }, (_, i) => ops.createPlan(leader, `并发规划 ${i + 1}`)));

    const chain = await links(api.dataSource);
    expect(chain).toHaveLength(before + 20);
    chain.forEach((link, i) => {
      if (i === 0) return;
      expect(BigInt(link.id)).toBe(BigInt(chain[i - 1].id) + 1n);
      expect(link.prev_hash).toBe(chain[i - 1].hash);
    });
    expect(await verify(await api.token('inspector'))).toMatchObject({ ok: true, checked: chain.length });
  });

  it('the application cannot rewrite an event', async () => {
    await expect(
      api.dataSource.query(
        `UPDATE audit_event SET actor_name = 'x' WHERE id = (SELECT min(id) FROM audit_event)`,
      ),
    ).rejects.toThrow(/append-only/);
  });

  it('finds an event a superuser rewrote behind the trigger, over the API and from the command line', async () => {
    const chain = await links(api.dataSource);
    const victim = chain[3];
    const url = (api.dataSource.options as { url: string }).url;
    await tamper(url, `UPDATE audit_event SET actor_name = 'x' WHERE id = $1`, [victim.id]);

    const admin = await api.token('admin');
    const report = await verify(admin);
    expect(report).toMatchObject({
      ok: false,
      checked: 4,
      firstBrokenId: victim.id,
      lastCheckedId: chain[2].id,
    });
    expect(report.reason).toMatch(/changed after it was written/);
    // The rest of the chain still links to the rewritten event's stored hash.
    expect(await verify(admin, { fromId: chain[4].id })).toMatchObject({ ok: true });

    const cli = await verifyAuditDatabase(url);
    expect(cli).toMatchObject({ ok: false, firstBrokenId: victim.id });
    expect(formatReport(cli)).toContain(`audit chain BROKEN at event ${victim.id}`);
  });
});

describe('audit hash chain in the database', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await new DataSource(dataSourceOptions(db.url)).initialize();
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const write = (manager: EntityManager, input: AuditInput = EVENT) =>
    writeAuditEvent(manager, new Date('2026-03-01T02:03:04.567Z'), SYSTEM, input);

  it('costs three statements per event: the lock, the next id with the head hash, the insert', async () => {
    const logger = ds.logger as SqlLogger;
    const count = async (events: number) => {
      let statements = 0;
      await ds.transaction(async (manager) => {
        const before = logger.queryCount;
        for (let i = 0; i < events; i++) await write(manager);
        statements = logger.queryCount - before;
      });
      return statements;
    };
    expect(await count(1)).toBe(3);
    expect(await count(4)).toBe(12);
    const [row] = await ds.query<{ after: unknown; unit_ids: string[] }[]>(
      'SELECT after, unit_ids::text[] AS unit_ids FROM audit_event ORDER BY id DESC LIMIT 1',
    );
    expect(row).toEqual({
      after: { b: 1, a: { y: [1, 2.5, '三'], x: null } },
      unit_ids: ['0c9a8b7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d'],
    });
    expect(await verifyAuditChain(ds)).toMatchObject({ ok: true, checked: 5 });
  });

  it('keeps the chain whole across concurrent writers, rolled-back ones included', async () => {
    await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        ds.transaction(async (manager) => {
          await write(manager, { ...EVENT, action: `concurrent.${i}` });
          await write(manager, { ...EVENT, action: `concurrent.${i}.second` });
          if (i % 5 === 0) throw new Error('rolled back');
        }),
      ),
    );
    const chain = await links(ds);
    expect(chain).toHaveLength(5 + 24 * 2);
    expect(await verifyAuditChain(ds, { batchSize: 7 })).toMatchObject({ ok: true, checked: chain.length });
  });

  it('refuses a write outside a transaction, where the lock would not hold', async () => {
    await expect(write(ds.manager)).rejects.toThrow(/open transaction/);
  });

  it('refuses a second event after the same one: the chain cannot fork', async () => {
    const [head] = await links(ds).then((chain) => chain.slice(-1));
    await expect(
      ds.query(
        `INSERT INTO audit_event (occurred_at, actor_name, action, entity_type, entity_id, prev_hash, hash)
        VALUES (now(), 'x', 'fork', 'Test', gen_random_uuid(), $1, $2)`,
        [head.prev_hash, 'f'.repeat(64)],
      ),
    ).rejects.toThrow(/audit_event_prev_hash_key/);
  });

  it('reports the event after one a superuser deleted', async () => {
    const chain = await links(ds);
    await tamper(db.url, 'DELETE FROM audit_event WHERE id = $1', [chain[10].id]);
    const report = await verifyAuditChain(ds, { batchSize: 4 });
    expect(report).toMatchObject({ ok: false, firstBrokenId: chain[11].id, lastCheckedId: chain[9].id });
    expect(report.reason).toContain(`hash of event ${chain[9].id}`);
  });
});

describe('migration AuditHashChain', () => {
  it('chains the events already written, keeps the table append-only, and reverts', async () => {
    const db = await createEmptyDatabase();
    const index = MIGRATIONS.findIndex((m) => m.name === 'AuditHashChain1764200000000');
    const migrate = async <T>(count: number, work: (ds: DataSource) => Promise<T>): Promise<T> => {
      const ds = await new DataSource({
        ...dataSourceOptions(db.url),
        migrations: MIGRATIONS.slice(0, count),
        migrationsTransactionMode: 'each',
      }).initialize();
      try {
        return await work(ds);
      } finally {
        await ds.destroy();
      }
    };
    try {
      await migrate(index, (ds) => ds.runMigrations());
      await migrate(index, (ds) =>
        ds.query(`
          INSERT INTO audit_event (occurred_at, actor_id, actor_name, action, entity_type, entity_id, task_id,
            unit_ids, before, after)
          SELECT timestamptz '2026-01-01 08:00:00.123+08' + n * interval '1 minute',
            CASE WHEN n % 2 = 0 THEN gen_random_uuid() END, '经办人' || n, 'legacy.' || n, 'Task',
            gen_random_uuid(), CASE WHEN n % 3 = 0 THEN gen_random_uuid() END,
            ARRAY[gen_random_uuid(), gen_random_uuid()],
            CASE WHEN n % 2 = 1 THEN '{"z": 1, "a": {"long key": [1.50, "x"], "b": true}}'::jsonb END,
            jsonb_build_object('n', n, 'title', '标题 "引号" \\ 斜杠', 'list', jsonb_build_array(n, null))
          FROM generate_series(1, 2500) AS n;
          -- one written outside the application, with a sub-millisecond instant
          INSERT INTO audit_event (occurred_at, actor_name, action, entity_type, entity_id)
          VALUES ('2026-01-02 00:00:00.123456+00', '系统', 'legacy.sql', 'Task', gen_random_uuid());
        `),
      );
      await migrate(index + 1, (ds) => ds.runMigrations());
      expect(await migrate(index + 1, (ds) => verifyAuditChain(ds))).toMatchObject({
        ok: true,
        checked: 2501,
      });

      const client = new Client({ connectionString: db.url });
      await client.connect();
      try {
        await expect(client.query(`UPDATE audit_event SET actor_name = 'x' WHERE id = 1`)).rejects.toThrow(
          /append-only/,
        );

        await migrate(index + 1, (ds) => ds.undoLastMigration());
        const { rows } = await client.query<{ name: string }>(
          `SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'audit_event'
            AND column_name IN ('prev_hash', 'hash')`,
        );
        expect(rows).toEqual([]);
        await expect(client.query('DELETE FROM audit_event')).rejects.toThrow(/append-only/);
      } finally {
        await client.end();
      }
    } finally {
      await db.drop();
    }
  });
});
