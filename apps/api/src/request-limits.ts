import {
  GraphQLError,
  Kind,
  Lexer,
  parse,
  Source,
  TokenKind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { RequestLimits } from '@zhezi/core';
import { QueryLimitCode } from './query-limits';

/**
 * Reads a request's query within the limits, before graphql-js validates it: validation compares every pair of
 * fields answering to one name in a selection set (OverlappingFieldsCanBeMerged), so 16,000 `id`s took 9 s and
 * 3,000 clashing `orgUnits` 44 s. Everything here is linear in what it is allowed to read, and stops at the limit.
 *
 * Returns the document, a QUERY_TOO_COMPLEX refusal, or the syntax error of a query that does not parse.
 */
export function readWithinLimits(
  query: string,
  variables: unknown,
  limits: RequestLimits,
): { document: DocumentNode } | { refusal: GraphQLError } | { syntaxError: GraphQLError } {
  // Comments, whitespace and string literals are not tokens, and a block string is split into lines.
  if (query.length > limits.maxLength) {
    return { refusal: tooLarge(`查询过长（${query.length} 个字符，上限 ${limits.maxLength}）`) };
  }
  const tooMany = variablesRefusal(variables, limits);
  if (tooMany) return { refusal: tooMany };
  try {
    if (tokenCount(query, limits.maxTokens) > limits.maxTokens) {
      return { refusal: tooLarge(`查询过长（超过 ${limits.maxTokens} 个词法单元）`) };
    }
    const document = parse(query);
    const refusal = checkDocument(document, limits);
    return refusal ? { refusal } : { document };
  } catch (error) {
    if (error instanceof GraphQLError) return { syntaxError: error };
    // The parser (and the fragment walk below) recurse once per level: a few thousand nested braces, or a long
    // enough chain of fragments under a raised token limit, exhaust the stack.
    if (error instanceof RangeError) return { refusal: tooLarge('查询嵌套过深，无法解析') };
    throw error;
  }
}

/** The refusal of variables holding more JSON values than the limit, or null. */
export function variablesRefusal(variables: unknown, limits: RequestLimits): GraphQLError | null {
  const values = countValues(variables, limits.maxVariableValues);
  return values > limits.maxVariableValues
    ? tooLarge(`变量过大（超过 ${limits.maxVariableValues} 个值）`)
    : null;
}

/** Tokens up to one past the limit (the lexer throws a GraphQLError on a character it cannot read). */
function tokenCount(query: string, max: number): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  while (count <= max && lexer.advance().kind !== TokenKind.EOF) count++;
  return count;
}

/** JSON values in the variables, counted without recursion and given up on past `max`. */
function countValues(value: unknown, max: number): number {
  if (value === undefined || value === null) return 0;
  const pending: unknown[] = [value];
  let count = 1;
  while (pending.length && count <= max) {
    const next = pending.pop();
    if (typeof next !== 'object' || next === null) continue;
    for (const child of Array.isArray(next) ? next : Object.values(next)) {
      if (++count > max) break;
      pending.push(child);
    }
  }
  return count;
}

/**
 * Counts fields as written, then, for every selection set, the fields answering to each response name with the
 * fragments spread into it: validation's pairwise work is bounded by fields × repeated fields.
 */
function checkDocument(document: DocumentNode, limits: RequestLimits): GraphQLError | undefined {
  const sets: SelectionSetNode[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    if ('selectionSet' in definition && definition.selectionSet) sets.push(definition.selectionSet);
  }
  let fields = 0;
  for (let i = 0; i < sets.length; i++) {
    for (const selection of sets[i].selections) {
      if (selection.kind === Kind.FIELD) fields++;
      if (selection.kind !== Kind.FRAGMENT_SPREAD && selection.selectionSet)
        sets.push(selection.selectionSet);
    }
  }
  if (fields > limits.maxFields) {
    return tooLarge(`查询字段过多（${fields} 个，上限 ${limits.maxFields}）`);
  }
  const names = new ResponseNames(fragments);
  for (const set of sets) {
    for (const [name, count] of names.of(set)) {
      if (count > limits.maxRepeatedFields) {
        return tooLarge(`同一位置的字段“${name}”重复过多（${count} 次，上限 ${limits.maxRepeatedFields}）`);
      }
    }
  }
  return undefined;
}

/** How many fields answer to each response name at the top of a selection set, inline and named fragments merged. */
class ResponseNames {
  /** Per fragment, once; an entry is set before its spreads are followed, so a cycle (refused later) ends. */
  private readonly byFragment = new Map<string, Map<string, number>>();

  constructor(private readonly fragments: Map<string, FragmentDefinitionNode>) {}

  of(set: SelectionSetNode): Map<string, number> {
    const counts = new Map<string, number>();
    // Spreading a fragment twice in one set is validated (and executed) once.
    const spreads = new Set<string>();
    this.collect(set, counts, spreads);
    for (const name of spreads) {
      for (const [field, count] of this.ofFragment(name)) counts.set(field, (counts.get(field) ?? 0) + count);
    }
    return counts;
  }

  private collect(set: SelectionSetNode, counts: Map<string, number>, spreads: Set<string>): void {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = (selection.alias ?? selection.name).value;
        counts.set(name, (counts.get(name) ?? 0) + 1);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        this.collect(selection.selectionSet, counts, spreads);
      } else {
        spreads.add(selection.name.value);
      }
    }
  }

  private ofFragment(name: string): Map<string, number> {
    let counts = this.byFragment.get(name);
    if (counts) return counts;
    counts = new Map();
    this.byFragment.set(name, counts);
    const fragment = this.fragments.get(name);
    if (fragment) for (const [field, count] of this.of(fragment.selectionSet)) counts.set(field, count);
    return counts;
  }
}

function tooLarge(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: QueryLimitCode.TOO_COMPLEX } });
}
