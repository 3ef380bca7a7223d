import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@zhezi/core';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

/** Runs the BullMQ processors; its HTTP port serves only /metrics and /health/*. The worker never migrates. */
async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create(WorkerModule.forRoot({ config }), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.listen(config.observability.workerHttpPort, config.host);
}

void bootstrap();
