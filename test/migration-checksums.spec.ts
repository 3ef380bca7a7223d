import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(__dirname, '..', 'migrations');
const released = JSON.parse(readFileSync(join(dir, 'released.json'), 'utf8')) as Record<string, string>;
const files = readdirSync(dir)
  .filter((f) => /^\d+-.*\.ts$/.test(f) || f === 'index.ts')
  .sort();
const sha256 = (file: string) =>
  createHash('sha256')
    .update(readFileSync(join(dir, file)))
    .digest('hex');

// Databases out there already ran the released text; changing it would leave them on a schema the code no longer
// describes. The fix for a released migration is a new one.
describe('released migrations', () => {
  it.each(files)('%s is recorded and unchanged since it was released', (file) => {
    expect({ file, recorded: file in released }).toEqual({ file, recorded: true }); // npm run migrations:release
    expect({ file, sha256: sha256(file) }).toEqual({ file, sha256: released[file] });
  });

  it('lists no migration that was removed', () => {
    expect(Object.keys(released).filter((f) => !files.includes(f))).toEqual([]);
  });
});
