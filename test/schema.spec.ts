import { readFileSync } from 'node:fs';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { SCHEMA_FILE, schemaText } from '../apps/api/src/print-schema';
import { startTestApi, type TestApi } from './support/test-api';

describe('committed GraphQL schema', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });

  afterAll(() => api.close());

  it('matches the schema the resolvers generate (run `npm run schema` after changing the API)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(schemaText(api.app.get(GraphQLSchemaHost)));
  });
});
