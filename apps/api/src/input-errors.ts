import { BREAK, GraphQLError, Kind, parse, visit, type ASTNode, type GraphQLFormattedError } from 'graphql';
import { ErrorCode, InvalidDateTimeError } from '@zhezi/core';

/** Apollo's variable-coercion errors name the bad spot only in prose: `… at "filter.dueFrom"; …`. */
const VARIABLE_ERROR = /^Variable "\$(\w+)" got invalid value .*?(?: at "\1\.([^"]+)")?;/s;

/** The field a variable-coercion message names: inside an input object as class-validator does, else the variable. */
export function variableField(message: string): string | undefined {
  const variable = VARIABLE_ERROR.exec(message);
  return variable ? (variable[2] ?? variable[1]) : undefined;
}

/**
 * A value a scalar refused (an impossible date, "now"): BAD_USER_INPUT with its field, the same whether it came
 * in a variable or was written into the query, where graphql-js would report it as a validation failure.
 */
export function scalarInputError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError | null {
  let cause = error;
  while (cause instanceof GraphQLError && cause.originalError) cause = cause.originalError;
  if (!(cause instanceof InvalidDateTimeError)) return null;
  const field = variableField(formatted.message) ?? literalField(error);
  return {
    message: cause.message,
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.BAD_USER_INPUT, ...(field && { field }) },
  };
}

/**
 * Where a refused literal sits, found again in the query text by its position: `dueFrom` for
 * `unitBoard(filter: { dueFrom: "now" })` (inside an input object, as for variables), `from` for `x(from: "now")`.
 */
function literalField(error: unknown): string | undefined {
  const target = error instanceof GraphQLError ? error.nodes?.[0] : undefined;
  if (!target?.loc || !(error as GraphQLError).source) return undefined;
  const document = parse((error as GraphQLError).source!);
  let field: string | undefined;
  visit(document, {
    enter(node, _key, _parent, path) {
      if (node.kind !== target.kind || node.loc?.start !== target.loc!.start) return undefined;
      field = namesAlong(document, path);
      return BREAK;
    },
  });
  return field;
}

function namesAlong(document: ASTNode, path: readonly (string | number)[]): string {
  const names: string[] = [];
  let current: unknown = document;
  let inList = false;
  let argumentIsObject = false;
  for (const key of path) {
    current = (current as Record<string | number, unknown>)[key];
    if (typeof key === 'number' && inList) names.push(String(key));
    const node = current as ASTNode;
    if (node.kind === Kind.ARGUMENT || node.kind === Kind.OBJECT_FIELD) {
      if (node.kind === Kind.ARGUMENT) argumentIsObject = node.value.kind === Kind.OBJECT;
      names.push(node.name.value);
    }
    if (typeof key === 'string') inList = node.kind === Kind.LIST || (inList && key === 'values');
  }
  return (argumentIsObject ? names.slice(1) : names).join('.');
}
