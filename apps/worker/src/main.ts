import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { exitUnlessReachable, loadConfig } from '@zhezi/core';
import { WorkerModule } from './worker.module';

/** No HTTP: a Nest application context that runs the BullMQ processors. The worker never migrates. */
async function bootstrap(): Promise<void> {
  const config = loadConfig();
  await exitUnlessReachable(config.databaseUrl, config.redisUrl);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot({ config }), {
    logger: ['error', 'warn', 'log'],
  });
  app.enableShutdownHooks();
}

void bootstrap();
