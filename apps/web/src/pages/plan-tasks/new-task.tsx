import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Card, DatePicker, Form, Input, Result, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { PlanSelect } from '../../components/plan-select';
import { UnitSelect, useUnits } from '../../components/unit-select';
import { classifyError } from '../../errors';
import type { OrgUnitKind } from '../../gql/graphql';
import { TASK_PRIORITY_LABEL } from '../../labels';
import { CREATE_TASK, TASK_FORM_OPTIONS } from './queries';
import {
  createTaskInput,
  formFieldOf,
  laterThanTask,
  unitRows,
  type TaskFormValues,
  type UnitDue,
} from './task-form';

/** The units tasks are handed to. */
const SHARE_KINDS: OrgUnitKind[] = ['DEPARTMENT', 'SUBDISTRICT', 'TOWN'];

interface Created {
  id: string;
  code: string;
  title: string;
}

const dateRule = (problem: (day: Dayjs | undefined) => string | null) => ({
  validator: (_: unknown, value: Dayjs | undefined) => {
    const refused = problem(value);
    return refused ? Promise.reject(new Error(refused)) : Promise.resolve();
  },
});

/** The picked units of one role, each with its own 完成时限 (not after the task's). */
function UnitDues({ role, label }: { role: 'leadUnits' | 'supportUnits'; label: string }) {
  const form = Form.useFormInstance<TaskFormValues>();
  const { units } = useUnits();
  const taskDue = Form.useWatch('dueAt', form);
  const nameOf = (id: string) => units?.find((u) => u.id === id)?.name ?? '';
  const idsField = role === 'leadUnits' ? 'leadUnitIds' : 'supportUnitIds';
  const choose = (ids: string[]) => {
    const before = form.getFieldValue(role) as UnitDue[] | undefined;
    form.setFieldValue(role, unitRows(ids, before, form.getFieldValue('dueAt') as Dayjs));
  };
  return (
    <>
      <Form.Item
        name={idsField}
        label={label}
        rules={role === 'leadUnits' ? [{ required: true, message: '请至少选择一个牵头单位' }] : []}
      >
        <UnitSelect kinds={SHARE_KINDS} mode="multiple" aria-label={label} onChange={choose} />
      </Form.Item>
      <Form.List name={role}>
        {(fields) => (
          <div className="unit-dues">
            {fields.map((field) => {
              const unitId = form.getFieldValue([role, field.name, 'orgUnitId']) as string;
              const name = nameOf(unitId);
              return (
                <Form.Item
                  key={field.key}
                  name={[field.name, 'dueAt']}
                  label={`${name} 完成时限`}
                  rules={[
                    { required: true, message: `请选择${name}的完成时限` },
                    dateRule((day) => laterThanTask(day, taskDue)),
                  ]}
                >
                  <DatePicker
                    aria-label={`${name} 完成时限`}
                    disabledDate={(day) => laterThanTask(day, taskDue) !== null}
                  />
                </Form.Item>
              );
            })}
          </div>
        )}
      </Form.List>
    </>
  );
}

/** 新建任务: the task, its milestones and escalation policy, and the lead and support units with their dates. */
export default function NewTaskPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm<TaskFormValues>();
  const planId = Form.useWatch('planId', form) ?? params.get('plan') ?? undefined;
  const { data } = useQuery(TASK_FORM_OPTIONS, { variables: { planId: planId ?? '' }, skip: !planId });
  const [createTask] = useMutation(CREATE_TASK, { refetchQueries: ['PlanTasks'] });
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<Created | null>(null);

  const showError = (error: unknown) => {
    const mapped = classifyError(error);
    const name = mapped.kind === 'field' ? formFieldOf(mapped.field) : null;
    if (name) form.setFields([{ name: name as never, errors: [mapped.message] }]);
    else setFailure(mapped.message);
  };

  // One call: the task, its policy and its shares are saved together, or nothing is (a refused unit).
  const submit = async (values: TaskFormValues) => {
    setSending(true);
    setFailure(null);
    try {
      const result = await createTask({ variables: { input: createTaskInput(values) } });
      setDone(result.data!.createTask);
    } catch (error) {
      showError(error);
    } finally {
      setSending(false);
    }
  };

  if (done) {
    return (
      <section>
        <h1 className="page-title">新建任务</h1>
        <Result
          status="success"
          title={`已新建并交办任务“${done.title}”（序号 ${done.code}）`}
          subTitle="承办单位已收到交办通知，签收后开始推进。"
          extra={[
            <Button key="open" type="primary" onClick={() => void navigate(`/plan-tasks/${done.id}`)}>
              打开任务
            </Button>,
            <Button
              key="again"
              onClick={() => {
                form.resetFields();
                setDone(null);
              }}
            >
              继续新建
            </Button>,
            <Button key="list" onClick={() => void navigate(`/plan-tasks${planId ? `?plan=${planId}` : ''}`)}>
              返回任务列表
            </Button>,
          ]}
        />
      </section>
    );
  }

  const defaults = data?.escalationPolicies.find((p) => p.isDefault);
  return (
    <section className="new-task with-action-bar">
      <h1 className="page-title">新建任务</h1>
      {failure && <Alert type="error" showIcon role="alert" title={failure} style={{ marginBottom: 16 }} />}
      <Form<TaskFormValues>
        form={form}
        layout="vertical"
        disabled={sending}
        initialValues={{
          planId: params.get('plan') ?? undefined,
          leadUnitIds: [],
          supportUnitIds: [],
          milestones: [],
        }}
        // The store, not onFinish's values, for the units: their orgUnitId has no input of its own.
        onFinish={(values) =>
          void submit({
            ...values,
            leadUnits: form.getFieldValue('leadUnits') as UnitDue[],
            supportUnits: form.getFieldValue('supportUnits') as UnitDue[],
          })
        }
        scrollToFirstError
      >
        <Card title="任务" size="small" style={{ marginBottom: 16 }}>
          <Form.Item name="planId" label="所属计划" rules={[{ required: true, message: '请选择计划' }]}>
            <PlanSelect required value={planId} onChange={(v) => form.setFieldValue('planId', v)} />
          </Form.Item>
          <Form.Item name="targetId" label="对应目标（可不选）">
            <Select
              allowClear
              aria-label="对应目标"
              placeholder="规划的章、节、条或措施"
              showSearch={{ optionFilterProp: 'label' }}
              options={data?.plan.targets.map((t) => ({ value: t.id, label: `${t.number} ${t.title}` }))}
              onChange={(id: string | undefined) => {
                const due = data?.plan.targets.find((t) => t.id === id)?.dueAt;
                if (due && !form.getFieldValue('dueAt')) form.setFieldValue('dueAt', dayjs(due));
              }}
            />
          </Form.Item>
          <Form.Item
            name="title"
            label="任务名称"
            rules={[{ required: true, whitespace: true, message: '请填写任务名称' }]}
          >
            <Input maxLength={200} showCount />
          </Form.Item>
          <Form.Item name="description" label="任务内容 / 具体措施">
            <Input.TextArea rows={4} maxLength={20000} />
          </Form.Item>
          <Space wrap size={16} align="start">
            <Form.Item name="dueAt" label="完成时限" rules={[{ required: true, message: '请选择完成时限' }]}>
              <DatePicker aria-label="完成时限" />
            </Form.Item>
            <Form.Item name="priority" label="优先级">
              <Select
                aria-label="优先级"
                placeholder="一般"
                allowClear
                style={{ width: 120 }}
                options={Object.entries(TASK_PRIORITY_LABEL).map(([value, label]) => ({ value, label }))}
              />
            </Form.Item>
            <Form.Item name="responsibleLeaderId" label="责任领导">
              <Select
                aria-label="责任领导"
                placeholder="选择区领导"
                allowClear
                style={{ width: 200 }}
                options={data?.leaderPortfolios.map(({ leader }) => ({
                  value: leader.id,
                  label: leader.title ? `${leader.displayName}（${leader.title}）` : leader.displayName,
                }))}
              />
            </Form.Item>
            <Form.Item name="escalationPolicyId" label="督办流程">
              <Select
                aria-label="督办流程"
                placeholder={defaults ? `默认：${defaults.name}` : '默认流程'}
                allowClear
                style={{ width: 220 }}
                options={data?.escalationPolicies.map((p) => ({ value: p.id, label: p.name }))}
              />
            </Form.Item>
          </Space>
        </Card>
        <Card title="时间节点" size="small" style={{ marginBottom: 16 }}>
          <Form.List name="milestones">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field, index) => (
                  <Space key={field.key} align="start" wrap className="milestone-row">
                    <Form.Item
                      name={[field.name, 'title']}
                      label={`节点 ${index + 1}`}
                      rules={[{ required: true, whitespace: true, message: '请填写节点内容' }]}
                    >
                      <Input maxLength={200} style={{ width: 280 }} />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'dueAt']}
                      label={`节点 ${index + 1} 时间`}
                      rules={[{ required: true, message: '请选择节点时间' }]}
                    >
                      <DatePicker aria-label={`节点 ${index + 1} 时间`} />
                    </Form.Item>
                    <Button
                      type="text"
                      aria-label={`删除节点 ${index + 1}`}
                      icon={<MinusCircleOutlined />}
                      onClick={() => remove(field.name)}
                      style={{ marginTop: 30 }}
                    />
                  </Space>
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ title: '', dueAt: undefined })}
                >
                  添加时间节点
                </Button>
              </>
            )}
          </Form.List>
        </Card>
        <Card title="承办单位" size="small" style={{ marginBottom: 16 }}>
          <UnitDues role="leadUnits" label="牵头单位" />
          <UnitDues role="supportUnits" label="配合单位" />
        </Card>
        <div className="action-bar">
          <Space>
            <Button type="primary" htmlType="submit" loading={sending}>
              新建并交办
            </Button>
            <Button onClick={() => void navigate(-1)} disabled={sending}>
              取消
            </Button>
          </Space>
        </div>
      </Form>
    </section>
  );
}
