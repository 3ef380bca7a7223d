import DataLoader from 'dataloader';
import {
  In,
  type FindOptionsOrder,
  type FindOptionsWhere,
  type ObjectLiteral,
  type Repository,
} from 'typeorm';
import type { Actor } from './actor';
import { readByIds } from './entity-rows';

/** The GraphQL context: one per request. */
export interface RequestContext {
  req: { headers: Record<string, string | string[] | undefined> };
  /** The HTTP response, for the session cookie; none on a graphql-ws connection. */
  res?: {
    cookie(name: string, value: string, options: object): unknown;
    clearCookie(name: string, options: object): unknown;
  };
  actor?: Actor;
  loaders: Map<string, DataLoader<unknown, unknown>>;
}

/**
 * A DataLoader that also answers a primed key (a value a page's own statement read ahead) without a promise:
 * when every field of a list's items answers that way, GraphQL completes the list synchronously.
 */
export class RequestLoader<K, V> extends DataLoader<K, V> {
  private readonly primed = new Map<K, V>();

  override prime(key: K, value: V | PromiseLike<V> | Error): this {
    const plain = !(value instanceof Error) && typeof (value as PromiseLike<V>)?.then !== 'function';
    if (plain) this.primed.set(key, value as V);
    return super.prime(key, value);
  }

  override clear(key: K): this {
    this.primed.delete(key);
    return super.clear(key);
  }

  override clearAll(): this {
    this.primed.clear();
    return super.clearAll();
  }

  /** The primed value itself, or a promise of the loaded one. */
  get(key: K): V | Promise<V> {
    return this.primed.has(key) ? (this.primed.get(key) as V) : this.load(key);
  }
}

/** A DataLoader that lives as long as the request: batches a resolver level into one query, caches within it. */
export function requestLoader<K, V>(
  ctx: RequestContext,
  key: string,
  batch: (keys: readonly K[]) => Promise<(V | Error)[]>,
): RequestLoader<K, V> {
  let loader = ctx.loaders.get(key) as RequestLoader<K, V> | undefined;
  if (!loader) {
    loader = new RequestLoader<K, V>(batch);
    ctx.loaders.set(key, loader as DataLoader<unknown, unknown>);
  }
  return loader;
}

/** Orders rows found by one `IN (...)` query back into the loader's key order. */
export function byKey<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): (V | null)[] {
  const map = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => map.get(key) ?? null);
}

export function groupByKey<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): V[][] {
  const map = new Map<K, V[]>();
  for (const row of rows) {
    const list = map.get(keyOf(row));
    if (list) list.push(row);
    else map.set(keyOf(row), [row]);
  }
  return keys.map((key) => map.get(key) ?? []);
}

/** Rows by primary key `id`, one `IN (...)` query per batch; null where none. */
export function rowByIdLoader<T extends ObjectLiteral & { id: string }>(
  ctx: RequestContext,
  key: string,
  repository: Repository<T>,
): DataLoader<string, T | null> {
  return requestLoader<string, T | null>(ctx, key, async (ids) =>
    byKey(ids, await readByIds(repository, ids), (row) => row.id),
  );
}

/** Rows whose `column` (a foreign key) is one of the keys, grouped per key in `order`. */
export function rowsByLoader<T extends ObjectLiteral>(
  ctx: RequestContext,
  key: string,
  repository: Repository<T>,
  column: string,
  order: FindOptionsOrder<T>,
): DataLoader<string, T[]> {
  return requestLoader<string, T[]>(ctx, key, async (ids) =>
    groupByKey(
      ids,
      await repository.find({ where: { [column]: In([...ids]) } as FindOptionsWhere<T>, order }),
      (row) => row[column] as string,
    ),
  );
}
