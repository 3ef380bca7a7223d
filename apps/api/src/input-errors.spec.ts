import {
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  Kind,
  parse,
  validate,
} from 'graphql';
import { parseDateTime } from '@zhezi/core';
import { scalarInputError, variableField } from './input-errors';

const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});
const Filter = new GraphQLInputObjectType({
  name: 'Filter',
  fields: { dueFrom: { type: DateTime }, days: { type: new GraphQLList(DateTime) } },
});
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: { board: { type: GraphQLInt, args: { filter: { type: Filter }, at: { type: DateTime } } } },
  }),
});

function fieldOfLiteral(query: string): unknown {
  const [error] = validate(schema, parse(query));
  return scalarInputError(error.toJSON(), error)?.extensions;
}

describe('scalarInputError', () => {
  it('names a refused literal by where it sits in the query', () => {
    expect(fieldOfLiteral('{ board(filter: { dueFrom: "now" }) }')).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'dueFrom',
    });
    expect(fieldOfLiteral('{ board(filter: { days: ["2026-01-01", "2026-02-30"] }) }')).toMatchObject({
      field: 'days.1',
    });
    expect(fieldOfLiteral('{ a: board(at: "2026-01-01") b: board(at: "x") }')).toMatchObject({ field: 'at' });
  });

  it('leaves other errors to the general formatter', () => {
    const [error] = validate(schema, parse('{ board(nope: 1) }'));
    expect(scalarInputError(error.toJSON(), error)).toBeNull();
  });
});

describe('variableField', () => {
  it('reads the spot out of a variable-coercion message', () => {
    expect(variableField('Variable "$f" got invalid value "now" at "f.dueFrom"; Expected type')).toBe(
      'dueFrom',
    );
    expect(variableField('Variable "$at" got invalid value "now"; Expected type')).toBe('at');
    expect(variableField('Cannot query field')).toBeUndefined();
  });
});
