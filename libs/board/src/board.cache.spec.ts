import { BoardCache } from './board.cache';

describe('BoardCache', () => {
  const at = (iso: string) => new Date(iso);
  const until = at('2026-12-04T16:00:00Z');

  it('computes once per version while the figures hold, sharing a computation in flight', async () => {
    const cache = new BoardCache<number>();
    let runs = 0;
    const compute = () => Promise.resolve({ value: ++runs, validUntil: until });
    const now = at('2026-12-04T08:00:00Z');
    const [a, b] = await Promise.all([
      cache.get('k', 'v1', now, compute),
      cache.get('k', 'v1', now, compute),
    ]);
    expect([a, b, await cache.get('k', 'v1', now, compute)]).toEqual([1, 1, 1]);
    expect(await cache.get('k', 'v2', now, compute)).toBe(2);
    expect(await cache.get('other', 'v2', now, compute)).toBe(3);
  });

  it('recomputes once the clock reaches the figures’ validity', async () => {
    const cache = new BoardCache<number>();
    let runs = 0;
    const compute = () => Promise.resolve({ value: ++runs, validUntil: until });
    await cache.get('k', 'v', at('2026-12-04T08:00:00Z'), compute);
    expect(await cache.get('k', 'v', at('2026-12-04T15:59:59Z'), compute)).toBe(1);
    expect(await cache.get('k', 'v', until, compute)).toBe(2);
  });

  it('forgets a failed computation and the oldest entry past its limit', async () => {
    const cache = new BoardCache<number>(2);
    const now = at('2026-12-04T08:00:00Z');
    await expect(cache.get('k', 'v', now, () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    let runs = 0;
    const compute = () => Promise.resolve({ value: ++runs, validUntil: until });
    expect(await cache.get('k', 'v', now, compute)).toBe(1);
    await cache.get('b', 'v', now, compute);
    await cache.get('c', 'v', now, compute);
    expect(await cache.get('k', 'v', now, compute)).toBe(4);
  });
});
