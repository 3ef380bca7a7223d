import { PgListener } from '@zhezi/core';
import { ORG_UNIT_CHANGED_CHANNEL } from '@zhezi/org';
import { graphql } from './gql';
import { dataOf } from './support/ops';
import { startReplica, startTestApi, type TestApi } from './support/test-api';
import { waitFor } from './support/worker-services';

/** The officer's unit by the board (OrgService.getUnit) and by the viewer's field (the unit loader). */
const UNIT_NAMES = graphql(`
  query OrgUnitCacheNames {
    unitBoard {
      orgUnit {
        name
      }
    }
    viewer {
      orgUnit {
        name
      }
    }
  }
`);
const RENAME = graphql(`
  mutation OrgUnitCacheRename($input: UpdateOrgUnitInput!) {
    updateOrgUnit(input: $input) {
      name
      version
    }
  }
`);

/** NOTIFY takes milliseconds. */
const SOON = { timeoutMs: 2000, intervalMs: 10 };

/**
 * Two api processes on one database, as two replicas: each holds the units it reads in memory, and a change to a
 * unit, whoever makes it, shows at the replica that made it from its next request and at the other as soon as the
 * NOTIFY arrives.
 */
describe('units held per process', () => {
  let a: TestApi;
  let b: TestApi;

  beforeAll(async () => {
    a = await startTestApi();
    b = await startReplica(a);
    await waitFor(
      'both listening',
      () =>
        Promise.resolve([a, b].every((api) => api.app.get(PgListener).isListening(ORG_UNIT_CHANGED_CHANNEL))),
      (on) => on,
      SOON,
    );
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const unitNames = async (api: TestApi) => {
    const data = dataOf(await api.gql(UNIT_NAMES, {}, await api.token('hdOfficer')));
    return [data.unitBoard.orgUnit.name, data.viewer?.orgUnit?.name];
  };
  const namedSoon = (api: TestApi, name: string) =>
    waitFor(
      `the unit named ${name}`,
      () => unitNames(api),
      (names) => names.every((n) => n === name),
      SOON,
    );

  it('a unit read again costs no statement', async () => {
    await unitNames(a);
    const before = a.queryCount();
    await unitNames(a);
    const held = a.queryCount() - before;
    const listener = a.app.get(PgListener);
    const heard = listener.isListening.bind(listener);
    listener.isListening = (channel) => channel !== ORG_UNIT_CHANGED_CHANNEL && heard(channel);
    try {
      const again = a.queryCount();
      await unitNames(a);
      // Not listening, the unit is read every time: by the board, and by the viewer's field.
      expect(a.queryCount() - again).toBe(held + 2);
    } finally {
      delete (listener as Partial<PgListener>).isListening;
    }
  });

  it('a unit renamed through one replica shows its new name there at once, and at the other soon', async () => {
    const { hd } = a.fixture.units;
    expect([await unitNames(a), await unitNames(b)]).toEqual([
      [hd.name, hd.name],
      [hd.name, hd.name],
    ]);
    const [{ version }] = await a.dataSource.query<{ version: number }[]>(
      'SELECT version FROM org_unit WHERE id = $1',
      [hd.id],
    );
    const input = { id: hd.id, version, name: '海淀街道（新）' };
    dataOf(await a.gql(RENAME, { input }, await a.token('admin')));
    expect(await unitNames(a)).toEqual([input.name, input.name]);
    await namedSoon(b, input.name);
  });

  it('a unit changed by another writer (an import, a script) shows soon at both', async () => {
    const { hd } = a.fixture.units;
    await a.dataSource.query(`UPDATE org_unit SET name = '海淀街道办事处' WHERE id = $1`, [hd.id]);
    for (const api of [a, b]) await namedSoon(api, '海淀街道办事处');
  });
});
