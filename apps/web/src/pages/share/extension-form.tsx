import { useMutation } from '@apollo/client/react';
import { Form, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { graphql } from '../../gql';
import { longDate } from '../../workdays';
import { ConflictAlert, DateField, FormButtons, TextField } from './form-parts';
import { endOfBeijingDay, extensionDateProblem } from './rules';
import { AFTER_CHANGE, type ActionFormProps } from './share-query';
import { fieldsNamed, useSubmit } from './use-submit';

const REQUEST_EXTENSION = graphql(`
  mutation RequestExtension($input: RequestExtensionInput!) {
    requestExtension(input: $input) {
      id
      status
    }
  }
`);

interface Values {
  newDueAt: Dayjs;
  reason: string;
}

/** 申请延期: a later date (not past the department's own, for a part) and the reason; approved up the flow. */
export function ExtensionForm({ share, reload, onDone, onCancel }: ActionFormProps) {
  const [form] = Form.useForm<Values>();
  const [requestExtension] = useMutation(REQUEST_EXTENSION, AFTER_CHANGE);
  const submit = useSubmit(form, fieldsNamed('newDueAt', 'reason'), reload);
  const parentDue = share.parent?.dueAt;

  const onFinish = async (values: Values) => {
    const ok = await submit.run(() =>
      requestExtension({
        variables: {
          input: {
            assignmentId: share.id,
            version: share.version,
            newDueAt: endOfBeijingDay(values.newDueAt),
            reason: values.reason.trim(),
          },
        },
      }),
    );
    if (ok) {
      onDone({
        message: `已申请延期至 ${longDate(endOfBeijingDay(values.newDueAt))}，延期审批中；批准前仍按原完成时限推进`,
        next: 'report',
      });
    }
  };

  return (
    <Form<Values> form={form} layout="vertical" onFinish={(v) => void onFinish(v)} disabled={submit.sending}>
      <ConflictAlert submit={submit} />
      <Typography.Paragraph>
        现有完成时限 {longDate(share.dueAt)}
        {parentDue ? `；不能晚于上级部门的完成时限 ${longDate(parentDue)}` : ''}。
      </Typography.Paragraph>
      <DateField
        name="newDueAt"
        label="申请延至"
        required="请选择新的完成时限"
        problem={(day) => extensionDateProblem(day, share.dueAt, parentDue)}
      />
      <TextField name="reason" label="延期理由" maxLength={2000} required="请填写延期理由" />
      <FormButtons submit={submit} label="申请延期" onCancel={onCancel} />
    </Form>
  );
}
