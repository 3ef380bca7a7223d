import { IsDate, IsOptional, Max, Min } from 'class-validator';
import { validationPipe } from './graphql.config';
import { PassedArguments } from './passed-arguments';

class Page {
  @IsOptional()
  @Min(1)
  @Max(100)
  first?: number;
}

class Due {
  @IsDate()
  at!: unknown;
}

describe('PassedArguments', () => {
  const passed = new PassedArguments();

  it('keys plain data by value and by class', () => {
    expect(passed.keyOf(Object.assign(new Page(), { first: 20 }))).toBe(
      passed.keyOf(Object.assign(new Page(), { first: 20 })),
    );
    expect(passed.keyOf(Object.assign(new Page(), { first: 20 }))).not.toBe(
      passed.keyOf(Object.assign(new Page(), { first: 21 })),
    );
    expect(passed.keyOf(Object.assign(new Page(), { first: 20 }))).not.toBe(passed.keyOf({ first: 20 }));
    // A date and its text validate differently (@IsDate), so they must not share a key.
    const at = new Date('2026-12-07T00:00:00Z');
    expect(passed.keyOf({ at })).not.toBe(passed.keyOf({ at: at.toISOString() }));
    expect(passed.keyOf({ list: ['a', 'b'] })).not.toBe(passed.keyOf({ list: ['a,b'] }));
  });

  it('remembers nothing that is not plain data or is too large', () => {
    expect(passed.keyOf({ file: Buffer.from('x') })).toBeNull();
    expect(passed.keyOf({ upload: Promise.resolve() })).toBeNull();
    expect(passed.keyOf({ n: Number.NaN })).toBeNull();
    expect(passed.keyOf({ fn: () => 1 })).toBeNull();
    expect(passed.keyOf({ text: 'x'.repeat(600) })).toBeNull();
    // The validation pipe's stand-in for a primitive argument (an enum's metatype is a plain object under SWC).
    expect(passed.keyOf({ constructor: { A: 'A' } })).toBeNull();
  });
});

describe('validationPipe with remembered arguments', () => {
  const pipe = (value: unknown, metatype: new () => unknown) =>
    validationPipe.transform(value, { type: 'body', metatype });

  it('still refuses bad arguments after good ones, every time', async () => {
    await expect(pipe({ first: 20 }, Page)).resolves.toBeInstanceOf(Page);
    await expect(pipe({ first: 20 }, Page)).resolves.toEqual({ first: 20 });
    for (let i = 0; i < 2; i++) {
      await expect(pipe({ first: 101 }, Page)).rejects.toMatchObject({
        extensions: { code: 'BAD_USER_INPUT', field: 'first' },
      });
    }
    await expect(pipe({ at: '2026-12-07T00:00:00.000Z' }, Due)).rejects.toMatchObject({
      extensions: { field: 'at' },
    });
    await expect(pipe({ at: new Date('2026-12-07T00:00:00.000Z') }, Due)).resolves.toBeInstanceOf(Due);
    await expect(pipe({ at: '2026-12-07T00:00:00.000Z' }, Due)).rejects.toMatchObject({
      extensions: { field: 'at' },
    });
  });
});
