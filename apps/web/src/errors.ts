import { CombinedGraphQLErrors, ServerError } from '@apollo/client';

export const CONFLICT_MESSAGE = '已被他人修改，已重新载入最新数据';
export const NETWORK_MESSAGE = '无法连接服务器，请检查网络；恢复后自动重试';

/** What the UI does with an error from the API: one decision, made here for every page and form. */
export type UiError =
  | { kind: 'field'; field: string; message: string }
  | { kind: 'conflict'; message: string }
  | { kind: 'forbidden'; message: string }
  | { kind: 'unauthenticated'; message: string }
  | { kind: 'network'; message: string }
  | { kind: 'other'; message: string };

/**
 * BAD_USER_INPUT with `extensions.field` goes on that form field; CONFLICT says 已被他人修改 (the caller reloads);
 * FORBIDDEN shows its page; UNAUTHENTICATED sends to sign-in keeping the location; no answer is a network loss.
 */
export function classifyError(error: unknown): UiError {
  if (CombinedGraphQLErrors.is(error)) {
    const first = error.errors[0];
    const code = first?.extensions?.code;
    const message = first?.message ?? '操作失败';
    const field = first?.extensions?.field;
    if (code === 'BAD_USER_INPUT' && typeof field === 'string') {
      // Shown beside the field itself, the path the validator names (输入有误（levels.0.role）：…) is noise.
      return { kind: 'field', field, message: message.replace(/^输入有误（[^）]*）：/, '') };
    }
    // A CONFLICT naming a field is about the value entered (a name already taken), one with a reason is a
    // rule of the data (a unit with open work); only the rest means someone else changed what was read.
    if (code === 'CONFLICT' && typeof field === 'string') return { kind: 'field', field, message };
    if (code === 'CONFLICT' && first?.extensions?.reason) return { kind: 'other', message };
    if (code === 'CONFLICT') return { kind: 'conflict', message: CONFLICT_MESSAGE };
    if (code === 'FORBIDDEN') return { kind: 'forbidden', message };
    if (code === 'UNAUTHENTICATED') return { kind: 'unauthenticated', message };
    return { kind: 'other', message };
  }
  // A proxy or the server itself down (502–504), or no answer at all (fetch's TypeError, a closed socket).
  if (ServerError.is(error)) {
    return error.statusCode >= 502 && error.statusCode <= 504
      ? { kind: 'network', message: NETWORK_MESSAGE }
      : { kind: 'other', message: `服务器错误（${error.statusCode}）` };
  }
  if (error instanceof TypeError || (error instanceof Error && /fetch|network|socket/i.test(error.message))) {
    return { kind: 'network', message: NETWORK_MESSAGE };
  }
  return { kind: 'other', message: error instanceof Error ? error.message : '操作失败' };
}

/** The API's field path (`levels.0.offsetWorkdays`) as a form's name path (`['levels', 0, 'offsetWorkdays']`). */
export function fieldPath(field: string): (string | number)[] {
  return field.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}
