import 'reflect-metadata';
import { readFile } from 'fs/promises';
import { basename } from 'path';
import { parseArgs } from 'util';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AccessModule } from '@zhezi/access';
import { AuditModule } from '@zhezi/audit';
import { AppError, CoreModule, loadConfig, Role, type Actor } from '@zhezi/core';
import { DecompositionModule, DecompositionService } from '@zhezi/decomposition';
import { User } from '@zhezi/org';
import { OutboxModule } from '@zhezi/outbox';
import { documentText, readPlan, TargetLevel, type DocNode } from '@zhezi/plan';

const USAGE = `usage: npm run ingest -- FILE [--title 规划名称] [--start 2016 --end 2020] [--as USERNAME] [--dry-run]

Reads a plan document (.txt, .md or .docx) into a plan with its target tree (章 → 节 → 条 → 措施), the
indicators and deadlines in its text, and one draft task per measure with suggested units. --dry-run prints
what would be stored without touching the database.`;

@Module({
  imports: [
    CoreModule.forRoot({ config: loadConfig() }),
    AccessModule,
    AuditModule,
    OutboxModule,
    DecompositionModule,
  ],
})
class IngestModule {}

function printTree(nodes: DocNode[], depth = 0): void {
  for (const node of nodes) {
    if (node.level === TargetLevel.MEASURE) continue;
    const measures = node.children.filter((c) => c.level === TargetLevel.MEASURE).length;
    console.log(
      `${'  '.repeat(depth)}${node.number} ${node.title}${measures ? `（${measures} 条措施）` : ''}`,
    );
    printTree(node.children, depth + 1);
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      title: { type: 'string' },
      start: { type: 'string' },
      end: { type: 'string' },
      as: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [file] = positionals;
  if (values.help || !file) {
    console.log(USAGE);
    process.exitCode = file ? 0 : 2;
    return;
  }
  const input = {
    title: values.title,
    periodStartYear: values.start ? Number(values.start) : undefined,
    periodEndYear: values.end ? Number(values.end) : undefined,
  };
  const data = await readFile(file);
  if (values['dry-run']) {
    const started = performance.now();
    const read = readPlan({ ...input, text: await documentText(file, data) });
    const ms = performance.now() - started;
    console.log(`${read.title}（${read.period.startYear}—${read.period.endYear}年）`);
    printTree(read.nodes);
    const indicators = read.measures.reduce((n, m) => n + m.indicators.length, 0);
    console.log(
      `${read.measures.length} measures, ${indicators} indicators, read in ${ms.toFixed(1)} ms (dry run)`,
    );
    return;
  }

  const app = await NestFactory.createApplicationContext(IngestModule, { logger: ['error', 'warn'] });
  try {
    const users = app.get(DataSource).getRepository(User);
    const user = await users.findOne({
      where: values.as ? { username: values.as, active: true } : { role: Role.ADMIN, active: true },
      order: { createdAt: 'ASC' },
    });
    if (!user)
      throw new Error(
        values.as ? `no active user ${values.as}` : 'no active ADMIN user: run npm run seed first',
      );
    const actor: Actor = {
      userId: user.id,
      displayName: user.displayName,
      role: user.role,
      orgUnitId: user.orgUnitId,
    };
    const started = performance.now();
    const result = await app.get(DecompositionService).ingestPlan(actor, {
      ...input,
      file: { fileName: basename(file), content: data.toString('base64') },
    });
    console.log(
      `ingested “${result.plan.title}” (plan ${result.plan.id}) in ${Math.round(performance.now() - started)} ms: ` +
        `${result.chapterCount} chapters, ${result.sectionCount} sections, ${result.itemCount} items, ` +
        `${result.measureCount} measures, ${result.indicatorCount} indicators, ${result.draftTaskCount} draft tasks`,
    );
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof AppError ? `ingest failed: ${error.message}` : error);
  process.exit(1);
});
