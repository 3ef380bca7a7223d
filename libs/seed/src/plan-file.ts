import { existsSync } from 'fs';
import { resolve } from 'path';

export const PLAN_FILE_NAME = 'haidian-13th-five-year-plan.txt';
export const PLAN_FILE_ENV = 'SEED_PLAN_FILE';

export class SeedError extends Error {}

/**
 * Where the 13th five-year plan text is: the path given, else $SEED_PLAN_FILE, else ../shared/seeds/ next to
 * the repository (the text is shared by several checkouts, so it is read in place rather than copied).
 */
export function resolvePlanFile(
  explicit?: string,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): string {
  const given = explicit ?? env[PLAN_FILE_ENV];
  const file = given ? resolve(cwd, given) : resolve(cwd, '..', 'shared', 'seeds', PLAN_FILE_NAME);
  if (!existsSync(file)) {
    throw new SeedError(
      given
        ? `plan text not found: ${file} (from ${explicit ? 'the argument' : PLAN_FILE_ENV})`
        : `plan text not found: ${file}; run from the repository root or set ${PLAN_FILE_ENV} to the path of ${PLAN_FILE_NAME}`,
    );
  }
  return file;
}
