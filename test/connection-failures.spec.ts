import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TEST_REDIS_URL, testServerUrl } from '@zhezi/testing';

const ROOT = join(__dirname, '..');

/** A port nothing listens on: taken from the kernel, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs one of the apps' entry points the way `npm run` does; resolves with its exit code and output. */
async function run(entry: string, env: Record<string, string>) {
  const result = await promisify(execFile)(process.execPath, ['-r', '@swc-node/register', entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', NO_COLOR: '1', ...env },
    timeout: 60_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  return { code: result.code, output: `${result.stdout}${result.stderr}`.trim() };
}

describe('a server that cannot be reached is named in a sentence', () => {
  jest.setTimeout(90_000);

  it('npm run migrate: PostgreSQL, its URL without the password, what to try; no stack trace', async () => {
    const url = `postgres://zhezi:s3cret@127.0.0.1:${await closedPort()}/zhezi`;
    const { code, output } = await run('apps/cli/src/migrate.ts', { DATABASE_URL: url });
    expect(code).toBe(1);
    expect(output).toBe(
      `Cannot connect to PostgreSQL at ${url.replace('s3cret', '***')}: nothing is listening there ` +
        '(connection refused). Start PostgreSQL there, or set DATABASE_URL to a server that runs.',
    );
  });

  it('the worker and the api at start: the server that is down, and nothing else', async () => {
    const redisUrl = `redis://127.0.0.1:${await closedPort()}`;
    const env = { DATABASE_URL: testServerUrl(), REDIS_URL: redisUrl, PORT: String(await closedPort()) };
    const [worker, api] = await Promise.all([
      run('apps/worker/src/main.ts', env),
      run('apps/api/src/main.ts', {
        ...env,
        REDIS_URL: TEST_REDIS_URL,
        DATABASE_URL: 'postgres://x@127.0.0.1:1/x',
      }),
    ]);
    expect(worker).toEqual({
      code: 1,
      output: `Cannot connect to Redis at ${redisUrl}: nothing is listening there (connection refused). Start Redis there, or set REDIS_URL to a server that runs.`,
    });
    expect(api.code).toBe(1);
    expect(api.output).toMatch(
      /^Cannot connect to PostgreSQL at postgres:\/\/x@127\.0\.0\.1:1\/x: nothing is listening/,
    );
    expect(api.output.split('\n')).toHaveLength(1);
  });
});
