import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { badInput } from './errors';

/**
 * What no text column can hold: NUL (PostgreSQL refuses it in text and jsonb) and half of a UTF-16 surrogate
 * pair without its other half (not a character at all; UTF-8 cannot encode it).
 */
const UNSTORABLE = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const isStorableText = (text: string): boolean => !UNSTORABLE.test(text);

/**
 * The path (`title`, `leadUnits.0.note`) of the first string in a value that cannot be stored, or null.
 * Walks arrays and objects (GraphQL inputs, JSON); dates, buffers, streams and uploads are not text.
 */
export function findUnstorableText(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return isStorableText(value) ? null : path;
  if (!value || typeof value !== 'object' || !isInputContainer(value)) return null;
  const at = (key: string | number) => (path ? `${path}.${key}` : String(key));
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i] as unknown, at(i));
      if (found !== null) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    if (!isStorableText(key)) return at(key);
    const found = findUnstorableText(item, at(key));
    if (found !== null) return found;
  }
  return null;
}

/** Plain objects, arrays and input classes; not Date, Buffer, Promise (an upload), stream or Map. */
function isInputContainer(value: object): boolean {
  if (Array.isArray(value)) return true;
  if (
    value instanceof Date ||
    ArrayBuffer.isView(value) ||
    typeof (value as { then?: unknown }).then === 'function'
  )
    return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || proto === Object.prototype || !(Symbol.iterator in value || 'pipe' in value);
}

/** Nest's parameter kinds that carry the caller's input: REST body, query and route params, GraphQL args (3). */
const CALLER_INPUT = new Set<unknown>(['body', 'query', 'param', 3]);

/**
 * One check for every argument of every resolver and controller: a string that PostgreSQL cannot store is the
 * caller's mistake (BAD_USER_INPUT naming it), not a database error. An object argument is named from inside,
 * like class-validator's fields (`title`, not `input.title`); a scalar or list argument by its own name.
 */
@Injectable()
export class InputCheckPipe implements PipeTransform {
  transform(value: unknown, { type, data }: ArgumentMetadata): unknown {
    if (!CALLER_INPUT.has(type)) return value;
    const inside = value !== null && typeof value === 'object' && !Array.isArray(value);
    const found = findUnstorableText(value, inside ? '' : (data ?? ''));
    if (found === null) return value;
    const field = found || data || 'input';
    throw badInput(field, `输入有误（${field}）：含有无法保存的字符（NUL 或残缺的 Unicode 字符）`);
  }
}
