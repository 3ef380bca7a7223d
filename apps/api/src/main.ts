import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { exitUnlessReachable, loadConfig, startupWarnings } from '@zhezi/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { configureHttp } from './http-setup';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  await exitUnlessReachable(config.databaseUrl, config.redisUrl);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config }), {
    bufferLogs: true,
  });
  app.useLogger(app.get(PinoLogger));
  await configureHttp(app);
  app.enableShutdownHooks();
  // Loud on purpose: a development default that reaches a shared machine is a hole.
  for (const warning of startupWarnings(config)) new Logger('Config').warn(`!!! ${warning} !!!`);
  await app.listen(config.port, config.host);
  console.log(`api: GraphQL at ${await app.getUrl()}/graphql`);
}

void bootstrap();
