import {
  Kind,
  parse,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type FieldNode,
} from 'graphql';
import { fieldsAsked } from './pagination';

/** The info a resolver of the operation's first field gets, as far as fieldsAsked reads it. */
function infoOf(query: string) {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments };
}

describe('fieldsAsked', () => {
  it('names every field below the resolved one, through fragments and inline fragments', () => {
    const asked = fieldsAsked(
      infoOf(`
        query {
          inspectorBoard(first: 20) {
            totalCount
            edges { node { id ...Row ... on Assignment { lastReportAt } } }
          }
        }
        fragment Row on Assignment { light task { title } }
      `),
    );
    expect([...asked].sort()).toEqual(
      ['edges', 'id', 'lastReportAt', 'light', 'node', 'task', 'title', 'totalCount'].sort(),
    );
  });

  it('names nothing for a field without a selection, and ignores what sits beside it', () => {
    expect(fieldsAsked(infoOf('{ a b { light } }')).size).toBe(0);
  });
});
