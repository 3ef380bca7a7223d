import { Alert, Button, DatePicker, Form, Input, Space } from 'antd';
import type { Dayjs } from 'dayjs';
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

/**
 * A required day that `problem` may refuse (one of the rules in ./rules): the picker greys out the days it refuses
 * and the form refuses a typed one with the same words.
 */
export function DateField({
  name,
  label,
  required,
  problem,
}: {
  name: string | (string | number)[];
  label: string;
  required: string;
  problem: (day: Dayjs | null | undefined) => string | null;
}) {
  return (
    <Form.Item
      name={name}
      label={label}
      rules={[
        { required: true, message: required },
        {
          validator: (_, value: Dayjs | undefined) => {
            const refused = problem(value);
            return refused ? Promise.reject(new Error(refused)) : Promise.resolve();
          },
        },
      ]}
    >
      <DatePicker style={{ width: 200 }} disabledDate={(day) => problem(day) !== null} />
    </Form.Item>
  );
}

/** A text the API bounds by `maxLength`; `required` says what to write when it is left empty. */
export function TextField({
  name,
  label,
  maxLength,
  required,
  placeholder,
  rows = 4,
}: {
  name: string;
  label: string;
  maxLength: number;
  required?: string;
  placeholder?: string;
  rows?: number;
}) {
  return (
    <Form.Item
      name={name}
      label={label}
      rules={required ? [{ required: true, whitespace: true, message: required }] : []}
    >
      <Input.TextArea rows={rows} maxLength={maxLength} showCount placeholder={placeholder} />
    </Form.Item>
  );
}
