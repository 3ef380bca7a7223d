import type { EntityMetadata, ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
import { DriverUtils } from 'typeorm/driver/DriverUtils';

/**
 * Reading whole entities without TypeORM's find machinery. `findBy` builds its SQL from find options and runs the
 * generic result transformer on every call: for one user by id that was a tenth of a `{ viewer { id } }` request's
 * CPU. Here the statement and the column list are worked out once per entity, and a row becomes an entity the way
 * the transformer makes one (the same column setters and driver conversions, transformers included). The
 * entities read this way have no eager relations, listeners or inheritance, which the transformer would handle.
 */

type Hydrate<T> = (row: Record<string, unknown>) => T;

/** The columns a full read selects: not `select: false` ones (a password hash, a file's bytes). */
const selectedColumns = (metadata: EntityMetadata) =>
  metadata.columns.filter((column) => column.isSelect && !column.isVirtual);

/** Builds an entity of `metadata` from a row whose column for each entity column is named `aliasOf(column)`. */
function hydrator<T extends ObjectLiteral>(
  metadata: EntityMetadata,
  aliasOf: (databaseName: string) => string,
): Hydrate<T> {
  const { driver } = metadata.connection;
  const columns = selectedColumns(metadata).map((column) => [column, aliasOf(column.databaseName)] as const);
  return (row) => {
    const entity = metadata.create() as T;
    for (const [column, alias] of columns) {
      if (row[alias] !== undefined)
        column.setEntityValue(entity, driver.prepareHydratedValue(row[alias], column));
    }
    return entity;
  };
}

/** The main alias's entity from a row of `qb`'s columns, as the query builder names them. */
export function queryHydrator<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): Hydrate<T> {
  const { metadata, name } = qb.expressionMap.mainAlias!;
  return hydrator(metadata, (column) =>
    DriverUtils.buildAlias(qb.connection.driver, undefined, name, column),
  );
}

/** `qb`'s rows as entities of its main alias (no joined selections), skipping the result transformer. */
export async function readEntities<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): Promise<T[]> {
  return (await qb.getRawMany<Record<string, unknown>>()).map(queryHydrator(qb));
}

const byIdReads = new WeakMap<EntityMetadata, { sql: string; hydrate: Hydrate<ObjectLiteral> }>();

/**
 * The entities whose `id` (their primary key) is one of `ids`, in no particular order, on the repository's
 * connection or transaction.
 */
export async function readByIds<T extends ObjectLiteral & { id: string }>(
  repository: Repository<T>,
  ids: readonly string[],
): Promise<T[]> {
  const { metadata, manager } = repository;
  let read = byIdReads.get(metadata);
  if (!read) {
    const { driver } = metadata.connection;
    const columns = selectedColumns(metadata).map((column) => driver.escape(column.databaseName));
    const table = metadata.tablePath
      .split('.')
      .map((part) => driver.escape(part))
      .join('.');
    read = {
      sql: `SELECT ${columns.join(', ')} FROM ${table} WHERE ${driver.escape(metadata.primaryColumns[0].databaseName)} = ANY($1)`,
      hydrate: hydrator(metadata, (column) => column),
    };
    byIdReads.set(metadata, read);
  }
  const rows = await manager.query<Record<string, unknown>[]>(read.sql, [ids]);
  return rows.map(read.hydrate as Hydrate<T>);
}
