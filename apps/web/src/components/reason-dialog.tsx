import { CombinedGraphQLErrors } from '@apollo/client';
import { Alert, Form, Input, Modal } from 'antd';
import { useState, type ReactNode } from 'react';
import { classifyError } from '../errors';

export interface ReasonDialogProps<T extends { reason: string }> {
  title: string;
  /** What the action is about (the share, the next level…), above the form. */
  intro: ReactNode;
  okText: string;
  reasonLabel: string;
  reasonPlaceholder?: string;
  maxLength: number;
  danger?: boolean;
  initialValues?: Partial<T>;
  /** Further fields of the same form. */
  children?: ReactNode;
  /** Sends the form; a rejection is shown on its field (BAD_USER_INPUT with a field) or above the form. */
  onSubmit(values: T): Promise<void>;
  /** The thing changed meanwhile (CONFLICT): reload what the page shows. */
  onConflict?(): void;
  onClose(): void;
}

/**
 * A form whose heart is a required reason (立即升级, 跳过, 退回, 开具督办单): the API's field error lands on its
 * field, any other refusal above the form, and the button is disabled while sending.
 */
export function ReasonDialog<T extends { reason: string }>(props: ReasonDialogProps<T>) {
  const [form] = Form.useForm<T>();
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async (values: T) => {
    setSending(true);
    setFailure(null);
    try {
      await props.onSubmit({ ...values, reason: values.reason.trim() });
    } catch (error) {
      const ui = classifyError(error);
      if (ui.kind === 'field' && form.getFieldInstance(ui.field as never) !== undefined) {
        form.setFields([{ name: ui.field as never, errors: [ui.message] }]);
      } else if (ui.kind === 'conflict') {
        // The API says what moved on (已到最后一级, 已被他人修改…); the page reloads behind the dialog.
        setFailure(CombinedGraphQLErrors.is(error) ? (error.errors[0]?.message ?? ui.message) : ui.message);
        props.onConflict?.();
      } else {
        setFailure(ui.message);
      }
    } finally {
      setSending(false);
    }
  };

  return (
    <Modal
      open
      title={props.title}
      okText={props.okText}
      cancelText="取消"
      okButtonProps={{ danger: props.danger, loading: sending, htmlType: 'submit', form: 'reason-dialog' }}
      onCancel={props.onClose}
      maskClosable={false}
      destroyOnHidden
    >
      <div style={{ marginBottom: 16 }}>{props.intro}</div>
      {failure && <Alert type="error" showIcon title={failure} style={{ marginBottom: 16 }} />}
      <Form<T>
        id="reason-dialog"
        form={form}
        layout="vertical"
        initialValues={props.initialValues}
        onFinish={(values) => void submit(values)}
      >
        <Form.Item
          name="reason"
          label={props.reasonLabel}
          rules={[{ required: true, whitespace: true, message: `请填写${props.reasonLabel}` }]}
        >
          <Input.TextArea
            rows={4}
            maxLength={props.maxLength}
            showCount
            placeholder={props.reasonPlaceholder}
            autoFocus
          />
        </Form.Item>
        {props.children}
      </Form>
    </Modal>
  );
}
