import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { PLAN_FILE_NAME, resolvePlanFile, SeedError } from './plan-file';

describe('resolvePlanFile', () => {
  // <root>/shared/seeds/<file> next to <root>/repo, as on a developer's machine.
  const root = mkdtempSync(join(tmpdir(), 'zhezi-seed-'));
  const repo = join(root, 'repo');
  const shared = join(root, 'shared', 'seeds', PLAN_FILE_NAME);
  const other = join(root, 'other.txt');
  mkdirSync(repo);
  mkdirSync(join(root, 'shared', 'seeds'), { recursive: true });
  writeFileSync(shared, '');
  writeFileSync(other, '');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds the shared seeds folder next to the repository', () => {
    expect(resolvePlanFile(undefined, {}, repo)).toBe(shared);
  });

  it('prefers SEED_PLAN_FILE, and an explicit path over both', () => {
    expect(resolvePlanFile(undefined, { SEED_PLAN_FILE: other }, repo)).toBe(other);
    expect(resolvePlanFile(shared, { SEED_PLAN_FILE: other }, repo)).toBe(shared);
  });

  it('says where it looked and what to set when the file is missing', () => {
    // Two levels inside the temporary root, so `..` never reaches a real shared/ folder beside it.
    const lonely = join(root, 'nowhere', 'repo');
    mkdirSync(lonely, { recursive: true });
    expect(() => resolvePlanFile(undefined, {}, lonely)).toThrow(SeedError);
    expect(() => resolvePlanFile(undefined, {}, lonely)).toThrow(/set SEED_PLAN_FILE/);
    expect(() => resolvePlanFile(undefined, { SEED_PLAN_FILE: 'nope.txt' }, repo)).toThrow(
      `plan text not found: ${join(repo, 'nope.txt')} (from SEED_PLAN_FILE)`,
    );
  });
});
