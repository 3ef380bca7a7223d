/**
 * Keys of inputs that passed a check whose outcome depends on the input alone, so the check need not run again
 * for them: at most `limit` keys of at most `maxKeyLength` characters, the oldest forgotten first. Failures are
 * never added; a longer key is not remembered and its input is checked every time.
 */
export class PassedChecks {
  private readonly keys = new Set<string>();

  constructor(
    private readonly limit: number,
    private readonly maxKeyLength: number,
  ) {}

  has(key: string): boolean {
    return this.keys.has(key);
  }

  add(key: string): void {
    if (key.length > this.maxKeyLength) return;
    // The oldest first: a Set iterates in insertion order.
    if (this.keys.size >= this.limit) this.keys.delete(this.keys.values().next().value!);
    this.keys.add(key);
  }
}
