import { createHash } from 'node:crypto';
import {
  auditEventHash,
  canonicalAuditEvent,
  canonicalInstant,
  canonicalJson,
  GENESIS_HASH,
  verifyChain,
  type AuditContent,
  type ChainedEvent,
} from './audit-chain';

const EVENT: AuditContent = {
  id: '41',
  occurredAt: new Date('2026-03-01T02:03:04.567Z'),
  actorId: '6f1c2a9e-0b7d-4c8e-9a51-3d2f0e7b8c11',
  actorName: '王副区长',
  action: 'task.create',
  entityType: 'Task',
  entityId: 'a3e5c7d9-1b2f-4a6c-8e0d-2f4b6d8a0c1e',
  taskId: 'a3e5c7d9-1b2f-4a6c-8e0d-2f4b6d8a0c1e',
  unitIds: ['0c9a8b7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d', '1d0b9c8e-7f6a-4b5c-8d3e-2f1a0b9c8d7e'],
  before: null,
  after: {
    title: '建设创新街区',
    dueAt: '2026-12-31T15:59:59.000Z',
    milestones: [{ title: '方案', n: 1.5 }],
  },
};

/** Links events into a valid chain, as the writer does. */
function chain(events: AuditContent[]): ChainedEvent[] {
  let prevHash = GENESIS_HASH;
  return events.map((event) => {
    const hash = auditEventHash(event, prevHash);
    const chained = { ...event, prevHash, hash };
    prevHash = hash;
    return chained;
  });
}

const events = (n: number): AuditContent[] =>
  Array.from({ length: n }, (_, i) => ({ ...EVENT, id: String(i + 1), action: `step.${i + 1}` }));

describe('canonical hashing of an audit event', () => {
  it('is the SHA-256 of the documented canonical text', () => {
    const text = canonicalAuditEvent(EVENT, GENESIS_HASH);
    expect(text).toBe(
      '{"action":"task.create","actor_id":"6f1c2a9e-0b7d-4c8e-9a51-3d2f0e7b8c11","actor_name":"王副区长",' +
        '"after":{"dueAt":"2026-12-31T15:59:59.000Z","milestones":[{"n":1.5,"title":"方案"}],' +
        '"title":"建设创新街区"},"before":null,"entity_id":"a3e5c7d9-1b2f-4a6c-8e0d-2f4b6d8a0c1e",' +
        '"entity_type":"Task","id":"41","occurred_at":"2026-03-01T02:03:04.567Z",' +
        `"prev_hash":"${GENESIS_HASH}","task_id":"a3e5c7d9-1b2f-4a6c-8e0d-2f4b6d8a0c1e",` +
        '"unit_ids":["0c9a8b7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d","1d0b9c8e-7f6a-4b5c-8d3e-2f1a0b9c8d7e"]}',
    );
    expect(auditEventHash(EVENT, GENESIS_HASH)).toBe(createHash('sha256').update(text).digest('hex'));
    expect(auditEventHash(EVENT, GENESIS_HASH)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on the key order of before and after (jsonb reorders keys)', () => {
    const reordered: AuditContent = {
      ...EVENT,
      after: {
        milestones: [{ n: 1.5, title: '方案' }],
        dueAt: '2026-12-31T15:59:59.000Z',
        title: '建设创新街区',
      },
    };
    expect(auditEventHash(reordered, GENESIS_HASH)).toBe(auditEventHash(EVENT, GENESIS_HASH));
    expect(canonicalJson({ b: { d: 1, c: [{ f: 2, e: 3 }] }, a: null })).toBe(
      '{"a":null,"b":{"c":[{"e":3,"f":2}],"d":1}}',
    );
  });

  it('reads the instant and the uuids the same way whether written or read back from SQL', () => {
    const fromSql: AuditContent = {
      ...EVENT,
      occurredAt: '2026-03-01T02:03:04.567000Z',
      actorId: EVENT.actorId!.toUpperCase(),
      unitIds: EVENT.unitIds.map((id) => id.toUpperCase()),
    };
    expect(auditEventHash(fromSql, GENESIS_HASH)).toBe(auditEventHash(EVENT, GENESIS_HASH));
    expect(canonicalInstant('2026-03-01T02:03:04Z')).toBe('2026-03-01T02:03:04.000Z');
    // A sub-millisecond part, which no writer produces, is kept rather than rounded away.
    expect(canonicalInstant('2026-03-01T02:03:04.567001Z')).toBe('2026-03-01T02:03:04.567001Z');
  });

  it.each<[string, Partial<AuditContent>]>([
    ['id', { id: '42' }],
    ['occurredAt', { occurredAt: new Date('2026-03-01T02:03:04.568Z') }],
    ['actorId', { actorId: null }],
    ['actorName', { actorName: '王副区长 ' }],
    ['action', { action: 'task.update' }],
    ['entityType', { entityType: 'Assignment' }],
    ['entityId', { entityId: '6f1c2a9e-0b7d-4c8e-9a51-3d2f0e7b8c11' }],
    ['taskId', { taskId: null }],
    ['unitIds (order)', { unitIds: [...EVENT.unitIds].reverse() }],
    ['unitIds (one fewer)', { unitIds: EVENT.unitIds.slice(1) }],
    ['before', { before: {} }],
    [
      'after (a nested value)',
      { after: { ...(EVENT.after as object), milestones: [{ title: '方案', n: 1.6 }] } },
    ],
    ['after (a number that became a string)', { after: { ...(EVENT.after as object), milestones: '1.5' } }],
  ])('changes when %s changes', (_field, change) => {
    expect(auditEventHash({ ...EVENT, ...change }, GENESIS_HASH)).not.toBe(
      auditEventHash(EVENT, GENESIS_HASH),
    );
  });

  it('changes with the predecessor', () => {
    expect(auditEventHash(EVENT, 'f'.repeat(64))).not.toBe(auditEventHash(EVENT, GENESIS_HASH));
  });

  it('refuses what JSON cannot carry instead of hashing it ambiguously', () => {
    expect(() => auditEventHash({ ...EVENT, after: { at: new Date() } }, GENESIS_HASH)).toThrow(TypeError);
    expect(() => auditEventHash({ ...EVENT, after: { n: NaN } }, GENESIS_HASH)).toThrow(TypeError);
    expect(() => canonicalInstant('2026-03-01 02:03:04+08')).toThrow(TypeError);
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain, an empty one, and one read lazily from an async source', async () => {
    const chained = chain(events(5));
    expect(await verifyChain(chained)).toEqual({
      ok: true,
      checked: 5,
      firstBrokenId: null,
      reason: null,
      lastCheckedId: '5',
      lastHash: chained[4].hash,
    });
    expect(await verifyChain([])).toMatchObject({
      ok: true,
      checked: 0,
      lastCheckedId: null,
      lastHash: null,
    });

    async function* slowly() {
      for (const event of chained) yield await Promise.resolve(event);
    }
    expect(await verifyChain(slowly())).toMatchObject({ ok: true, checked: 5 });
  });

  it('reports a changed event as the first broken link, and stops reading there', async () => {
    const chained = chain(events(6));
    chained[2] = { ...chained[2], actorName: 'x' };
    chained[4] = { ...chained[4], actorName: 'y' };
    let read = 0;
    function* counting() {
      for (const event of chained) {
        read++;
        yield event;
      }
    }
    const report = await verifyChain(counting());
    expect(report).toMatchObject({ ok: false, checked: 3, firstBrokenId: '3', lastCheckedId: '2' });
    expect(report.reason).toMatch(/changed after it was written/);
    expect(read).toBe(3);
  });

  it('reports the event after a removed one, and the event after one whose hash was recomputed', async () => {
    const removed = chain(events(5)).filter((e) => e.id !== '3');
    const report = await verifyChain(removed);
    expect(report).toMatchObject({ ok: false, checked: 3, firstBrokenId: '4' });
    expect(report.reason).toMatch(/hash of event 2/);

    const rewritten = chain(events(5));
    const forged = { ...rewritten[1], actorName: 'x' };
    rewritten[1] = { ...forged, hash: auditEventHash(forged, forged.prevHash) };
    expect(await verifyChain(rewritten)).toMatchObject({ ok: false, firstBrokenId: '3' });
  });

  it('reports reordered events, a chain that does not start at the genesis, and a removed first event', async () => {
    const swapped = chain(events(4));
    [swapped[1], swapped[2]] = [swapped[2], swapped[1]];
    expect(await verifyChain(swapped)).toMatchObject({ ok: false, firstBrokenId: '3' });

    const headless = chain(events(3)).slice(1);
    expect(await verifyChain(headless)).toMatchObject({ ok: false, checked: 1, firstBrokenId: '2' });
    expect((await verifyChain(headless)).reason).toMatch(/genesis/);
  });

  it('starts after a given event, checking the link to it', async () => {
    const chained = chain(events(5));
    const start = { id: '2', hash: chained[1].hash };
    expect(await verifyChain(chained.slice(2), start)).toMatchObject({ ok: true, checked: 3 });
    expect(await verifyChain(chained.slice(3), start)).toMatchObject({ ok: false, firstBrokenId: '4' });
  });
});
