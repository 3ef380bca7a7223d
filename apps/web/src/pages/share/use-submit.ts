import { App, type FormInstance } from 'antd';
import { useState } from 'react';
import { classifyError } from '../../errors';
import { fieldPath } from './rules';

/** Where an API field's error goes in a form; null shows it as a message instead. */
export type FieldMap = (path: (string | number)[]) => (string | number)[] | null;

/** The form's own fields, by their top-level names. */
export const fieldsNamed =
  (...names: string[]): FieldMap =>
  (path) =>
    names.includes(String(path[0])) ? path : null;

export interface Submit {
  sending: boolean;
  /** The last attempt met a stale version: the page reloaded, the form says so. */
  conflict: boolean;
  /** Runs `send`; true when it succeeded. Errors land on their field, or as a message. */
  run(send: () => Promise<unknown>): Promise<boolean>;
}

/**
 * One way every form on the share's page sends: the button waits, BAD_USER_INPUT goes on its field, CONFLICT
 * reloads the share and says 已被他人修改, network loss and an expired session are left to the layout.
 */
export function useSubmit(
  form: FormInstance | null,
  fields: FieldMap,
  reload: () => Promise<unknown>,
): Submit {
  const { message } = App.useApp();
  const [sending, setSending] = useState(false);
  const [conflict, setConflict] = useState(false);
  return {
    sending,
    conflict,
    async run(send) {
      setSending(true);
      setConflict(false);
      try {
        await send();
        return true;
      } catch (error) {
        const mapped = classifyError(error);
        const name = form && mapped.kind === 'field' ? fields(fieldPath(mapped.field)) : null;
        if (form && name) form.setFields([{ name, errors: [mapped.message] }]);
        else if (mapped.kind === 'conflict') {
          setConflict(true);
          await reload();
        } else if (mapped.kind !== 'network' && mapped.kind !== 'unauthenticated') {
          void message.error(mapped.message);
        }
        return false;
      } finally {
        setSending(false);
      }
    },
  };
}
