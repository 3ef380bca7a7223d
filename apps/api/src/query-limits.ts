import type { ApolloServerPlugin } from '@apollo/server';
import {
  getVariableValues,
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import {
  fieldExtensionsEstimator,
  getComplexity,
  simpleEstimator,
  type ComplexityEstimator,
} from 'graphql-query-complexity';
import type { QueryLimits } from '@zhezi/core';
import { PassedChecks } from './passed-checks';

export const QueryLimitCode = {
  TOO_DEEP: 'QUERY_TOO_DEEP',
  TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
} as const;

/** Introspection (GraphiQL, codegen) nests deeply by nature; its cost is still counted. */
const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

/** The complexity walk gives up after this many fields (fragments expanded), which is what a fragment bomb hits. */
const MAX_QUERY_NODES = 10_000;
/** How many passed requests are remembered, and the longest key (variables included) worth remembering. */
const MAX_PASSED = 1000;
const MAX_PASSED_KEY = 4096;

/** What graphql-query-complexity throws then. */
const TOO_MANY_NODES = 'Query exceeds the maximum allowed number of nodes.';

export interface Operation {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables?: Record<string, unknown>;
}

/**
 * Refuses an operation nested deeper or estimated costlier than the limits, with `QUERY_TOO_DEEP` or
 * `QUERY_TOO_COMPLEX` (HTTP 400). Runs after validation, before execution, so variables count.
 */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin {
  // Requests that passed, by query, operation and variables: a board asked again and again is walked once.
  const passed = new PassedChecks(MAX_PASSED, MAX_PASSED_KEY);
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation: ({ schema, document, operation, request, queryHash }) => {
          // No operation: Apollo answers OPERATION_RESOLUTION_FAILURE next.
          if (!operation) return Promise.resolve();
          const key = `${queryHash}|${operation.name?.value ?? ''}|${JSON.stringify(request.variables ?? {})}`;
          if (passed.has(key)) return Promise.resolve();
          checkQueryLimits({ schema, document, operation, variables: request.variables }, limits);
          passed.add(key);
          return Promise.resolve();
        },
      }),
  };
}

export function checkQueryLimits(op: Operation, limits: QueryLimits): void {
  const fragments = fragmentsOf(op.document);
  const depth = selectionDepth(op.operation.selectionSet, fragments, new Map());
  if (depth > limits.maxDepth) {
    throw limitError(QueryLimitCode.TOO_DEEP, `查询嵌套过深（${depth} 层，上限 ${limits.maxDepth} 层）`);
  }
  const complexity = estimateComplexity(op, fragments);
  if (complexity > limits.maxComplexity) {
    throw limitError(
      QueryLimitCode.TOO_COMPLEX,
      Number.isFinite(complexity)
        ? `查询过于复杂（估算 ${complexity}，上限 ${limits.maxComplexity}）`
        : `查询过于复杂（展开后超过 ${MAX_QUERY_NODES} 个字段）`,
    );
  }
}

/** Field nesting below a selection set: `{ a }` is 1, `{ a { b } }` is 2; fragments add no level of their own. */
function selectionDepth(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  // Depth of each named fragment, so a fragment spread many times is walked once (and a cycle ends).
  memo: Map<string, number>,
): number {
  let depth = 0;
  for (const selection of selectionSet.selections) {
    let below = 0;
    if (selection.kind === Kind.FIELD) {
      if (INTROSPECTION_ROOTS.has(selection.name.value)) continue;
      below = 1 + (selection.selectionSet ? selectionDepth(selection.selectionSet, fragments, memo) : 0);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      below = selectionDepth(selection.selectionSet, fragments, memo);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!memo.has(name) && fragment) {
        memo.set(name, 0);
        memo.set(name, selectionDepth(fragment.selectionSet, fragments, memo));
      }
      below = memo.get(name) ?? 0;
    }
    depth = Math.max(depth, below);
  }
  return depth;
}

/**
 * One per field; a paginated field (`first`/`last`) costs its selection once per row asked for. Infinity when
 * the walk gives up on sheer size; 0 when the variables do not coerce (execution then answers BAD_USER_INPUT).
 */
function estimateComplexity(op: Operation, fragments: Map<string, FragmentDefinitionNode>): number {
  const variables = op.variables ?? {};
  if (getVariableValues(op.schema, op.operation.variableDefinitions ?? [], variables).errors) return 0;
  // Only the operation being run, not its siblings in the document.
  const query: DocumentNode = { kind: Kind.DOCUMENT, definitions: [op.operation, ...fragments.values()] };
  try {
    return getComplexity({
      schema: op.schema,
      query,
      variables,
      maxQueryNodes: MAX_QUERY_NODES,
      estimators: [fieldExtensionsEstimator(), pageEstimator, simpleEstimator({ defaultComplexity: 1 })],
    });
  } catch (error) {
    if (error instanceof GraphQLError && error.message === TOO_MANY_NODES) return Infinity;
    throw error;
  }
}

const pageEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  const pageArgs = field.args.filter((arg) => arg.name === 'first' || arg.name === 'last');
  if (!pageArgs.length) return undefined;
  // An explicit `first: null` gets the resolver's default page, which the schema states as the default value.
  const fallback = pageArgs.map((arg) => arg.defaultValue).find((value) => typeof value === 'number');
  const rows = Number(args.first ?? args.last ?? fallback ?? 1);
  // A negative page would subtract from its siblings' cost; the resolver rejects it anyway.
  return childComplexity * Math.max(rows, 0) + 1;
};

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

function limitError(code: string, message: string): GraphQLError {
  // A client error like validation failures, not the 500 Apollo gives a plugin's error by default.
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}
