import { Writable } from 'node:stream';
import pino from 'pino';
import { loadConfig } from '@zhezi/core';
import { loggerParams } from './logging';

describe('loggerParams', () => {
  const development = loadConfig({ NODE_ENV: 'development' });

  it('pretty-prints in development when no destination is given', () => {
    const { pinoHttp } = loggerParams('api', development);
    expect(pinoHttp).toMatchObject({ transport: { target: 'pino-pretty' } });
  });

  it('writes JSON lines to a given destination whatever the environment', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const { pinoHttp } = loggerParams('api', development, destination);
    expect(Array.isArray(pinoHttp)).toBe(true);
    const [options, stream] = pinoHttp as [pino.LoggerOptions, Writable];
    expect(options).not.toHaveProperty('transport');
    expect(stream).toBe(destination);
    pino(options, stream).info({ args: { token: 'secret' } }, 'hello');
    expect(JSON.parse(lines[0])).toMatchObject({
      service: 'api',
      msg: 'hello',
      args: { token: '[redacted]' },
    });
  });
});
