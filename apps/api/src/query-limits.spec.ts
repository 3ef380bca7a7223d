import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApolloServer } from '@apollo/server';
import {
  buildSchema,
  getIntrospectionQuery,
  getOperationAST,
  GraphQLError,
  parse,
  validate,
  type GraphQLSchema,
} from 'graphql';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from '@zhezi/core';
import { formatError } from './graphql.config';
import { checkQueryLimits, queryLimitsPlugin } from './query-limits';

const SDL = `
  type Query {
    tasks(first: Int = 20, after: String): TaskConnection!
    notes(last: Int): [Note!]!
    task(id: ID!): Task
  }
  type TaskConnection { totalCount: Int! edges: [TaskEdge!]! }
  type TaskEdge { node: Task! }
  type Task { id: ID! title: String! parent: Task assignments: [Assignment!]! }
  type Assignment { id: ID! task: Task! }
  type Note { id: ID! }
`;
const schema = buildSchema(SDL);
const LIMITS: QueryLimits = { maxDepth: 4, maxComplexity: 100 };

/** The error the limits raise for a query, or undefined when it may run; the query must be valid. */
function refusal(
  query: string,
  variables?: Record<string, unknown>,
  limits = LIMITS,
  on: GraphQLSchema = schema,
  operationName?: string,
): { code: unknown; message: string } | undefined {
  const document = parse(query);
  expect(validate(on, document)).toEqual([]);
  const operation = getOperationAST(document, operationName);
  if (!operation) throw new Error('no operation');
  try {
    checkQueryLimits({ schema: on, document, operation, variables }, limits);
    return undefined;
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return { code: error.extensions.code, message: error.message };
  }
}

describe('query depth', () => {
  it('counts nested fields: at the limit runs, one deeper is QUERY_TOO_DEEP', () => {
    expect(refusal('{ task(id: 1) { parent { parent { id } } } }')).toBeUndefined();
    expect(refusal('{ task(id: 1) { parent { parent { parent { id } } } } }')).toEqual({
      code: 'QUERY_TOO_DEEP',
      message: '查询嵌套过深（5 层，上限 4 层）',
    });
  });

  it('expands named and inline fragments without counting them as a level', () => {
    const viaFragments = `
      { task(id: 1) { ...Up } }
      fragment Up on Task { parent { ... on Task { parent { ...Leaf } } } }
      fragment Leaf on Task { parent { id } }`;
    expect(refusal(viaFragments)?.code).toBe('QUERY_TOO_DEEP');
    expect(refusal(viaFragments, {}, { ...LIMITS, maxDepth: 5 })).toBeUndefined();
  });

  it('exempts introspection, so GraphiQL and codegen keep working', () => {
    expect(refusal(getIntrospectionQuery(), {}, { maxDepth: 2, maxComplexity: 1000 })).toBeUndefined();
    expect(refusal('{ __type(name: "Task") { fields { type { ofType { name } } } } }')).toBeUndefined();
  });

  it('walks each fragment once, so a fragment spread everywhere is cheap to measure', () => {
    const fragments = Array.from(
      { length: 30 },
      (_, i) => `fragment F${i} on Task { parent { ...F${i + 1} ...F${i + 1} } }`,
    ).join('\n');
    const query = `{ task(id: 1) { ...F0 } } ${fragments} fragment F30 on Task { id }`;
    const started = Date.now();
    expect(refusal(query, {}, { maxDepth: 100, maxComplexity: 10 ** 12 })).toEqual({
      code: 'QUERY_TOO_COMPLEX',
      message: '查询过于复杂（展开后超过 10000 个字段）',
    });
    expect(refusal(query, {}, { maxDepth: 10, maxComplexity: 10 ** 12 })).toEqual({
      code: 'QUERY_TOO_DEEP',
      message: '查询嵌套过深（32 层，上限 10 层）',
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('query complexity', () => {
  const PAGE = 'query($first: Int) { tasks(first: $first) { totalCount edges { node { id title } } } }';

  it('counts one per field, and a page once per row: 5 × first + 1 here', () => {
    expect(refusal('{ tasks(first: 19) { totalCount edges { node { id title } } } }')).toBeUndefined();
    expect(refusal('{ tasks(first: 21) { totalCount edges { node { id title } } } }')).toEqual({
      code: 'QUERY_TOO_COMPLEX',
      message: '查询过于复杂（估算 106，上限 100）',
    });
  });

  it('takes the page size from the variables', () => {
    expect(refusal(PAGE, { first: 19 })).toBeUndefined();
    expect(refusal(PAGE, { first: 40 })?.message).toBe('查询过于复杂（估算 201，上限 100）');
  });

  it('uses the default page size when first is left out or null, and `last` like `first`', () => {
    const cost = (query: string, variables: Record<string, unknown> = {}) =>
      refusal(query, variables, { ...LIMITS, maxComplexity: 1 })?.message;
    expect(cost(PAGE)).toBe('查询过于复杂（估算 101，上限 1）');
    expect(cost(PAGE, { first: null })).toBe('查询过于复杂（估算 101，上限 1）');
    expect(cost('{ notes(last: 30) { id } }')).toBe('查询过于复杂（估算 31，上限 1）');
    expect(cost('{ notes { id } }')).toBe('查询过于复杂（估算 2，上限 1）');
  });

  it('does not let a negative page pay for its siblings', () => {
    const query = `{ a: tasks(first: -100) { totalCount } b: tasks(first: 30) { edges { node { id title } } } }`;
    expect(refusal(query)?.message).toBe('查询过于复杂（估算 122，上限 100）');
  });

  it('counts only the operation being run', () => {
    const query = `query Small { task(id: 1) { id } } query Big { tasks(first: 100) { totalCount } }`;
    expect(refusal(query, {}, LIMITS, schema, 'Small')).toBeUndefined();
    expect(refusal(query, {}, LIMITS, schema, 'Big')?.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('leaves variables that do not coerce to execution, which answers BAD_USER_INPUT', () => {
    expect(refusal(PAGE, { first: 'many' })).toBeUndefined();
  });
});

describe('the default limits on the real schema', () => {
  const api = buildSchema(readFileSync(join(__dirname, '../schema.gql'), 'utf8'));

  it('let the task list with every relation through (test/dataloader.spec.ts asks for this with 100 rows)', () => {
    const query = `query($first: Int!) { tasks(first: $first) { totalCount edges { node {
      id plan { id } target { id } responsibleLeader { id } milestones { id }
      assignments {
        id orgUnit { id name parent { id } } children { id }
        light nextEscalation { label } escalations { id } supervisionNotices { id }
      }
    } } } }`;
    expect(refusal(query, { first: 100 }, DEFAULT_QUERY_LIMITS, api)).toBeUndefined();
  });

  it('refuse the same list walked up and down without end', () => {
    const query = `{ tasks(first: 100) { edges { node { assignments { task { assignments { task {
      assignments { task { assignments { id } } } } } } } } } } }`;
    expect(refusal(query, {}, DEFAULT_QUERY_LIMITS, api)?.code).toBe('QUERY_TOO_DEEP');
  });
});

describe('through Apollo', () => {
  const server = new ApolloServer({
    typeDefs: SDL,
    resolvers: { Query: { task: () => ({ id: '1', title: 't', assignments: [] }) } },
    plugins: [queryLimitsPlugin(LIMITS)],
    formatError,
  });
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  it('answers a too costly query with HTTP 400 and its code, before running anything', async () => {
    const deep = await server.executeOperation({
      query: '{ task(id: 1) { parent { parent { parent { id } } } } }',
    });
    const costly = await server.executeOperation({
      query: 'query($n: Int) { tasks(first: $n) { totalCount } }',
      variables: { n: 500 },
    });
    for (const [response, code] of [
      [deep, 'QUERY_TOO_DEEP'],
      [costly, 'QUERY_TOO_COMPLEX'],
    ] as const) {
      expect(response.http.status).toBe(400);
      expect(response.body).toEqual({
        kind: 'single',
        singleResult: { errors: [{ message: expect.any(String) as string, extensions: { code } }] },
      });
    }
  });

  it('runs a query within the limits', async () => {
    const response = await server.executeOperation({ query: '{ task(id: 1) { id title } }' });
    expect(response.body).toEqual({
      kind: 'single',
      singleResult: { data: { task: { id: '1', title: 't' } } },
    });
  });
});
