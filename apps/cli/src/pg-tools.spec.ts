import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPgTool, maskUrl, serverMajor, toolMajor } from './pg-tools';

describe('pg_dump and pg_restore of the server major version', () => {
  it('reads majors from the tool and from server_version_num', () => {
    expect(toolMajor('pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)')).toBe(15);
    expect(toolMajor('pg_restore (PostgreSQL) 18.1')).toBe(18);
    expect(toolMajor('something else')).toBeNull();
    expect(serverMajor('150020')).toBe(15);
    expect(serverMajor(180001)).toBe(18);
  });

  it('says in one sentence what to install when only another major is at hand', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zhezi-pgbin-'));
    const saved = { bin: process.env.PG_BIN_DIR, path: process.env.PATH };
    try {
      await writeFile(join(dir, 'pg_dump'), '#!/bin/sh\necho "pg_dump (PostgreSQL) 14.3"\n');
      await chmod(join(dir, 'pg_dump'), 0o755);
      process.env.PG_BIN_DIR = dir;
      process.env.PATH = '';
      await expect(findPgTool('pg_dump', 14)).resolves.toEqual({
        path: join(dir, 'pg_dump'),
        version: 'pg_dump (PostgreSQL) 14.3',
      });
      await expect(findPgTool('pg_dump', 97)).rejects.toThrow(
        `the server runs PostgreSQL 97 but ${join(dir, 'pg_dump')} is pg_dump (PostgreSQL) 14.3: install ` +
          "PostgreSQL 97's client tools (Debian/Ubuntu: apt-get install postgresql-client-97",
      );
      await expect(findPgTool('pg_restore', 97)).rejects.toThrow(
        /^pg_restore was not found \(PostgreSQL 97 needs/,
      );
    } finally {
      process.env.PG_BIN_DIR = saved.bin;
      process.env.PATH = saved.path;
      if (saved.bin === undefined) delete process.env.PG_BIN_DIR;
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('masks the password of a URL in messages', () => {
    expect(maskUrl('postgres://zhezi:s3cret@postgres:5432/zhezi')).toBe(
      'postgres://zhezi:***@postgres:5432/zhezi',
    );
  });
});
