import { Field, Int, ObjectType, ArgsType } from '@nestjs/graphql';
import { Max, Min, IsOptional, IsString } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
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
  /** Sort value of the last row seen, as ISO text for dates. */
  k: string;
  id: string;
}

function encodeCursor(keyset: Keyset): string {
  return Buffer.from(JSON.stringify(keyset)).toString('base64url');
}

function decodeCursor(cursor: string): Keyset {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as Keyset;
    if (typeof parsed.k === 'string' && typeof parsed.id === 'string') return parsed;
  } catch {
    // fall through to the typed error
  }
  throw badInput('after', '分页游标无效');
}

/**
 * Keyset pagination on (sortColumn, id): stable under inserts, and index-friendly where an index on
 * (sortColumn, id) exists. `sortColumn` is an SQL expression over the query's alias, never user input.
 */
export async function paginate<T extends ObjectLiteral & { id: string }>(
  qb: SelectQueryBuilder<T>,
  args: PageArgs,
  sortColumn: string,
  sortValue: (row: T) => Date | string,
): Promise<Connection<T>> {
  const first = args.first ?? 20;
  const idColumn = `${qb.alias}.id`;
  const totalCount = await qb.clone().getCount();
  const page = qb
    .clone()
    .orderBy(sortColumn, 'ASC')
    .addOrderBy(idColumn, 'ASC')
    .limit(first + 1);
  if (args.after) {
    const { k, id } = decodeCursor(args.after);
    page.andWhere(`(${sortColumn}, ${idColumn}) > (:cursorK, :cursorId)`, { cursorK: k, cursorId: id });
  }
  const rows = await page.getMany();
  const hasNextPage = rows.length > first;
  const edges = rows.slice(0, first).map((node) => {
    const value = sortValue(node);
    return {
      node,
      cursor: encodeCursor({ k: value instanceof Date ? value.toISOString() : value, id: node.id }),
    };
  });
  return { edges, totalCount, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
}
