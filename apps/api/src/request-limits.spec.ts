import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, validate, type DocumentNode } from 'graphql';
import { DEFAULT_REQUEST_LIMITS, type RequestLimits } from '@zhezi/core';
import { readWithinLimits } from './request-limits';

const LIMITS: RequestLimits = {
  maxLength: 1000,
  maxTokens: 100,
  maxFields: 10,
  maxRepeatedFields: 3,
  maxVariableValues: 5,
};

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** The refusal's message, or 'ok' when the request may go on to validation. */
function verdict(query: string, variables?: unknown, limits = LIMITS): string {
  const read = readWithinLimits(query, variables, limits);
  if ('refusal' in read) {
    expect(read.refusal.extensions.code).toBe('QUERY_TOO_COMPLEX');
    return read.refusal.message;
  }
  if ('syntaxError' in read) return `syntax: ${read.syntaxError.message}`;
  return 'ok';
}

describe('readWithinLimits', () => {
  it('refuses one character, token, field or variable value past each limit', () => {
    expect(verdict(`{ a }${' '.repeat(995)}`)).toBe('ok');
    expect(verdict(`{ a }${' '.repeat(996)}`)).toBe('查询过长（1001 个字符，上限 1000）');
    expect(verdict(`{ a(x: [${'1 '.repeat(91)}]) }`)).toBe('ok');
    expect(verdict(`{ a(x: [${'1 '.repeat(92)}]) }`)).toBe('查询过长（超过 100 个词法单元）');
    expect(verdict('{ a b c d e f g h i j }')).toBe('ok');
    expect(verdict('{ a b c d e f g h i j k }')).toBe('查询字段过多（11 个，上限 10）');
    // The object and the list count as values too.
    expect(verdict('{ a }', { ids: [1, 2, 3] })).toBe('ok');
    expect(verdict('{ a }', { ids: [1, 2, 3, 4] })).toBe('变量过大（超过 5 个值）');
    expect(verdict('{ a }', { a: { b: { c: { d: { e: 1 } } } } })).toBe('变量过大（超过 5 个值）');
  });

  it('counts fields answering to one name in one selection set, inline fragments and aliases included', () => {
    expect(verdict('{ a a a b { a a a } }')).toBe('ok');
    expect(verdict('{ a a ... on Q { a a } }')).toBe('同一位置的字段“a”重复过多（4 次，上限 3）');
    expect(verdict('{ x: a x: b x: c x: d }')).toBe('同一位置的字段“x”重复过多（4 次，上限 3）');
  });

  it('merges the fragments spread into a selection set, each once however often it is spread', () => {
    const fragments = 'fragment F on Q { a a } fragment G on Q { a ...H } fragment H on Q { a }';
    expect(verdict(`{ ...F ...F ...F a } ${fragments}`)).toBe('ok');
    expect(verdict(`{ ...F ...G } ${fragments}`)).toBe('同一位置的字段“a”重复过多（4 次，上限 3）');
    // A cycle is validation's to report; counting it ends.
    expect(verdict('{ ...F } fragment F on Q { a ...G } fragment G on Q { a ...F }')).toBe('ok');
  });

  it('refuses nesting too deep for the parser or the fragment walk instead of failing on the stack', () => {
    const limits = { ...LIMITS, maxLength: 100_000, maxTokens: 100_000 };
    expect(verdict(`{ ${'a { '.repeat(10_000)}b${' }'.repeat(10_000)} }`, undefined, limits)).toBe(
      '查询嵌套过深，无法解析',
    );
    const chain = range(20_000)
      .map((i) => `fragment F${i} on Q { ...F${i + 1} }`)
      .join(' ');
    const unbounded = { ...limits, maxLength: 10 ** 7, maxTokens: 10 ** 6, maxFields: 10 ** 6 };
    expect(verdict(`{ ...F0 } ${chain} fragment F20000 on Q { a }`, undefined, unbounded)).toBe(
      '查询嵌套过深，无法解析',
    );
  });

  it('hands syntax errors back for the caller to report as such', () => {
    expect(verdict('{ a ')).toBe('syntax: Syntax Error: Expected Name, found <EOF>.');
    expect(verdict('{ a ¤ }')).toMatch(/^syntax: Syntax Error: Unexpected character/);
  });
});

describe('the worst documents the default limits let through', () => {
  const schema = buildSchema(readFileSync(join(__dirname, '../schema.gql'), 'utf8'));
  const nested = (width: number, depth: number): string =>
    depth === 0
      ? 'id'
      : range(width)
          .map(() => `parent { ${nested(width, depth - 1)} }`)
          .join(' ');
  const { maxRepeatedFields: repeats } = DEFAULT_REQUEST_LIMITS;
  const WORST: [string, string][] = [
    [
      'groups of clashing fields with arguments',
      `{ ${range(12 * repeats)
        .map((i) => `a${i % 12}: orgUnits(parentId: "${i}") { id }`)
        .join(' ')} }`,
    ],
    [
      'clashing fields from fragments',
      `{ ${range(12 * repeats)
        .map((i) => `...F${i}`)
        .join(' ')} } ` +
        range(12 * repeats)
          .map((i) => `fragment F${i} on Query { a${i % 12}: orgUnits(parentId: "${i}") { id } }`)
          .join(' '),
    ],
    ['two of every field, seven levels down', `{ viewer { orgUnit { ${nested(2, 7)} } } }`],
  ];

  it.each(WORST)('validate quickly: %s', (_name, query) => {
    const read = readWithinLimits(query, undefined, DEFAULT_REQUEST_LIMITS);
    expect(Object.keys(read)).toEqual(['document']);
    const { document } = read as { document: DocumentNode };
    const started = process.cpuUsage();
    validate(schema, document);
    const used = process.cpuUsage(started);
    // About 30 ms unloaded (docs/benchmarks.md); unbounded, the shapes of issue 12 took seconds.
    expect((used.user + used.system) / 1000).toBeLessThan(500);
  });
});
