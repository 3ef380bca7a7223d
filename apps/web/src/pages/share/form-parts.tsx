import { Alert, Button, Space } from 'antd';
import { CONFLICT_MESSAGE } from '../../errors';
import type { Submit } from './use-submit';

/** The top of a form: 已被他人修改 after a conflict (the share has been reloaded beneath it). */
export function ConflictAlert({ submit }: { submit: Submit }) {
  if (!submit.conflict) return null;
  return (
    <Alert
      type="warning"
      showIcon
      role="alert"
      style={{ marginBottom: 16 }}
      title={CONFLICT_MESSAGE}
      description="请核对最新的状态和进度后再提交。"
    />
  );
}

/** Submit and cancel, both disabled while the form is being sent. */
export function FormButtons({
  submit,
  label,
  onCancel,
}: {
  submit: Submit;
  label: string;
  onCancel: () => void;
}) {
  return (
    <Space>
      <Button type="primary" htmlType="submit" loading={submit.sending} disabled={submit.sending}>
        {label}
      </Button>
      <Button onClick={onCancel} disabled={submit.sending}>
        取消
      </Button>
    </Space>
  );
}

/** An antd rule's validator answer for a problem found by one of the rules in ./rules. */
export const rejectIf = (problem: string | null): Promise<void> =>
  problem ? Promise.reject(new Error(problem)) : Promise.resolve();
