import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@zhezi/core';
import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create(AppModule.forRoot({ config }), { logger: ['error', 'warn', 'log'] });
  app.enableShutdownHooks();
  await app.listen(config.port);
  console.log(`api: GraphQL at ${await app.getUrl()}/graphql`);
}

void bootstrap();
