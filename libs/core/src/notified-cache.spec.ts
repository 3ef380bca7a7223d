import { FixedClock } from './clock';
import { NotifiedCache } from './notified-cache';
import type { PgListener } from './pg-listener';

/** The channel as the cache sees it: whether it is heard, and what it says. */
class FakeListener {
  listening = true;
  notify: (payload: string) => void = () => undefined;
  reconnect: () => void = () => undefined;

  listen(channel: string, handler: (payload: string) => void, onReconnect: () => void): Promise<void> {
    expect(channel).toBe('rows_changed');
    [this.notify, this.reconnect] = [handler, onReconnect];
    return Promise.resolve();
  }

  isListening(): boolean {
    return this.listening;
  }
}

// ActiveUserCache's spec covers the rest through one row at a time: evictions overtaking reads, the listener lost
// during a read, the age and the limit.
describe('NotifiedCache', () => {
  const table = new Map([
    ['a', 'row a'],
    ['b', 'row b'],
    ['c', 'row c'],
  ]);
  let asked: string[][];
  let listener: FakeListener;
  let cache: NotifiedCache<string>;
  const read = (ids: string[]) => {
    asked.push(ids);
    return Promise.resolve(new Map(ids.flatMap((id) => (table.has(id) ? [[id, table.get(id)!]] : []))));
  };

  beforeEach(async () => {
    asked = [];
    listener = new FakeListener();
    cache = new NotifiedCache(listener as unknown as PgListener, new FixedClock(new Date()), {
      channel: 'rows_changed',
      limit: 100,
      maxAgeMs: 60_000,
    });
    await cache.listen();
  });

  it('reads only the rows it does not hold, and answers all it found', async () => {
    await cache.getMany(['a'], read);
    const found = await cache.getMany(['a', 'b', 'missing'], read);
    expect(found).toEqual(
      new Map([
        ['a', 'row a'],
        ['b', 'row b'],
      ]),
    );
    expect(asked).toEqual([['a'], ['b', 'missing']]);
  });

  it('asks again for a row it did not find, and for nothing it holds', async () => {
    await cache.getMany(['a', 'missing'], read);
    await cache.getMany(['a', 'missing'], read);
    expect(asked).toEqual([['a', 'missing'], ['missing']]);
  });

  it('forgets a row when its change is said, and all on reconnection', async () => {
    await cache.getMany(['a', 'b', 'c'], read);
    listener.notify('a');
    await cache.getMany(['a', 'b', 'c'], read);
    listener.reconnect();
    await cache.getMany(['a', 'b'], read);
    expect(asked).toEqual([['a', 'b', 'c'], ['a'], ['a', 'b']]);
  });

  it('reads everything while the channel is not heard', async () => {
    await cache.getMany(['a'], read);
    listener.listening = false;
    await cache.getMany(['a', 'b'], read);
    expect(asked).toEqual([['a'], ['a', 'b']]);
  });
});
