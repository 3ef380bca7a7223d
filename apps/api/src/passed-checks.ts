import { BoundedMap } from '@zhezi/core';

/**
 * Keys of inputs that passed a check whose outcome depends on the input alone, so the check need not run again
 * for them: at most `limit` keys of at most `maxKeyLength` characters, the oldest forgotten first. Failures are
 * never added; a longer key is not remembered and its input is checked every time.
 */
export class PassedChecks {
  private readonly keys: BoundedMap<string, true>;

  constructor(
    limit: number,
    private readonly maxKeyLength: number,
  ) {
    this.keys = new BoundedMap(limit);
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  add(key: string): void {
    if (key.length <= this.maxKeyLength) this.keys.set(key, true);
  }
}
