import { useMutation } from '@apollo/client/react';
import { DatePicker, Form, InputNumber, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { graphql } from '../../gql';
import { EvidenceUpload, uploadedIds, type EvidenceList } from './evidence-upload';
import { ConflictAlert, FormButtons, TextField } from './form-parts';
import { needsReason, periodKey } from './rules';
import { AFTER_CHANGE, type ActionFormProps } from './share-query';
import { useSubmit, type FieldMap } from './use-submit';

const SUBMIT_PROGRESS = graphql(`
  mutation SubmitProgress($input: SubmitProgressInput!) {
    submitProgress(input: $input) {
      id
      period
      percent
    }
  }
`);

interface Values {
  period: Dayjs;
  percent?: number;
  text: string;
  reason?: string;
  evidence?: EvidenceList;
}

const FIELDS: FieldMap = (path) => {
  if (path[0] === 'evidenceIds') return ['evidence'];
  return ['period', 'percent', 'text', 'reason'].includes(String(path[0])) ? path : null;
};

/** 报送进展: the period, the percent (a split share's is its parts'), what was done, and the evidence. */
export function ProgressForm({
  share,
  reload,
  onDone,
  onCancel,
  phone,
}: ActionFormProps & { phone: boolean }) {
  const [form] = Form.useForm<Values>();
  const [submitProgress] = useMutation(SUBMIT_PROGRESS, AFTER_CHANGE);
  const submit = useSubmit(form, FIELDS, reload);
  const weekly = share.task.priority === 'URGENT';
  const split = share.children.length > 0;
  const percent = Form.useWatch('percent', form);
  const reasonNeeded = !split && needsReason(percent, share.progressPercent);

  const onFinish = async (values: Values) => {
    const files = values.evidence ?? [];
    if (files.some((f) => f.status === 'uploading')) {
      form.setFields([{ name: 'evidence', errors: ['请等待佐证材料上传完成'] }]);
      return;
    }
    const period = periodKey(values.period, weekly);
    const ok = await submit.run(() =>
      submitProgress({
        variables: {
          input: {
            assignmentId: share.id,
            version: share.version,
            period,
            text: values.text.trim(),
            percent: split ? undefined : values.percent,
            reason: reasonNeeded ? values.reason?.trim() : undefined,
            evidenceIds: uploadedIds(files),
          },
        },
      }),
    );
    if (ok) {
      const shown = split ? '' : `，进度 ${values.percent}%`;
      onDone({
        message: `已报送 ${period} 的进展${shown}；完成后可申请销号`,
        next: split ? undefined : 'closeOut',
      });
    }
  };

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      onFinish={(v) => void onFinish(v)}
      initialValues={{ period: dayjs(), percent: share.progressPercent }}
      disabled={submit.sending}
    >
      <ConflictAlert submit={submit} />
      <Form.Item
        name="period"
        label={weekly ? '报送期（紧急任务按周）' : '报送期（按月）'}
        rules={[{ required: true, message: '请选择报送期' }]}
      >
        <DatePicker
          picker={weekly ? 'week' : 'month'}
          allowClear={false}
          style={{ width: 200 }}
          // A period that has not begun cannot be reported.
          disabledDate={(d) => d.isAfter(dayjs(), weekly ? 'week' : 'month')}
        />
      </Form.Item>
      <Form.Item
        name="percent"
        label="进度（%）"
        extra={
          split
            ? `已分解给街镇，进度按下级分工汇总为 ${share.progressPercent}%`
            : `上次为 ${share.progressPercent}%`
        }
        rules={split ? [] : [{ required: true, message: '请填写进度（0–100）' }]}
      >
        <InputNumber min={0} max={100} precision={0} disabled={split} style={{ width: 120 }} />
      </Form.Item>
      {reasonNeeded && (
        <TextField
          name="reason"
          label="进度回调原因"
          rows={2}
          maxLength={500}
          required={`进度低于上次的 ${share.progressPercent}%，请说明原因`}
        />
      )}
      <TextField
        name="text"
        label="进展情况"
        maxLength={5000}
        required="请填写进展情况"
        placeholder="本期完成了哪些工作、下一步安排"
      />
      <Form.Item name="evidence" label="佐证材料">
        <EvidenceUpload assignmentId={share.id} phone={phone} />
      </Form.Item>
      {split && (
        <Typography.Paragraph type="secondary">
          街镇报送的进度会自动汇总到本部门；这里填写本部门的总体进展。
        </Typography.Paragraph>
      )}
      <FormButtons submit={submit} label="报送" onCancel={onCancel} />
    </Form>
  );
}
