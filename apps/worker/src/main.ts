import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { exitUnlessReachable, loadConfig } from '@zhezi/core';
import { serveOps } from '@zhezi/observability';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

/** Runs the BullMQ processors; its HTTP port serves only /metrics and /health/*. The worker never migrates. */
async function bootstrap(): Promise<void> {
  const config = loadConfig();
  await exitUnlessReachable(config.databaseUrl, config.redisUrl);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot({ config }), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  const { host, observability } = config;
  // The queues matter more than the probes: keep working, and let the health check say what is missing.
  const server = await serveOps(app, observability.workerHttpPort, host).catch(
    (error: NodeJS.ErrnoException) => {
      app
        .get(Logger)
        .error(
          `cannot serve /metrics and /health on ${host}:${observability.workerHttpPort} (${error.code ?? error.message}): ` +
            'set WORKER_HTTP_PORT to a free port',
        );
      return null;
    },
  );
  process.once('SIGTERM', () => server?.close());
}

void bootstrap();
