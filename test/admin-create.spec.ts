import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { AuditEvent, verifyAuditChain } from '@zhezi/audit';
import { AdminSetupError, createAdministrator, verifyPassword } from '@zhezi/auth';
import { dataSourceOptions } from '@zhezi/core';
import { OrgUnit, User } from '@zhezi/org';
import { createTestDatabase } from '@zhezi/testing';

const ROOT = join(__dirname, '..');
const GOOD = 'Haidian-Root#2026';

/** Runs `npm run admin:create` as an operator would, the password on stdin. */
function adminCreate(url: string, args: string[], stdin: string) {
  const child = promisify(execFile)(
    process.execPath,
    ['-r', '@swc-node/register', 'apps/cli/src/admin-create.ts', ...args],
    { cwd: ROOT, env: { ...process.env, DATABASE_URL: url, NODE_ENV: 'development' } },
  );
  child.child.stdin!.end(stdin);
  return child.then(
    ({ stdout }) => ({ ok: true, out: stdout }),
    (error: { stderr: string }) => ({ ok: false, out: error.stderr }),
  );
}

describe('npm run admin:create (a deployment without demo data)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await new DataSource({
      ...dataSourceOptions(db.url),
      entities: [OrgUnit, User, AuditEvent],
    }).initialize();
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('on an empty database says how to start, then creates the root unit and the administrator', async () => {
    const bare = await adminCreate(db.url, ['--username', 'root.admin'], `${GOOD}\n`);
    expect(bare.ok).toBe(false);
    expect(bare.out).toContain('--unit-name');
    expect(bare.out).not.toContain('    at '); // a sentence, no stack trace

    const weak = await adminCreate(
      db.url,
      ['--username', 'root.admin', '--unit-name', '海淀区人民政府'],
      'Zhezi@2026\n',
    );
    expect(weak.ok).toBe(false);
    expect(weak.out).toContain('password refused');

    const made = await adminCreate(
      db.url,
      ['--username', 'root.admin', '--display-name', '系统管理员', '--unit-name', '海淀区人民政府'],
      `${GOOD}\n`,
    );
    expect(made.ok).toBe(true);
    expect(made.out).toContain('created administrator root.admin');

    const user = await ds
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where("u.username = 'root.admin'")
      .getOneOrFail();
    expect(user).toMatchObject({
      role: 'ADMIN',
      displayName: '系统管理员',
      active: true,
      mustChangePassword: false,
    });
    expect(await verifyPassword(user.passwordHash, GOOD)).toBe(true);
    const unit = await ds.getRepository(OrgUnit).findOneByOrFail({ id: user.orgUnitId });
    expect(unit).toMatchObject({ name: '海淀区人民政府', kind: 'GOVERNMENT', parentId: null });
    const actions = await ds.query<{ action: string }[]>('SELECT action FROM audit_event ORDER BY id');
    expect(actions.map((a) => a.action)).toEqual(['orgUnit.create', 'user.create']);
    expect((await verifyAuditChain(ds)).ok).toBe(true);
  });

  it('puts a further administrator in the root unit or the named one, and refuses a taken username', async () => {
    const unit = await ds.getRepository(OrgUnit).save({
      code: 'I001',
      name: '区政府督查室',
      kind: 'INSPECTORATE' as OrgUnit['kind'],
      parentId: (await ds.getRepository(OrgUnit).findOneByOrFail({ code: 'ROOT' })).id,
      aliases: ['督查室'],
    });
    const add = (input: Parameters<typeof createAdministrator>[2]) =>
      ds.transaction((m) => createAdministrator(m, new Date(), input));
    expect((await add({ username: 'second.admin', password: GOOD })).unit.code).toBe('ROOT');
    expect((await add({ username: 'third.admin', password: GOOD, unit: '督查室' })).unit.id).toBe(unit.id);
    await expect(add({ username: 'second.admin', password: GOOD })).rejects.toThrow(AdminSetupError);
    await expect(add({ username: 'x.admin', password: GOOD, unit: '不存在' })).rejects.toThrow('no org unit');
    await expect(add({ username: 'y.admin', password: GOOD, unitName: '另一个区' })).rejects.toThrow(
      '--unit',
    );
  });
});
