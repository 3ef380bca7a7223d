import type { NestExpressApplication } from '@nestjs/platform-express';

/**
 * Plan documents and task tables travel base64-encoded in GraphQL requests; a yearly list of 10,000 rows is
 * about 1 MB as .xlsx. Express' default of 100 kB would refuse them.
 */
export const JSON_BODY_LIMIT = '32mb';

/** What the HTTP app needs beyond its modules: the same for the server and for tests. */
export function configureHttp(app: NestExpressApplication): void {
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT });
}
