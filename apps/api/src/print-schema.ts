import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { printSchema } from 'graphql';
import { loadConfig } from '@zhezi/core';
import { AppModule } from './app.module';

export const SCHEMA_FILE = join(__dirname, '../schema.gql');

const HEADER = '# Generated from the code-first resolvers by `npm run schema`. Do not edit by hand.\n\n';

export function schemaText(host: GraphQLSchemaHost): string {
  return HEADER + printSchema(host.schema) + '\n';
}

/** Builds the API's schema exactly as the server does and writes it to apps/api/schema.gql. */
async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule.forRoot({ config: loadConfig() }), { logger: ['error'] });
  await app.init();
  writeFileSync(SCHEMA_FILE, schemaText(app.get(GraphQLSchemaHost)));
  await app.close();
  console.log(`wrote ${SCHEMA_FILE}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
