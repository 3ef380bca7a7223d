import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { AuditEvent } from '@zhezi/audit';
import { AdminSetupError, createAdministrator } from '@zhezi/auth';
import { dataSourceOptions, loadConfig } from '@zhezi/core';
import { OrgUnit, User } from '@zhezi/org';

const USAGE =
  'usage: npm run admin:create -- --username NAME [--display-name 姓名] [--unit NAME|CODE|ID] [--unit-name 区政府名称]\n' +
  '  the password is asked for on a terminal (not echoed), or read from the first line of stdin';

/** Reads a line from the terminal without echoing it. */
function askHidden(prompt: string): Promise<string> {
  const { stdin, stdout } = process;
  return new Promise((resolve, reject) => {
    let value = '';
    stdout.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          done();
          resolve(value);
          return;
        }
        if (char === '\u0003') {
          done();
          reject(new AdminSetupError('cancelled'));
          return;
        }
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    const done = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stdout.write('\n');
    };
    stdin.on('data', onData);
  });
}

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) {
    const first = await askHidden('password: ');
    const again = await askHidden('again: ');
    if (first !== again) throw new AdminSetupError('the two passwords differ');
    return first;
  }
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.split(/\r?\n/)[0];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      username: { type: 'string' },
      'display-name': { type: 'string' },
      unit: { type: 'string' },
      'unit-name': { type: 'string' },
    },
  });
  if (!values.username) throw new AdminSetupError(USAGE);
  const password = await readPassword();
  const { databaseUrl } = loadConfig();
  const ds = await new DataSource({
    ...dataSourceOptions(databaseUrl),
    entities: [OrgUnit, User, AuditEvent],
  }).initialize();
  try {
    const { user, unit, createdUnit } = await ds.transaction((manager) =>
      createAdministrator(manager, new Date(), {
        username: values.username!,
        password,
        displayName: values['display-name'],
        unit: values.unit,
        unitName: values['unit-name'],
      }),
    );
    if (createdUnit) console.log(`created the root unit ${unit.name} (code ${unit.code})`);
    console.log(
      `created administrator ${user.username} in ${unit.name}; sign in with the password just given`,
    );
  } finally {
    await ds.destroy();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    const code = (error as { driverError?: { code?: string } }).driverError?.code;
    // 42P01 / 42703: a table or column is missing, i.e. the migrations have not run.
    if (code === '42P01' || code === '42703') console.error('admin:create: run npm run migrate first');
    else console.error(error instanceof AdminSetupError ? `admin:create: ${error.message}` : error);
    process.exit(1);
  });
}
