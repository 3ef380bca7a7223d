import { Args, ID } from '@nestjs/graphql';
import { isUUID } from 'class-validator';
import { badInput } from './errors';

/**
 * An `ID` argument that must be a UUID: a malformed id is the caller's mistake (BAD_USER_INPUT naming the
 * argument), not a database error. `ID!` unless `nullable`, when null or an omitted argument passes.
 */
export const IdArg = (name: string, options: { nullable?: boolean; description?: string } = {}) =>
  Args(
    name,
    { type: () => ID, ...options },
    {
      transform(value: unknown): string | null | undefined {
        if (options.nullable && value == null) return value;
        if (typeof value !== 'string' || !isUUID(value)) throw badInput(name, `${name} 不是有效的 ID`);
        return value;
      },
    },
  );
