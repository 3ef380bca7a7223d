import { existsSync } from 'fs';
import { resolve } from 'path';

export const PLAN_FILE_NAME = 'haidian-13th-five-year-plan.txt';
export const PLAN_FILE_ENV = 'SEED_PLAN_FILE';
/** The plan text ships with the repository, so a fresh clone seeds without anything beside it. */
export const BUNDLED_PLAN_FILE = `libs/seed/data/${PLAN_FILE_NAME}`;

export class SeedError extends Error {}

/** Where the 13th five-year plan text is: the path given, else $SEED_PLAN_FILE, else the bundled copy. */
export function resolvePlanFile(
  explicit?: string,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): string {
  const given = explicit ?? env[PLAN_FILE_ENV];
  const file = resolve(cwd, given ?? BUNDLED_PLAN_FILE);
  if (!existsSync(file)) {
    throw new SeedError(
      given
        ? `plan text not found: ${file} (from ${explicit ? 'the argument' : PLAN_FILE_ENV})`
        : `plan text not found: ${file}; run from the repository root or set ${PLAN_FILE_ENV} to the path of ${PLAN_FILE_NAME}`,
    );
  }
  return file;
}
