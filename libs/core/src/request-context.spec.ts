import { requestLoader, type RequestContext } from './request-context';

describe('requestLoader', () => {
  const context = (): RequestContext => ({ req: { headers: {} }, loaders: new Map() });

  it('answers a primed key without a promise and loads the others in one batch', async () => {
    const batches: (readonly string[])[] = [];
    const loader = requestLoader<string, number | null>(context(), 'length', (keys) => {
      batches.push(keys);
      return Promise.resolve(keys.map((k) => k.length));
    });
    loader.prime('ahead', null);
    expect(loader.get('ahead')).toBeNull();
    const [ab, abc] = [loader.get('ab'), loader.get('abc')];
    expect(ab).toBeInstanceOf(Promise);
    expect([await ab, await abc]).toEqual([2, 3]);
    expect(batches).toEqual([['ab', 'abc']]);
  });

  it('forgets a primed value when it is cleared, and never keeps an error or a promise as one', async () => {
    const loader = requestLoader<string, number>(context(), 'length', (keys) =>
      Promise.resolve(keys.map((k) => k.length)),
    );
    loader.prime('a', 7);
    loader.clear('a');
    await expect(loader.get('a')).resolves.toBe(1);
    loader.prime('b', Promise.resolve(5));
    loader.prime('c', new Error('refused'));
    expect(loader.get('b')).toBeInstanceOf(Promise);
    await expect(loader.get('c')).rejects.toThrow('refused');
  });

  it('is one loader per request and key', () => {
    const ctx = context();
    const batch = (keys: readonly string[]) => Promise.resolve(keys.map(() => 0));
    expect(requestLoader(ctx, 'k', batch)).toBe(requestLoader(ctx, 'k', batch));
    expect(requestLoader(context(), 'k', batch)).not.toBe(requestLoader(ctx, 'k', batch));
  });
});
