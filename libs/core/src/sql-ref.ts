/**
 * A table as one query names it. SQL fragments built elsewhere (access conditions, shared expressions) take
 * the reference rather than assuming an alias, so a query's aliases are its own and the types say which table
 * a fragment expects.
 */
export interface TableRef<T extends string> {
  readonly table: T;
  readonly alias: string;
}

/** A column of a referenced table, as SQL text. */
export type SqlColumn<T extends string = string> = string & { readonly __table: T };

export const tableRef = <T extends string>(table: T, alias: string): TableRef<T> => ({ table, alias });

export const column = <T extends string>(ref: TableRef<T>, name: string): SqlColumn<T> =>
  `${ref.alias}.${name}` as SqlColumn<T>;
