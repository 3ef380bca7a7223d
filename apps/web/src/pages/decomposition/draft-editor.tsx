import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, DatePicker, Form, Input, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { FormModal } from '../../components/form-modal';
import { useReportError } from '../../components/report-error';
import { UnitSelect } from '../../components/unit-select';
import type { DraftRowFragment } from '../../gql/graphql';
import { draftInput, SOURCE_LABEL, valuesOf, type DraftValues } from './drafts';
import { LEADERS, UPDATE_DRAFT } from './queries';

/** Units tasks are given to. */
const SHARE_KINDS = ['DEPARTMENT', 'SUBDISTRICT', 'TOWN'] as const;

type FormValues = Omit<DraftValues, 'dueDay'> & { due: Dayjs };

/** The leaders a draft may name as 责任领导. */
export function useLeaders() {
  const { data } = useQuery(LEADERS);
  return (data?.leaderPortfolios ?? []).map((p) => ({
    value: p.leader.id,
    label: `${p.leader.displayName}（${p.leader.title}）`,
  }));
}

/**
 * One draft's form: name, content, 牵头单位 and 配合单位 from the searchable picker (the suggestions, with their
 * keywords and score, one click away), 责任领导 and 完成时限. What the text left open is said above.
 */
export function DraftEditor({
  draft,
  onClose,
  onSaved,
  reload,
}: {
  draft: DraftRowFragment;
  onClose(): void;
  onSaved(draft: DraftRowFragment): void;
  reload(): unknown;
}) {
  const [form] = Form.useForm<FormValues>();
  const [update, { loading }] = useMutation(UPDATE_DRAFT);
  const report = useReportError();
  const leaders = useLeaders();
  const initial = valuesOf(draft);
  const sourceOf = new Map(draft.units.map((u) => [u.orgUnitId, u.source]));

  const addUnit = (field: 'leadUnitIds' | 'supportUnitIds', id: string) => {
    const other = field === 'leadUnitIds' ? 'supportUnitIds' : 'leadUnitIds';
    const current = (form.getFieldValue(field) as string[] | undefined) ?? [];
    if (!current.includes(id)) form.setFieldValue(field, [...current, id]);
    const others = (form.getFieldValue(other) as string[] | undefined) ?? [];
    form.setFieldValue(
      other,
      others.filter((x) => x !== id),
    );
  };

  const onFinish = async ({ due, ...values }: FormValues) => {
    try {
      const input = draftInput(draft, { ...values, dueDay: due.format('YYYY-MM-DD') });
      const { data } = await update({ variables: { input } });
      if (data) onSaved(data.updateDraftTask);
      onClose();
    } catch (e) {
      report(e, { form, reload });
    }
  };

  return (
    <FormModal title={`修改第 ${draft.code} 项`} form={form} loading={loading} onClose={onClose} width={760}>
      {draft.issues.map((issue) => (
        <Alert
          key={`${issue.kind}:${issue.phrase}`}
          type="warning"
          showIcon
          style={{ marginBottom: 8 }}
          title={issue.message}
          description={
            issue.candidates.length > 0 && (
              <Space wrap>
                可选：
                {issue.candidates.map((c) =>
                  issue.role ? (
                    <Button
                      key={c.id}
                      size="small"
                      onClick={() => addUnit(issue.role === 'LEAD' ? 'leadUnitIds' : 'supportUnitIds', c.id)}
                    >
                      {c.name}
                    </Button>
                  ) : (
                    <Button
                      key={c.id}
                      size="small"
                      onClick={() => form.setFieldValue('responsibleLeaderId', c.id)}
                    >
                      {c.name}
                    </Button>
                  ),
                )}
              </Space>
            )
          }
        />
      ))}
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={(values) => void onFinish(values)}
        initialValues={{ ...initial, due: dayjs(initial.dueDay) }}
      >
        <Form.Item name="title" label="任务名称" rules={[{ required: true, whitespace: true, max: 200 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="description" label="任务内容">
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={20000} />
        </Form.Item>
        {draft.suggestions.length > 0 && (
          <div className="suggestions" aria-label="建议的承办单位">
            <Typography.Text type="secondary">建议（按关键词，点击加入）：</Typography.Text>
            {draft.suggestions.map((s) => (
              <Button
                key={s.orgUnitId}
                size="small"
                type="dashed"
                className="suggestion"
                onClick={() => addUnit(s.role === 'LEAD' ? 'leadUnitIds' : 'supportUnitIds', s.orgUnitId)}
              >
                {s.orgUnit.name} · {s.role === 'LEAD' ? '牵头' : '配合'} · 得分 {s.score.toFixed(1)} ·
                关键词：
                {s.keywords.join('、')}
              </Button>
            ))}
          </div>
        )}
        <Form.Item
          name="leadUnitIds"
          label="牵头单位"
          rules={[{ required: true, type: 'array', min: 1, message: '请选择牵头单位' }]}
          extra={unitSources(initial.leadUnitIds, sourceOf, draft)}
        >
          <UnitSelect mode="multiple" kinds={SHARE_KINDS} aria-label="牵头单位" />
        </Form.Item>
        <Form.Item
          name="supportUnitIds"
          label="配合单位"
          extra={unitSources(initial.supportUnitIds, sourceOf, draft)}
        >
          <UnitSelect mode="multiple" kinds={SHARE_KINDS} aria-label="配合单位" maxTagCount="responsive" />
        </Form.Item>
        <Space wrap size={16}>
          <Form.Item name="responsibleLeaderId" label="责任领导">
            <Select
              allowClear
              options={leaders}
              style={{ width: 240 }}
              placeholder="选择区领导"
              aria-label="责任领导"
            />
          </Form.Item>
          <Form.Item name="due" label="完成时限" rules={[{ required: true, message: '请选择完成时限' }]}>
            <DatePicker style={{ width: 200 }} aria-label="完成时限" />
          </Form.Item>
        </Space>
      </Form>
    </FormModal>
  );
}

/** 原文：区教委 · 推荐：区财政局 under a field: where the units it started with came from. */
function unitSources(
  ids: readonly string[],
  sourceOf: Map<string, DraftRowFragment['units'][number]['source']>,
  draft: DraftRowFragment,
) {
  if (!ids.length) return undefined;
  const nameOf = new Map(draft.units.map((u) => [u.orgUnitId, u.orgUnit.name]));
  return ids.map((id) => `${nameOf.get(id)}（${SOURCE_LABEL[sourceOf.get(id) ?? 'EDITED']}）`).join('、');
}
