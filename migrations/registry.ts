import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { MigrationInterface } from 'typeorm';
import { MIGRATIONS as LISTED } from './index';

type MigrationClass = new () => MigrationInterface;

/** `<13-digit timestamp>-<Name>.ts` (`.js` once built): the timestamp orders them. */
const FILE = /^(\d{13})-\w+\.(?:ts|js)$/;
const timestampOf = (name: string) => Number(/\d{13}$/.exec(name)?.[0] ?? 0);

const lastListed = Math.max(...LISTED.map((m) => timestampOf(m.name)));

/**
 * The migrations after those index.ts lists. index.ts, like every migration file that has landed, is never
 * edited again; later migrations are found by their file names, so adding a migration is adding its file.
 */
const LATER: MigrationClass[] = readdirSync(__dirname)
  .flatMap((file) => {
    const match = FILE.exec(file);
    return match && Number(match[1]) > lastListed ? [{ file, at: Number(match[1]) }] : [];
  })
  .sort((a, b) => a.at - b.at)
  .map(({ file }) => {
    // A migration file exports its one class; loaded by name so that no list has to grow.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(join(__dirname, file)) as Record<string, MigrationClass>;
    return Object.values(exported)[0];
  });

/** Every migration, oldest first. */
export const MIGRATIONS: MigrationClass[] = [...LISTED, ...LATER];
