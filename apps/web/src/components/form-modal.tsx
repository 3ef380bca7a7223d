import { Modal, type FormInstance } from 'antd';
import type { ReactNode } from 'react';

interface Props {
  title: ReactNode;
  /** The form inside: the OK button submits it (its onFinish does the work). */
  form: FormInstance;
  /** While the mutation runs: the OK button spins and cannot be pressed twice. */
  loading: boolean;
  onClose(): void;
  okText?: string;
  /** For what cannot be undone (合并, 重置密码). */
  danger?: boolean;
  width?: number;
  children: ReactNode;
}

/** A dialog holding one form, opened by rendering it and closed by `onClose`; its fields start afresh each time. */
export function FormModal({
  title,
  form,
  loading,
  onClose,
  okText = '保存',
  danger,
  width,
  children,
}: Props) {
  return (
    <Modal
      open
      title={title}
      okText={okText}
      okButtonProps={danger ? { danger: true } : undefined}
      onOk={() => form.submit()}
      confirmLoading={loading}
      onCancel={onClose}
      destroyOnHidden
      width={width}
    >
      {children}
    </Modal>
  );
}
