import { PassedChecks } from './passed-checks';

/** Longest key kept: larger arguments (a mutation's lists) are validated every time. */
const MAX_KEY = 512;
/** Per argument class. */
const LIMIT = 500;

const dataClasses = new WeakMap<object, boolean>();

/**
 * Whether instances of a prototype hold their data in their own fields: plain objects and argument classes do; a
 * promise, a buffer or a map keeps it where `Object.entries` cannot see, so any prototype with a built-in
 * class on its chain (other than Object) is refused.
 */
function isDataPrototype(proto: object | null): boolean {
  if (proto === null || proto === Object.prototype) return true;
  let known = dataClasses.get(proto);
  if (known === undefined) {
    const ctor = (proto as { constructor?: unknown }).constructor;
    known =
      typeof ctor === 'function' &&
      !Function.prototype.toString.call(ctor).endsWith('{ [native code] }') &&
      isDataPrototype(Object.getPrototypeOf(proto) as object | null);
    dataClasses.set(proto, known);
  }
  return known;
}

/**
 * Arguments that passed class-validator once pass again: their rules read nothing but the value (no async or
 * database checks), so an outcome depends on the value alone. Validating `{ first: 20 }` cost 2.5 % of an
 * executed board's CPU. Only plain data is remembered — strings, finite numbers, booleans, null, dates, arrays
 * and objects, each object named by its class — and only while its key stays short; anything else (an upload,
 * a buffer) is validated every time.
 */
export class PassedArguments {
  /** By the arguments' class: two classes of one name keep apart. */
  private readonly passed = new WeakMap<object, PassedChecks>();

  /** The value's key, or null where it is not plain data or too large to remember. */
  keyOf(value: object): string | null {
    let key = '';
    // False once the key is too long: a large value is given up as soon as that is known.
    const put = (text: string) => (key += text).length <= MAX_KEY;
    const walk = (v: unknown): boolean => {
      if (v === null || typeof v === 'string' || typeof v === 'boolean') return put(`${JSON.stringify(v)},`);
      if (typeof v === 'number') return Number.isFinite(v) && put(`${v},`);
      if (v instanceof Date) return put(`D${v.getTime()},`);
      if (Array.isArray(v)) return put('[') && v.every(walk) && put('],');
      // An own `constructor` is the pipe's stand-in for a primitive argument: its outcome is not the value's.
      if (typeof v !== 'object' || Object.hasOwn(v, 'constructor')) return false;
      if (!isDataPrototype(Object.getPrototypeOf(v) as object | null)) return false;
      if (!put(`${(v.constructor as { name?: string } | undefined)?.name ?? ''}{`)) return false;
      for (const [k, item] of Object.entries(v)) {
        if (item !== undefined && !(put(`${JSON.stringify(k)}:`) && walk(item))) return false;
      }
      return put('},');
    };
    return walk(value) ? key : null;
  }

  has(value: object, key: string): boolean {
    return this.passed.get(Object.getPrototypeOf(value) as object)?.has(key) ?? false;
  }

  add(value: object, key: string): void {
    const proto = Object.getPrototypeOf(value) as object;
    let keys = this.passed.get(proto);
    if (!keys) this.passed.set(proto, (keys = new PassedChecks(LIMIT, MAX_KEY)));
    keys.add(key);
  }
}
