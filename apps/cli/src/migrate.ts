import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions, describeConnectionFailure, loadConfig } from '@zhezi/core';
import { MIGRATIONS } from '@zhezi/migrations';

/** A connection that knows the migrations and no entities: migrations are raw SQL. */
export function migrationDataSource(url: string): DataSource {
  return new DataSource({
    ...dataSourceOptions(url),
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
  });
}

/** Applies pending migrations; returns their names. */
export async function migrateUp(url: string): Promise<string[]> {
  const ds = await migrationDataSource(url).initialize();
  try {
    return (await ds.runMigrations()).map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

/** Reverts the last `count` applied migrations (all with Infinity); returns how many were reverted. */
export async function migrateDown(url: string, count: number): Promise<number> {
  const ds = await migrationDataSource(url).initialize();
  try {
    let reverted = 0;
    while (reverted < count) {
      const [{ n }] = await ds.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'migrations'`,
      );
      const applied = n ? (await ds.query<unknown[]>('SELECT 1 FROM migrations')).length : 0;
      if (applied === 0) break;
      await ds.undoLastMigration();
      reverted++;
    }
    return reverted;
  } finally {
    await ds.destroy();
  }
}

async function main(databaseUrl: string): Promise<void> {
  const [direction = 'up', arg] = process.argv.slice(2);
  if (direction === 'up') {
    const applied = await migrateUp(databaseUrl);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } else if (direction === 'down') {
    const count = arg === '--all' ? Infinity : Number(arg ?? 1);
    console.log(`reverted ${await migrateDown(databaseUrl, count)} migration(s)`);
  } else {
    console.error('usage: npm run migrate [-- up | down [N | --all]]');
    process.exitCode = 2;
  }
}

if (require.main === module) {
  const { databaseUrl } = loadConfig();
  main(databaseUrl).catch((error: unknown) => {
    console.error(describeConnectionFailure(error, databaseUrl) ?? error);
    process.exit(1);
  });
}
