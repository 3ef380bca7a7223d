/**
 * Request-bounds benchmark (issue 12): `npm run bench:bounds [-- --before-scale 1]`.
 *
 * (a) In process, CPU time (process.cpuUsage, best of 3) of what each oversized request costs:
 *     - before: graphql-js parse + validate, which is what Apollo ran on it, at each bomb's `beforeSize` (times
 *       `--before-scale`);
 *     - after: `readWithinLimits`, which refuses it with the default limits;
 *     - the worst documents the default limits let through, parse + validate;
 *     each against the baseline of the same run: parse + validate of `{ viewer { id } }`.
 * (b) Over HTTP, the real API (AppModule on a throw-away database, in this process): wall time to answer each bomb
 *     at its full size, and a normal `{ __typename }` query's time alone and while four 48 KB bombs are in
 *     flight; then, with the request limits lifted (as before this change), that query's time while one
 *     quarter-size bomb is in flight.
 * Everything it makes (the database, Redis keys under its own prefix) is removed at the end.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildSchema, parse, validate, type GraphQLSchema } from 'graphql';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DEFAULT_REQUEST_LIMITS, loadConfig, type AppConfig } from '@zhezi/core';
import { createRedis } from '@zhezi/jobs';
import { AppModule } from '../apps/api/src/app.module';
import { configureHttp } from '../apps/api/src/http-setup';
import { readWithinLimits } from '../apps/api/src/request-limits';
import { Cleanup, configFor, createDatabase, deleteKeys, describeMachine } from './bench-deadlines';

const LIMIT_VARIABLES = [
  'GRAPHQL_MAX_QUERY_LENGTH',
  'GRAPHQL_MAX_TOKENS',
  'GRAPHQL_MAX_FIELDS',
  'GRAPHQL_MAX_REPEATED_FIELDS',
  'GRAPHQL_MAX_VARIABLE_VALUES',
];
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const log = (message: string) => console.log(`[bench:bounds] ${message}`);

const nested = (width: number, depth: number): string =>
  depth === 0
    ? 'id'
    : range(width)
        .map(() => `parent { ${nested(width, depth - 1)} }`)
        .join(' ');
/** The most expensive documents found that the default limits accept (see request-limits.spec.ts). */
const WORST_ACCEPTED: Record<string, string> = {
  '12 × 20 clashing orgUnits': `{ ${range(240)
    .map((i) => `a${i % 12}: orgUnits(parentId: "${i}") { id }`)
    .join(' ')} }`,
  '240 fragments, 12 × 20 clashing': `{ ${range(240)
    .map((i) => `...F${i}`)
    .join(' ')} } ${range(240)
    .map((i) => `fragment F${i} on Query { a${i % 12}: orgUnits(parentId: "${i}") { id } }`)
    .join(' ')}`,
  'two of every field, 7 levels': `{ viewer { orgUnit { ${nested(2, 7)} } } }`,
};

/**
 * The shapes of issue 12 and others the tests try. `size` is what the API is sent; `beforeSize` what parse +
 * validate are timed on without the limits (the issue's sizes take 9 s, 44 s and forever; the work is quadratic).
 */
const BOMBS: Record<string, { size: number; beforeSize: number; query: (n: number) => string }> = {
  'viewer { id ×N }': {
    size: 16_000,
    beforeSize: 4_000,
    query: (n) => `query N${n} { viewer { ${'id '.repeat(n)} } }`,
  },
  '{ __typename ×N }': {
    size: 1_000_000,
    beforeSize: 16_000,
    query: (n) => `{ ${'__typename '.repeat(n)} }`,
  },
  'N aliases of orgUnits, clashing arguments': {
    size: 3_000,
    beforeSize: 500,
    query: (n) =>
      `{ ${range(n)
        .map((i) => `a: orgUnits(parentId: "${i}") { id }`)
        .join(' ')} }`,
  },
  'N fragments answering to one name': {
    size: 2_000,
    beforeSize: 500,
    query: (n) =>
      `{ ${range(n)
        .map((i) => `...F${i}`)
        .join(' ')} } ` +
      range(n)
        .map((i) => `fragment F${i} on Query { orgUnits(parentId: "${i}") { id } }`)
        .join(' '),
  },
  'N clashing orgUnits, no aliases': {
    size: 100,
    beforeSize: 100,
    query: (n) =>
      `{ ${range(n)
        .map((i) => `orgUnits(parentId: "${i}") { id }`)
        .join(' ')} }`,
  },
  'two of every field, N levels': {
    size: 9,
    beforeSize: 9,
    query: (n) => `{ viewer { orgUnit { ${nested(2, n)} } } }`,
  },
  'block string of N lines': {
    size: 1_000_000,
    beforeSize: 1_000_000,
    query: (n) => `{ suggestUnits(text: """${'x\n'.repeat(n)}""") { score } }`,
  },
};

/** Best of `times` runs, in CPU milliseconds of this process. */
function cpuMs(run: () => unknown, times = 3): number {
  let best = Infinity;
  for (let i = 0; i < times; i++) {
    const started = process.cpuUsage();
    run();
    const used = process.cpuUsage(started);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

const validated = (schema: GraphQLSchema, query: string) => () => validate(schema, parse(query));

function inProcess(scale: number): void {
  const schema = buildSchema(readFileSync(join(__dirname, '../apps/api/schema.gql'), 'utf8'));
  // Warm the JIT on ordinary work first, as a running server would be.
  for (let i = 0; i < 200; i++) validate(schema, parse('{ viewer { id orgUnit { name } } }'));
  const baseline = cpuMs(validated(schema, '{ viewer { id } }'), 50);
  log(`baseline, parse + validate of { viewer { id } }: ${baseline.toFixed(3)} ms CPU`);
  console.log(
    '| shape | before: N | before: CPU ms | after: N | after: CPU ms to refuse | ÷ baseline | refused with |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const [name, bomb] of Object.entries(BOMBS)) {
    const beforeSize = Math.round(bomb.beforeSize * scale);
    const before = cpuMs(validated(schema, bomb.query(beforeSize)), 1);
    const query = bomb.query(bomb.size);
    const read = readWithinLimits(query, undefined, DEFAULT_REQUEST_LIMITS);
    if (!('refusal' in read)) throw new Error(`${name} passed`);
    const after = cpuMs(() => readWithinLimits(query, undefined, DEFAULT_REQUEST_LIMITS));
    console.log(
      `| ${name} | ${beforeSize.toLocaleString('en')} | ${before.toFixed(0)} | ${bomb.size.toLocaleString('en')} | ${after.toFixed(2)} | ${(after / baseline).toFixed(1)} | ${read.refusal.message} |`,
    );
  }
  console.log('\n| accepted by the default limits | CPU ms, parse + validate | ÷ baseline |');
  console.log('| --- | ---: | ---: |');
  for (const [name, query] of Object.entries(WORST_ACCEPTED)) {
    if (!('document' in readWithinLimits(query, undefined, DEFAULT_REQUEST_LIMITS)))
      throw new Error(`${name} refused`);
    const used = cpuMs(validated(schema, query));
    console.log(`| ${name} | ${used.toFixed(1)} | ${(used / baseline).toFixed(0)} |`);
  }
}

async function timedPost(url: string, body: string): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The API as main.ts and the tests make it (with the HTTP setup: the JSON body limit), on a free port. */
async function startApi(config: AppConfig, cleanup: Cleanup): Promise<string> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config }), {
    logger: ['error'],
  });
  await configureHttp(app);
  cleanup.add('close the API', () => app.close());
  await app.listen(0, '127.0.0.1');
  return `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/graphql`;
}

async function overHttp(cleanup: Cleanup): Promise<void> {
  const prefix = `zhezi-bench-bounds-${process.pid}`;
  const databaseUrl = await createDatabase(`zhezi_bench_bounds_${process.pid}`, cleanup);
  const redis = createRedis(configFor(databaseUrl, prefix).redisUrl);
  cleanup.add('delete Redis keys', async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });
  const url = await startApi(configFor(databaseUrl, prefix), cleanup);
  const normal = JSON.stringify({ query: '{ __typename }' });
  for (let i = 0; i < 50; i++) await timedPost(url, normal);
  const alone: number[] = [];
  for (let i = 0; i < 20; i++) alone.push((await timedPost(url, normal)).ms);
  const baseline = median(alone);
  log(`over HTTP, { __typename } alone: median ${baseline.toFixed(1)} ms of 20`);
  console.log('| bomb, as sent | body | status | ms to answer (median of 3) | ÷ baseline |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const [name, bomb] of Object.entries(BOMBS)) {
    const body = JSON.stringify({ query: bomb.query(bomb.size) });
    const runs = [await timedPost(url, body), await timedPost(url, body), await timedPost(url, body)];
    const ms = median(runs.map((run) => run.ms));
    console.log(
      `| ${name.replace('N', bomb.size.toLocaleString('en'))} | ${(body.length / 1024).toFixed(0)} KB | ${runs[0].status} | ${ms.toFixed(1)} | ${(ms / baseline).toFixed(1)} |`,
    );
  }
  const bomb = JSON.stringify({ query: BOMBS['viewer { id ×N }'].query(16_000) });
  const during: number[] = [];
  for (let i = 0; i < 10; i++) {
    const bombs = range(4).map(() => timedPost(url, bomb));
    during.push((await timedPost(url, normal)).ms);
    await Promise.all(bombs);
  }
  log(
    `{ __typename } while four 48 KB bombs are in flight: median ${median(during).toFixed(1)} ms, worst ` +
      `${Math.max(...during).toFixed(1)} ms of 10 (${(median(during) / baseline).toFixed(1)} × alone)`,
  );
  // Before: the same API with the request limits lifted, so Apollo validates whatever comes (a quarter-size bomb).
  const lifted = Object.fromEntries(LIMIT_VARIABLES.map((name) => [name, String(10 ** 9)]));
  const unlimited = await startApi(
    { ...configFor(databaseUrl, prefix), requestLimits: loadConfig(lifted).requestLimits },
    cleanup,
  );
  const smaller = JSON.stringify({ query: BOMBS['viewer { id ×N }'].query(4_000) });
  const sent = performance.now();
  const inFlight = timedPost(unlimited, smaller);
  // Sent 50 ms after the bomb. Client and server share this process, so while the server validates, the client
  // cannot even send: the time counts from when it was due, as it would for a client elsewhere.
  await new Promise((resolve) => setTimeout(resolve, 50));
  await timedPost(unlimited, normal);
  const answered = performance.now() - sent - 50;
  log(
    `before (limits lifted): { __typename } sent 50 ms after one viewer { id ×4,000 } (12 KB) was answered ` +
      `${answered.toFixed(0)} ms later; the bomb took ${(await inFlight).ms.toFixed(0)} ms`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'before-scale': { type: 'string', default: '1' } } });
  const scale = Number(values['before-scale']);
  for (const line of await describeMachine()) log(line);
  log(`limits: ${JSON.stringify(DEFAULT_REQUEST_LIMITS)}`);
  inProcess(scale);
  const cleanup = new Cleanup();
  try {
    await overHttp(cleanup);
  } finally {
    await cleanup.run();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
