import { createClient } from 'graphql-ws';
// Node 20 has no global WebSocket.
import WebSocket from 'ws';
import { loadConfig } from '@zhezi/core';
import { startTestApi, type TestApi } from './support/test-api';

/**
 * Requests shaped to make graphql-js validation (or parsing) take seconds are refused before it runs, quickly, and
 * do not hold up the requests around them. The figures behind the limits are in docs/benchmarks.md.
 */

/** Wall time a refusal may take on a loaded test machine; unbounded, the smallest of these took seconds. */
const REFUSED_WITHIN_MS = 2000;

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

interface Answer {
  status: number;
  ms: number;
  codes: string[];
  messages: string[];
}

async function send(url: string, body: string | object, token?: string): Promise<Answer> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: text,
  });
  const json = (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
  return {
    status: response.status,
    ms: performance.now() - started,
    codes: (json.errors ?? []).map((error) => error.extensions?.code ?? ''),
    messages: (json.errors ?? []).map((error) => error.message),
  };
}

/** A tree of `parent` fields, `width` of them at every level: few tokens, many pairs to compare. */
const nested = (width: number, depth: number): string =>
  depth === 0
    ? 'id'
    : range(width)
        .map(() => `parent { ${nested(width, depth - 1)} }`)
        .join(' ');

interface Bomb {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  refusal: { status: number; codes: string[] };
}
/** A body past the JSON body limit is refused as it is read; anything smaller by the request limits. */
const bomb = (name: string, query: string, variables?: Record<string, unknown>): Bomb => ({
  name,
  query,
  variables,
  refusal:
    Buffer.byteLength(JSON.stringify({ query, variables })) > loadConfig({}).files.graphqlMaxBodyBytes
      ? { status: 413, codes: ['PAYLOAD_TOO_LARGE'] }
      : { status: 400, codes: ['QUERY_TOO_COMPLEX'] },
});

const BOMBS: Bomb[] = [
  // The shapes of issue 12: 48 KB with a fresh operation name (no validation cache), 11 MB, 3,000 clashing aliases.
  bomb('16,000 repeated ids', `query N${Date.now()} { viewer { ${'id '.repeat(16_000)} } }`),
  bomb('__typename ×1,000,000', `{ ${'__typename '.repeat(1_000_000)} }`),
  bomb(
    '3,000 aliases with clashing arguments',
    `{ ${range(3000)
      .map((i) => `a: orgUnits(parentId: "${i}") { id }`)
      .join(' ')} }`,
  ),
  // Small enough for the token and field limits, caught by the repeated-field limit.
  bomb(
    '100 clashing fields without aliases',
    `{ ${range(100)
      .map((i) => `orgUnits(parentId: "${i}") { id }`)
      .join(' ')} }`,
  ),
  bomb(
    '200 fragments answering to one name',
    `{ ${range(200)
      .map((i) => `...F${i}`)
      .join(' ')} } ` +
      range(200)
        .map((i) => `fragment F${i} on Query { orgUnits(parentId: "${i}") { id } }`)
        .join(' '),
  ),
  bomb('nested repeats, two per level', `{ viewer { orgUnit { ${nested(2, 9)} } } }`),
  bomb(
    '5,000 unused fragments',
    range(5000)
      .map((i) => `fragment F${i} on Query { __typename }`)
      .join(' ') + ' { __typename }',
  ),
  bomb(
    '5,000 operations',
    range(5000)
      .map((i) => `query Q${i} { __typename }`)
      .join(' '),
  ),
  bomb('5,000 directives', `{ viewer ${'@include(if: true) '.repeat(5000)} { id } }`),
  bomb('3,000 levels of braces', `{ ${'viewer { '.repeat(3000)} id ${'} '.repeat(3000)} }`),
  bomb('a 1 MB string literal', `{ suggestUnits(text: "${'水'.repeat(1_000_000)}") { score } }`),
  bomb('a 1 MB block string', `{ suggestUnits(text: """${'x\n'.repeat(500_000)}""") { score } }`),
  bomb('a 1 MB number', `{ tasks(first: ${'9'.repeat(1_000_000)}) { totalCount } }`),
  bomb('a 1 MB comment', `{ __typename }\n#${'x'.repeat(1_000_000)}\n`),
  // Variables are coerced before anything runs, however many the operation declares.
  bomb('100,000 variable values', '{ __typename }', { ids: range(100_000).map(String) }),
];

describe('request limits (issue 12)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });

  afterAll(() => api.close());

  it.each(BOMBS)('refuses $name before validating it', async ({ query, variables, refusal }) => {
    const answer = await send(api.url, { query, variables });
    expect(answer).toMatchObject(refusal);
    expect(answer.ms).toBeLessThan(REFUSED_WITHIN_MS);
  });

  it('refuses variables nested 60,000 deep (which JSON.stringify cannot even write)', async () => {
    const body = `{"query":"{ __typename }","variables":{"v":${'['.repeat(60_000)}${']'.repeat(60_000)}}}`;
    expect(await send(api.url, body)).toMatchObject({ status: 400, codes: ['QUERY_TOO_COMPLEX'] });
  });

  it('counts the variables of a query it has let through before, every time', async () => {
    const query = 'query Remembered { __typename }';
    expect(await send(api.url, { query })).toMatchObject({ status: 200 });
    expect(await send(api.url, { query, variables: { ids: range(100_000).map(String) } })).toMatchObject({
      status: 400,
      codes: ['QUERY_TOO_COMPLEX'],
    });
  });

  it('still runs what stays within them: a fragment bomb is refused by its cost, after a cheap validation', async () => {
    const fragments = range(30)
      .map((i) => `fragment F${i} on OrgUnit { parent { ...F${i + 1} ...F${i + 1} } }`)
      .join(' ');
    const answer = await send(api.url, {
      query: `{ viewer { orgUnit { ...F0 } } } ${fragments} fragment F30 on OrgUnit { id }`,
    });
    expect(answer).toMatchObject({ status: 400, codes: ['QUERY_TOO_DEEP'] });
    expect(answer.ms).toBeLessThan(REFUSED_WITHIN_MS);
  });

  it('lets ordinary queries through: introspection, a few repeated fields, syntax errors for Apollo to report', async () => {
    const token = await api.token('leader');
    const introspection = await send(api.url, {
      query: `{ __schema { types { name fields { name args { name type { name ofType { name } } } } } } }`,
    });
    expect(introspection.status).toBe(200);
    const repeated = await send(
      api.url,
      { query: '{ viewer { id id ...U ... on User { id } } } fragment U on User { id }' },
      token,
    );
    expect(repeated).toMatchObject({ status: 200, codes: [] });
    const broken = await send(api.url, { query: '{ viewer { id ' });
    expect(broken).toMatchObject({ status: 400, codes: ['GRAPHQL_PARSE_FAILED'] });
    const variables = await send(api.url, {
      query: '{ __typename }',
      variables: { ids: range(1000).map(String) },
    });
    expect(variables).toMatchObject({ status: 200, codes: [] });
    const suggested = await send(api.url, { query: '{ viewr { id } }' });
    expect(suggested.messages).toEqual([
      'Cannot query field "viewr" on type "Query". Did you mean "viewer"?',
    ]);
  });

  it('refuses a bomb sent in the URL of a GET request too', async () => {
    const query = `{ ${'__typename '.repeat(30)} }`;
    const response = await fetch(`${api.url}?query=${encodeURIComponent(query)}`, {
      headers: { 'apollo-require-preflight': 'yes' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'QUERY_TOO_COMPLEX' } }] });
  });

  it('answers a normal query sent alongside bombs without waiting for them', async () => {
    const token = await api.token('leader');
    const normal = () => send(api.url, { query: '{ viewer { id } }' }, token);
    const alone: number[] = [];
    for (let i = 0; i < 5; i++) alone.push((await normal()).ms);
    const baseline = alone.sort((a, b) => a - b)[2];
    const bombs = range(4).map((i) =>
      send(api.url, { query: `query B${i} { viewer { ${'id '.repeat(16_000)} } }` }),
    );
    const during = await normal();
    const refused = await Promise.all(bombs);
    expect(refused.map((answer) => answer.codes)).toEqual(range(4).map(() => ['QUERY_TOO_COMPLEX']));
    expect(during.codes).toEqual([]);
    // Unbounded, one of these bombs alone held every request for seconds.
    expect(during.ms).toBeLessThan(baseline + 500);
  });

  it('applies the same limits to operations over graphql-ws, and depth and cost too', async () => {
    const client = createClient({
      url: api.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: {},
      retryAttempts: 0,
    });
    const codesOf = (query: string) =>
      new Promise<string[]>((resolve) => {
        const started = performance.now();
        client.subscribe(
          { query },
          {
            next: (result) => resolve((result.errors ?? []).map((e) => String(e.extensions?.code))),
            error: (errors) => {
              expect(performance.now() - started).toBeLessThan(REFUSED_WITHIN_MS);
              const list = Array.isArray(errors) ? (errors as { extensions?: { code?: string } }[]) : [];
              resolve(list.map((e) => String(e.extensions?.code)));
            },
            complete: () => resolve([]),
          },
        );
      });
    try {
      expect(await codesOf(`query N${Date.now()} { viewer { ${'id '.repeat(16_000)} } }`)).toEqual([
        'QUERY_TOO_COMPLEX',
      ]);
      expect(
        await codesOf(
          `subscription { ${range(50)
            .map(() => 'boardChanged { planId }')
            .join(' ')} }`,
        ),
      ).toEqual(['QUERY_TOO_COMPLEX']);
      expect(
        await codesOf(
          '{ viewer { orgUnit { parent { parent { parent { parent { parent { parent { parent { parent { parent { id } } } } } } } } } } } }',
        ),
      ).toEqual(['QUERY_TOO_DEEP']);
      expect(await codesOf('{ __typename }')).toEqual([]);
    } finally {
      await client.dispose();
    }
  });

  it('closes a graphql-ws socket that sends a message over the body limit, before reading it whole', async () => {
    const socket = new WebSocket(api.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    const message = JSON.stringify({
      type: 'connection_init',
      payload: { pad: 'x'.repeat(3 * 1024 * 1024) },
    });
    socket.send(message);
    // 1009: message too big (ws' own refusal, at the frame header).
    expect(await closed).toBe(1009);
  });
});

describe('field suggestions (issue 12, item 5)', () => {
  const unknownField = (url: string) => send(url, { query: '{ viewr { id } }' });

  it('are not given in production, where anyone could read the schema through them', async () => {
    const api = await startTestApi({ config: { env: 'production' } });
    const client = createClient({
      url: api.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    try {
      const answer = await unknownField(api.url);
      expect(answer).toMatchObject({ status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] });
      expect(answer.messages).toEqual(['Cannot query field "viewr" on type "Query".']);
      const kind = await send(api.url, {
        query: 'query($kind: OrgUnitKind) { orgUnits(kind: $kind) { id } }',
        variables: { kind: 'DEPARTMNT' },
      });
      expect(kind).toMatchObject({ codes: ['BAD_USER_INPUT'] });
      expect(kind.messages[0]).toMatch(/does not exist in "OrgUnitKind" enum\.$/);
      const overWs = await new Promise<unknown>((resolve) => {
        client.subscribe(
          { query: '{ viewr { id } }' },
          { next: resolve, error: resolve, complete: () => undefined },
        );
      });
      expect(overWs).toEqual([
        expect.objectContaining({ message: 'Cannot query field "viewr" on type "Query".' }),
      ]);
    } finally {
      await client.dispose();
      await api.close();
    }
  });
});
