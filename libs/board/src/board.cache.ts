import { BoundedMap } from '@zhezi/core';

interface Entry<T> {
  version: string;
  validUntil: number;
  value: Promise<T>;
}

/**
 * Board results computed from the read model, kept while the rows they came from are unchanged (`version`: the
 * rows' revisions, which every change bumps in its own transaction) and their figures still hold (`validUntil`:
 * midnight, or the next deadline that turns a light). A hit costs one indexed sum instead of the computation;
 * concurrent misses share one computation. Per process, bounded, oldest out first.
 */
export class BoardCache<T> {
  private readonly entries: BoundedMap<string, Entry<T>>;

  constructor(limit = 1000) {
    this.entries = new BoundedMap(limit);
  }

  get(
    key: string,
    version: string,
    now: Date,
    compute: () => Promise<{ value: T; validUntil: Date }>,
  ): Promise<T> {
    const hit = this.peek(key, version, now);
    if (hit) return hit;
    const computed = compute();
    const entry = this.put(
      key,
      version,
      Infinity,
      computed.then((c) => c.value),
    );
    computed.then(
      (c) => (entry.validUntil = c.validUntil.getTime()),
      () => this.entries.get(key) === entry && this.entries.delete(key),
    );
    return entry.value;
  }

  /** The value kept under `key` if it was computed at `version` and still holds at `now`. */
  peek(key: string, version: string, now: Date): Promise<T> | undefined {
    const hit = this.entries.get(key);
    return hit && hit.version === version && now.getTime() < hit.validUntil ? hit.value : undefined;
  }

  /** Keeps a value computed elsewhere (newest last, so the oldest goes first). */
  put(key: string, version: string, validUntil: number, value: Promise<T>): Entry<T> {
    const entry: Entry<T> = { version, validUntil, value };
    this.entries.set(key, entry);
    return entry;
  }
}
