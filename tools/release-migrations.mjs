// Records the checksum of every migration (and of index.ts, their landed list) not yet in migrations/released.json. A migration is released when it
// lands on main; from then on its text never changes (test/migration-checksums.spec.ts), a new one does the work.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(import.meta.dirname, '..', 'migrations');
const ledgerFile = join(dir, 'released.json');
const ledger = JSON.parse(readFileSync(ledgerFile, 'utf8'));
const added = [];
for (const file of readdirSync(dir)
  .filter((f) => /^\d+-.*\.ts$/.test(f) || f === 'index.ts')
  .sort()) {
  if (ledger[file]) continue;
  ledger[file] = createHash('sha256')
    .update(readFileSync(join(dir, file)))
    .digest('hex');
  added.push(file);
}
const sorted = Object.fromEntries(Object.entries(ledger).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(ledgerFile, `${JSON.stringify(sorted, null, 2)}\n`);
console.log(added.length ? `released: ${added.join(', ')}` : 'every migration was already released');
