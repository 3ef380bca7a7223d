import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation } from '@apollo/client/react';
import { Button, Form, Input, Space } from 'antd';
import { FormModal } from '../../components/form-modal';
import { useReportError } from '../../components/report-error';
import type { DraftRowFragment } from '../../gql/graphql';
import { SPLIT_DRAFT } from './queries';

interface Values {
  parts: { title: string; description?: string }[];
}

/** 拆分: a draft becomes two or more, each keeping its units and deadline; the first part is the draft itself. */
export function SplitDialog({
  draft,
  onClose,
  onDone,
}: {
  draft: DraftRowFragment;
  onClose(): void;
  onDone(): unknown;
}) {
  const [form] = Form.useForm<Values>();
  const [split, { loading }] = useMutation(SPLIT_DRAFT);
  const report = useReportError();
  const onFinish = async ({ parts }: Values) => {
    try {
      await split({ variables: { input: { id: draft.id, version: draft.version, parts } } });
      await onDone();
      onClose();
    } catch (e) {
      report(e, { form, reload: onDone });
    }
  };
  return (
    <FormModal
      title={`拆分第 ${draft.code} 项`}
      form={form}
      loading={loading}
      onClose={onClose}
      okText="拆分"
      width={680}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(values) => void onFinish(values)}
        initialValues={{ parts: [{ title: draft.title, description: draft.description }, { title: '' }] }}
      >
        <Form.List name="parts">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, i) => (
                <Space key={field.key} align="start" style={{ display: 'flex' }}>
                  <Form.Item
                    name={[field.name, 'title']}
                    label={`第 ${i + 1} 条名称`}
                    rules={[{ required: true, whitespace: true, max: 200, message: '请填写名称' }]}
                    style={{ width: 260 }}
                  >
                    <Input />
                  </Form.Item>
                  <Form.Item name={[field.name, 'description']} label="内容" style={{ width: 300 }}>
                    <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} />
                  </Form.Item>
                  {fields.length > 2 && (
                    <Button
                      type="text"
                      aria-label={`删去第 ${i + 1} 条`}
                      icon={<MinusCircleOutlined />}
                      onClick={() => remove(field.name)}
                      style={{ marginTop: 30 }}
                    />
                  )}
                </Space>
              ))}
              {fields.length < 20 && (
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ title: '' })}>
                  再加一条
                </Button>
              )}
            </>
          )}
        </Form.List>
      </Form>
    </FormModal>
  );
}
