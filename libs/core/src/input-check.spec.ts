import { AppError, ErrorCode } from './errors';
import { findUnstorableText, InputCheckPipe, isStorableText } from './input-check';

describe('isStorableText', () => {
  it('refuses NUL and lone surrogates, keeps whole characters', () => {
    expect(isStorableText('任务 😀 \u200b ok')).toBe(true);
    expect(isStorableText('a\u0000b')).toBe(false);
    expect(isStorableText('x\ud800y')).toBe(false);
    expect(isStorableText('x\udc00')).toBe(false);
    expect(isStorableText('\ude00\ud83d')).toBe(false);
  });
});

describe('findUnstorableText', () => {
  it('names the first bad string by its path through objects and lists', () => {
    expect(findUnstorableText({ title: 'ok', leadUnits: [{ note: 'ok' }, { note: 'a\u0000' }] })).toBe(
      'leadUnits.1.note',
    );
    expect(findUnstorableText(['ok', 'x\ud800'], 'ids')).toBe('ids.1');
    expect(findUnstorableText({ 'k\u0000': 1 })).toBe('k\u0000');
    expect(findUnstorableText({ title: 'fine', n: 1, when: new Date(), none: null })).toBeNull();
  });

  it('leaves uploads, buffers and streams alone', () => {
    const upload = Promise.resolve({ filename: 'a\u0000' });
    expect(
      findUnstorableText({ file: upload, data: Buffer.from('\u0000'), m: new Map([['a', '\u0000']]) }),
    ).toBeNull();
  });
});

describe('InputCheckPipe', () => {
  const pipe = new InputCheckPipe();
  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return error instanceof AppError ? { code: error.code, field: error.extensions.field } : error;
    }
    return null;
  };

  it('refuses a bad string argument as BAD_USER_INPUT naming it', () => {
    expect(refusal(() => pipe.transform('a\u0000', { type: 3 as never, data: 'username' }))).toEqual({
      code: ErrorCode.BAD_USER_INPUT,
      field: 'username',
    });
    expect(refusal(() => pipe.transform({ title: 'x\ud800y' }, { type: 3 as never, data: 'input' }))).toEqual(
      {
        code: ErrorCode.BAD_USER_INPUT,
        field: 'title',
      },
    );
    expect(refusal(() => pipe.transform({ unit: '\u0000' }, { type: 'query', data: undefined }))).toEqual({
      code: ErrorCode.BAD_USER_INPUT,
      field: 'unit',
    });
  });

  it('passes good input through and ignores what the caller did not send', () => {
    const input = { title: '折子工程' };
    expect(pipe.transform(input, { type: 3 as never, data: 'input' })).toBe(input);
    const actor = { displayName: '\u0000' };
    expect(pipe.transform(actor, { type: 'custom', data: undefined })).toBe(actor);
  });
});
