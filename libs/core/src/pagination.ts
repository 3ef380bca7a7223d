import { Field, Int, ObjectType, ArgsType } from '@nestjs/graphql';
import { isUUID, Max, Min, IsOptional, IsString } from 'class-validator';
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { DriverUtils } from 'typeorm/driver/DriverUtils';
import { queryHydrator } from './entity-rows';
import { badInput } from './errors';

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: 20, description: '每页条数（1–100）' })
  @IsOptional()
  @Min(1)
  @Max(100)
  first?: number;

  @Field({ nullable: true, description: '上一页的 endCursor' })
  @IsOptional()
  @IsString()
  after?: string;
}

@ObjectType()
export class PageInfo {
  @Field(() => String, { nullable: true })
  endCursor!: string | null;

  @Field()
  hasNextPage!: boolean;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount: number;
}

type Type<T> = new (...args: never[]) => T;

/** Builds the GraphQL `XConnection` and `XEdge` types for a node type. */
export function ConnectionType<T>(node: Type<T>, name: string): Type<Connection<T>> {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field()
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionClass {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int)
    totalCount!: number;
  }
  return ConnectionClass as Type<Connection<T>>;
}

interface Keyset {
  /** Sort key(s) of the last row seen: a timestamp as ISO text, or an integer position. */
  k: string | number | (string | number)[];
  id: string;
}

/** The sort column's type, which the cursor's key must match. */
export type SortKeyType = 'timestamp' | 'int';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function encodeCursor(keyset: Keyset): string {
  return Buffer.from(JSON.stringify(keyset)).toString('base64url');
}

function decodeCursor(cursor: string, keyType: SortKeyType): Keyset {
  const parsed = parseCursor<Partial<Keyset>>(cursor);
  if (isSortKey(parsed?.k, keyType) && isCursorId(parsed?.id)) return { k: parsed.k, id: parsed.id };
  throw badInput('after', '分页游标无效');
}

/** A cursor's JSON, or null for anything that is not base64url JSON. */
function parseCursor<T>(cursor: string): T | null {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString()) as T | null;
  } catch {
    return null;
  }
}

// Checked strictly: PostgreSQL would accept "yesterday" as a timestamp, and a bad uuid is a 500.
function isSortKey(k: unknown, keyType: SortKeyType): k is string | number {
  return keyType === 'int'
    ? Number.isSafeInteger(k)
    : typeof k === 'string' && ISO_INSTANT.test(k) && !Number.isNaN(Date.parse(k));
}

const isCursorId = (id: unknown): id is string => typeof id === 'string' && isUUID(id);

/**
 * Keyset pagination on (sortColumn, id), a timestamp (or integer) column and the uuid key: stable under inserts, and
 * index-friendly where an index on (sortColumn, id) exists. `sortColumn` is SQL over the query's alias,
 * never user input.
 */
export async function paginate<T extends ObjectLiteral & { id: string }>(
  qb: SelectQueryBuilder<T>,
  args: PageArgs,
  sortColumn: string,
  sortValue: (row: T) => Date | number,
  direction: 'ASC' | 'DESC' = 'ASC',
  /** Where a read model already knows the total, counting every matching row is waste. */
  count: () => Promise<number> = () => qb.clone().getCount(),
  keyType: SortKeyType = 'timestamp',
): Promise<Connection<T>> {
  const first = args.first ?? 20;
  const idColumn = `${qb.alias}.id`;
  const totalCount = await count();
  const page = qb
    .clone()
    .orderBy(sortColumn, direction)
    .addOrderBy(idColumn, direction)
    .limit(first + 1);
  if (args.after) {
    const { k, id } = decodeCursor(args.after, keyType);
    const after = direction === 'ASC' ? '>' : '<';
    page.andWhere(`(${sortColumn}, ${idColumn}) ${after} (:cursorK, :cursorId)`, {
      cursorK: k,
      cursorId: id,
    });
  }
  const rows = await page.getMany();
  return connectionOf(rows, first, totalCount, (node) =>
    encodeCursor({ k: keyText(sortValue(node)), id: node.id }),
  );
}

const keyText = (key: Date | number) => (key instanceof Date ? key.toISOString() : key);

/** A page of `first` rows out of the `first + 1` read: the extra row only says that there is a next page. */
function connectionOf<T>(
  rows: T[],
  first: number,
  totalCount: number,
  cursorOf: (row: T, index: number) => string,
): Connection<T> {
  // An edge's cursor is encoded only if asked for: a board's client reads the end cursor alone, and encoding one
  // per row was 2-3 % of an executed board's CPU.
  const edges = rows.slice(0, first).map((node, i) => ({
    node,
    get cursor() {
      return cursorOf(node, i);
    },
  }));
  const last = edges.length - 1;
  return {
    edges,
    totalCount,
    pageInfo: { hasNextPage: rows.length > first, endCursor: last < 0 ? null : cursorOf(rows[last], last) },
  };
}

/** One key of a keyset order: SQL over the query's alias (never user input), and its type. */
export interface SortKey {
  sql: string;
  type: SortKeyType;
}

/** Every field name asked for below the field being resolved, through fragments: what a page's items show. */
export function fieldsAsked(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): Set<string> {
  const names = new Set<string>();
  const visit = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      visit(
        selection.kind === Kind.FRAGMENT_SPREAD
          ? info.fragments[selection.name.value]?.selectionSet
          : selection.selectionSet,
      );
    }
  };
  info.fieldNodes.forEach((node) => visit(node.selectionSet));
  return names;
}

/**
 * A page's total read along in the page's own statement, a round trip less than a count of its own: a scalar
 * subquery (named parameters `params`). Where it is NULL, or the page has no row to carry it, `count` is asked.
 */
export interface InlineCount {
  sql: string;
  params: ObjectLiteral;
  count: () => Promise<number>;
}

/**
 * Keyset pagination on several keys and the uuid key, all in one direction (e.g. light, then due date). The
 * keys' values are read back from the rows, so a key may be any expression (a rank), not only a column.
 */
export async function paginateByKeys<T extends ObjectLiteral & { id: string }>(
  qb: SelectQueryBuilder<T>,
  args: PageArgs,
  keys: readonly SortKey[],
  direction: 'ASC' | 'DESC',
  count: (() => Promise<number>) | InlineCount,
  /** Values to read with each row of the page (see RowExtras); `onRow` gets each row's. */
  extras?: { columns: RowExtras; onRow: (id: string, values: Record<string, unknown>) => void },
): Promise<Connection<T>> {
  const first = args.first ?? 20;
  const idColumn = `${qb.alias}.id`;
  const page = qb.clone().limit(first + 1);
  if (typeof count !== 'function') page.addSelect(count.sql, 'page_total').setParameters(count.params);
  keys.forEach((key, i) => page.addSelect(key.sql, `sort_${i}`).addOrderBy(key.sql, direction));
  page.addOrderBy(idColumn, direction);
  if (args.after) {
    const parsed = parseCursor<{ k?: unknown; id?: unknown }>(args.after);
    const values = Array.isArray(parsed?.k) ? (parsed.k as unknown[]) : [];
    if (
      values.length !== keys.length ||
      !keys.every((key, i) => isSortKey(values[i], key.type)) ||
      !isCursorId(parsed?.id)
    ) {
      throw badInput('after', '分页游标无效');
    }
    const after = direction === 'ASC' ? '>' : '<';
    const params = Object.fromEntries(values.map((v, i) => [`cursor${i}`, v]));
    page.andWhere(
      `(${keys.map((k) => k.sql).join(', ')}, ${idColumn}) ${after} (${keys.map((_, i) => `:cursor${i}`).join(', ')}, :cursorId)`,
      { ...params, cursorId: parsed.id },
    );
  }
  const raw = extras
    ? await readWithExtras(page, keys.length, direction, extras.columns)
    : await page.getRawMany<Record<string, unknown>>();
  const totalCount =
    typeof count === 'function'
      ? await count()
      : ((raw[0]?.page_total as number | null | undefined) ?? (await count.count()));
  // Without joined selections each row is one entity, in the same order.
  const entities = raw.map(queryHydrator(page));
  if (extras) {
    const names = Object.keys(extras.columns);
    raw.forEach((row, i) => extras.onRow(entities[i].id, Object.fromEntries(names.map((n) => [n, row[n]]))));
  }
  return connectionOf(entities, first, totalCount, (node, i) =>
    encodeCursor({ k: keys.map((_, k) => keyText(raw[i][`sort_${k}`] as Date | number)), id: node.id }),
  );
}

/**
 * Values read with each row of a page, by name: SQL over an alias that holds the row's `id` (never user input),
 * such as a subquery over the row's reports.
 */
export type RowExtras = Record<string, (row: string) => string>;

/**
 * A page's rows and their extras in one statement. The extras are computed over the page once it is cut: in the
 * page's own select list PostgreSQL evaluates them for every row it sorts, not only for the rows returned. Read
 * through the DataSource: not for a query builder bound to a transaction's runner.
 */
async function readWithExtras<T extends ObjectLiteral>(
  page: SelectQueryBuilder<T>,
  keys: number,
  direction: 'ASC' | 'DESC',
  extras: RowExtras,
): Promise<Record<string, unknown>[]> {
  const [sql, params] = page.getQueryAndParameters();
  const id = `p."${DriverUtils.buildAlias(page.connection.driver, undefined, page.alias, 'id')}"`;
  const columns = Object.entries(extras).map(([name, value]) => `${value('page_row')} AS "${name}"`);
  const order = [...Array.from({ length: keys }, (_, i) => `p.sort_${i}`), id];
  return page.connection.query<Record<string, unknown>[]>(
    `SELECT p.*, ${columns.join(', ')} FROM (${sql}) p, LATERAL (SELECT ${id} AS id) page_row
     ORDER BY ${order.map((c) => `${c} ${direction}`).join(', ')}`,
    params,
  );
}

/**
 * A page of a list already in memory and in its final order (a board's few hundred units): the cursor names
 * the last item's key, so a page stays put when the figures (and the order) move between requests.
 */
export function sliceConnection<T>(
  items: readonly T[],
  args: PageArgs,
  keyOf: (item: T) => string,
): Connection<T> {
  const first = args.first ?? 20;
  let start = 0;
  if (args.after) {
    const key = decodeItemCursor(args.after);
    start = items.findIndex((item) => keyOf(item) === key) + 1;
    if (start === 0) throw badInput('after', '分页游标无效');
  }
  const edges = items.slice(start, start + first).map((node) => ({
    node,
    cursor: Buffer.from(JSON.stringify({ key: keyOf(node) })).toString('base64url'),
  }));
  return {
    edges,
    totalCount: items.length,
    pageInfo: { hasNextPage: start + first < items.length, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

function decodeItemCursor(cursor: string): string {
  const parsed = parseCursor<{ key?: unknown }>(cursor);
  if (typeof parsed?.key === 'string') return parsed.key;
  throw badInput('after', '分页游标无效');
}
