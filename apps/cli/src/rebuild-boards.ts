import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions, loadConfig } from '@zhezi/core';

/**
 * Recomputes the boards' read models from the shares: the weekly due/closed counts exactly, and every unit
 * summary marked for recomputation on its next read. For after a bulk repair done outside the application.
 */
async function main(): Promise<void> {
  const ds = await new DataSource(dataSourceOptions(loadConfig().databaseUrl)).initialize();
  try {
    const started = performance.now();
    await ds.query('SELECT board_rebuild()');
    const [counts] = await ds.query<{ weeks: number; summaries: number }[]>(
      `SELECT (SELECT count(*) FROM board_week)::int AS weeks, (SELECT count(*) FROM board_unit_summary)::int AS summaries`,
    );
    console.log(
      `rebuilt in ${Math.round(performance.now() - started)} ms: ${counts.weeks} plan-weeks, ` +
        `${counts.summaries} unit summaries (recomputed on their next read)`,
    );
  } finally {
    await ds.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
