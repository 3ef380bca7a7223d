/**
 * A Map of at most `limit` entries, for what a process remembers between requests (verified tokens, users, board
 * answers): setting a key makes it the newest, and past the limit the oldest goes first, since a Map iterates in
 * insertion order.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly limit: number) {
    super();
  }

  override set(key: K, value: V): this {
    super.delete(key);
    super.set(key, value);
    if (this.size > this.limit) super.delete(this.keys().next().value as K);
    return this;
  }
}
