import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { BUNDLED_PLAN_FILE, resolvePlanFile, SeedError } from './plan-file';

describe('resolvePlanFile', () => {
  const root = mkdtempSync(join(tmpdir(), 'zhezi-seed-'));
  const repo = join(root, 'repo');
  const bundled = join(repo, BUNDLED_PLAN_FILE);
  const other = join(root, 'other.txt');
  mkdirSync(join(bundled, '..'), { recursive: true });
  writeFileSync(bundled, '');
  writeFileSync(other, '');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds the copy bundled with the repository', () => {
    expect(resolvePlanFile(undefined, {}, repo)).toBe(bundled);
  });

  it('prefers SEED_PLAN_FILE, and an explicit path over both', () => {
    expect(resolvePlanFile(undefined, { SEED_PLAN_FILE: other }, repo)).toBe(other);
    expect(resolvePlanFile(bundled, { SEED_PLAN_FILE: other }, repo)).toBe(bundled);
  });

  it('says where it looked and what to set when the file is missing', () => {
    expect(() => resolvePlanFile(undefined, {}, root)).toThrow(SeedError);
    expect(() => resolvePlanFile(undefined, {}, root)).toThrow(/set SEED_PLAN_FILE/);
    expect(() => resolvePlanFile(undefined, { SEED_PLAN_FILE: 'nope.txt' }, repo)).toThrow(
      `plan text not found: ${join(repo, 'nope.txt')} (from SEED_PLAN_FILE)`,
    );
  });
});
