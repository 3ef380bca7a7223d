import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@zhezi/core';
import { AppModule } from './app.module';
import { configureHttp } from './http-setup';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config }), {
    logger: ['error', 'warn', 'log'],
  });
  configureHttp(app);
  app.enableShutdownHooks();
  await app.listen(config.port);
  console.log(`api: GraphQL at ${await app.getUrl()}/graphql`);
}

void bootstrap();
