import { DataSource, In, type ObjectLiteral } from 'typeorm';
import { readByIds, readEntities } from '@zhezi/core';
import { OrgUnit, User } from '@zhezi/org';
import { generateCity } from '@zhezi/seed';
import { Assignment } from '@zhezi/task';
import { Cleanup } from '../tools/bench-deadlines';
import { startApiOnOwnDatabase } from './support/own-database-api';

/**
 * Entities read without TypeORM's find machinery (`readByIds`, `readEntities`: every by-id loader and the
 * boards' pages) are the entities `findBy` and `getMany` make: same class, same values, the same columns left out.
 */

const cleanup = new Cleanup();
let dataSource: DataSource;

beforeAll(async () => {
  dataSource = (await startApiOnOwnDatabase(cleanup)).app.get(DataSource);
  // Units, users, tasks, shares and what hangs off them (reports, notices, ladders).
  await dataSource.transaction((m) => generateCity(m, { assignments: 300, seed: 1, now: new Date() }));
}, 60_000);

afterAll(() => cleanup.run());

const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));

describe('readByIds', () => {
  it('reads every entity with an id as findBy does, in every table the fixture fills', async () => {
    const compared: string[] = [];
    for (const metadata of dataSource.entityMetadatas) {
      const [primary, ...more] = metadata.primaryColumns;
      if (more.length || primary.propertyName !== 'id' || metadata.tableType !== 'regular') continue;
      const repository = dataSource.getRepository<ObjectLiteral & { id: string }>(metadata.target);
      const ids = (await repository.find({ select: { id: true }, take: 50 })).map((row) => row.id);
      if (!ids.length) continue;
      const expected = byId(await repository.findBy({ id: In(ids) }));
      const actual = byId(await readByIds(repository, ids));
      expect(actual).toEqual(expected);
      expect(actual.every((row) => row instanceof (metadata.target as new () => unknown))).toBe(true);
      compared.push(metadata.tableName);
    }
    expect(compared).toEqual(
      expect.arrayContaining(['app_user', 'org_unit', 'task', 'assignment', 'plan', 'progress_report']),
    );
  });

  it('leaves out select: false columns, as findBy does', async () => {
    const users = dataSource.getRepository(User);
    const [someone] = await users.find({ take: 1 });
    const [read] = await readByIds(users, [someone.id]);
    expect(read.username).toBe(someone.username);
    expect(read).not.toHaveProperty('passwordHash');
  });

  it('reads through a transaction what it has written and not committed', async () => {
    const units = dataSource.getRepository(OrgUnit);
    const [unit] = await units.find({ take: 1 });
    await dataSource
      .transaction(async (manager) => {
        await manager.update(OrgUnit, unit.id, { name: '事务内改名' });
        const [inside] = await readByIds(manager.getRepository(OrgUnit), [unit.id]);
        expect(inside.name).toBe('事务内改名');
        throw new Error('roll back');
      })
      .catch((error: Error) => expect(error.message).toBe('roll back'));
    const [after] = await readByIds(units, [unit.id]);
    expect(after.name).toBe(unit.name);
  });

  it('finds nothing for ids that are not there', async () => {
    const ids = ['00000000-0000-4000-8000-000000000000'];
    expect(await readByIds(dataSource.getRepository(OrgUnit), ids)).toEqual([]);
  });
});

describe('readEntities', () => {
  it("makes the query builder's main entities as getMany does", async () => {
    const qb = () =>
      dataSource
        .getRepository(Assignment)
        .createQueryBuilder('a')
        .innerJoin('task', 't', 't.id = a.task_id')
        .orderBy('a.due_at', 'ASC')
        .addOrderBy('a.id', 'ASC')
        .limit(10);
    const expected = await qb().getMany();
    expect(expected.length).toBeGreaterThan(1);
    const actual = await readEntities(qb());
    expect(actual).toEqual(expected);
    expect(actual.every((a) => a instanceof Assignment)).toBe(true);
  });
});
