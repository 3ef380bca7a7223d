import { App, type FormInstance } from 'antd';
import { useCallback } from 'react';
import { classifyError, fieldPath } from '../errors';

const sameName = (a: (string | number)[], b: (string | number)[]) =>
  a.length === b.length && a.every((part, i) => part === b[i]);

export interface ReportOptions {
  /** The form the user filled in: a field error the API names goes on that field. */
  form?: FormInstance;
  /** Where a field error goes when the form has no such field (a path inside an imported file's content). */
  fallbackField?: string;
  /** Called after 已被他人修改, to show the fresh data. */
  reload?: () => unknown;
}

/**
 * Shows an API error where the user acted: on the form field it names, as 已被他人修改 followed by a reload on a
 * stale write, and otherwise as a message. Network loss and an expired session are left to the banner and the
 * sign-in redirect.
 */
export function useReportError() {
  const { message } = App.useApp();
  return useCallback(
    (error: unknown, { form, fallbackField, reload }: ReportOptions = {}): void => {
      const mapped = classifyError(error);
      if (mapped.kind === 'field' && form) {
        const registered = (name: (string | number)[]) =>
          form.getFieldsError().some((f) => sameName(f.name, name));
        let name = fieldPath(mapped.field);
        if (!registered(name) && fallbackField) name = fieldPath(fallbackField);
        if (registered(name)) {
          form.setFields([{ name, errors: [mapped.message] }]);
          form.scrollToField(name);
          return;
        }
      }
      if (mapped.kind === 'network' || mapped.kind === 'unauthenticated') return;
      if (mapped.kind === 'conflict') {
        void message.warning(mapped.message);
        void reload?.();
        return;
      }
      void message.error(mapped.message);
    },
    [message],
  );
}
