import { useMutation } from '@apollo/client/react';
import { Descriptions, Form, Select } from 'antd';
import { graphql } from '../../gql';
import { longDate } from '../../workdays';
import { ConflictAlert, FormButtons, TextField } from './form-parts';
import { AFTER_CHANGE, type ActionFormProps } from './share-query';
import { fieldsNamed, useSubmit } from './use-submit';

const ANSWER_NOTICE = graphql(`
  mutation AnswerSupervisionNotice($input: AnswerSupervisionNoticeInput!) {
    answerSupervisionNotice(input: $input) {
      id
      code
      status
    }
  }
`);

interface Values {
  noticeId: string;
  response: string;
  newPlan: string;
}

/** 答复督办单: the 整改说明 and a new plan, for the 督查室 to accept or return. */
export function AnswerForm({ share, reload, onDone, onCancel }: ActionFormProps) {
  const [form] = Form.useForm<Values>();
  const [answer] = useMutation(ANSWER_NOTICE, AFTER_CHANGE);
  const submit = useSubmit(form, fieldsNamed('response', 'newPlan'), reload);
  const open = share.supervisionNotices.filter((n) => n.status === 'OPEN');
  const noticeId = Form.useWatch('noticeId', form) ?? open[0]?.id;
  const notice = open.find((n) => n.id === noticeId);

  const onFinish = async (values: Values) => {
    if (!notice) return;
    const ok = await submit.run(() =>
      answer({
        variables: {
          input: {
            noticeId: notice.id,
            version: notice.version,
            response: values.response.trim(),
            newPlan: values.newPlan.trim(),
          },
        },
      }),
    );
    if (ok) onDone({ message: `已答复督办单 ${notice.code}，等待督查室审核`, next: 'report' });
  };

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      onFinish={(v) => void onFinish(v)}
      initialValues={{ noticeId: open[0]?.id }}
      disabled={submit.sending}
    >
      <ConflictAlert submit={submit} />
      {open.length > 1 && (
        <Form.Item name="noticeId" label="督办单">
          <Select options={open.map((n) => ({ value: n.id, label: n.code }))} />
        </Form.Item>
      )}
      {notice && (
        <Descriptions column={1} size="small" style={{ marginBottom: 16 }}>
          <Descriptions.Item label="督办单">{notice.code}</Descriptions.Item>
          <Descriptions.Item label="督办事由">{notice.reason}</Descriptions.Item>
          <Descriptions.Item label="答复时限">{longDate(notice.responseDueAt)}</Descriptions.Item>
          {notice.returnReason && (
            <Descriptions.Item label="退回理由">{notice.returnReason}</Descriptions.Item>
          )}
        </Descriptions>
      )}
      <TextField
        name="response"
        label="整改说明"
        maxLength={5000}
        required="请填写整改说明"
        placeholder="未按期完成的原因、已采取的整改措施"
      />
      <TextField
        name="newPlan"
        label="新的推进计划"
        maxLength={5000}
        required="请填写新的推进计划"
        placeholder="下一步安排和预计完成时间"
      />
      <FormButtons submit={submit} label="提交答复" onCancel={onCancel} />
    </Form>
  );
}
