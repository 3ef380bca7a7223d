import { useMutation } from '@apollo/client/react';
import { Form, Typography } from 'antd';
import { graphql } from '../../gql';
import { ConflictAlert, FormButtons, TextField } from './form-parts';
import { AFTER_CHANGE, type ActionFormProps } from './share-query';
import { fieldsNamed, useSubmit } from './use-submit';

const REQUEST_CLOSE_OUT = graphql(`
  mutation RequestCloseOut($input: RequestCloseOutInput!) {
    requestCloseOut(input: $input) {
      id
      status
      steps {
        position
        name
      }
    }
  }
`);

/** 申请销号: the unit says the work is done; the request goes up the close-out flow. */
export function CloseOutForm({ share, reload, onDone, onCancel }: ActionFormProps) {
  const [form] = Form.useForm<{ comment?: string }>();
  const [requestCloseOut] = useMutation(REQUEST_CLOSE_OUT, AFTER_CHANGE);
  const submit = useSubmit(form, fieldsNamed('comment'), reload);

  const onFinish = async ({ comment }: { comment?: string }) => {
    let first = '';
    const ok = await submit.run(async () => {
      const { data } = await requestCloseOut({
        variables: {
          input: { assignmentId: share.id, version: share.version, comment: comment?.trim() ?? '' },
        },
      });
      first = data?.requestCloseOut.steps[0]?.name ?? '';
    });
    if (ok) onDone({ message: `已申请销号，销号审批中${first ? `，先由${first}` : ''}；审批结果会通知你` });
  };

  return (
    <Form form={form} layout="vertical" onFinish={(v) => void onFinish(v)} disabled={submit.sending}>
      <ConflictAlert submit={submit} />
      <Typography.Paragraph>
        当前进度 {share.progressPercent}
        %。申请后本分工进入“销号审批中”，按销号审批流程逐级审批，全部同意后销号。
      </Typography.Paragraph>
      <TextField
        name="comment"
        label="完成情况说明"
        maxLength={2000}
        placeholder="完成了什么、达到的效果、佐证材料在哪次报送中"
      />
      <FormButtons submit={submit} label="申请销号" onCancel={onCancel} />
    </Form>
  );
}
