import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, App, Button, Card, Empty, Form, Input, Radio, Select, Space, Spin, Steps, Tag } from 'antd';
import { useState } from 'react';
import { FormModal } from '../../components/form-modal';
import { useReportError } from '../../components/report-error';
import { UnitSelect, useUnits } from '../../components/unit-select';
import { graphql } from '../../gql';
import type { ApprovalFlowsAdminQuery, ApproverSource, Role, StepMode } from '../../gql/graphql';
import { APPROVAL_KIND_LABEL, ROLE_LABEL } from '../../labels';
import { APPROVER_SOURCE_LABEL, STEP_MODE_LABEL } from './admin-labels';

const FLOWS = graphql(`
  query ApprovalFlowsAdmin {
    approvalFlows {
      id
      kind
      name
      version
      steps {
        name
        source
        role
        orgUnitId
        mode
      }
    }
  }
`);

const UPDATE = graphql(`
  mutation UpdateApprovalFlow($input: UpdateApprovalFlowInput!) {
    updateApprovalFlow(input: $input) {
      id
      version
    }
  }
`);

type Flow = ApprovalFlowsAdminQuery['approvalFlows'][number];
type Step = Flow['steps'][number];

const SOURCES = Object.keys(APPROVER_SOURCE_LABEL) as ApproverSource[];
const ROLES = Object.keys(ROLE_LABEL) as Role[];

/** Who approves a step, in words: 督查室, or 部门负责人（区发展改革委）for a role in one unit. */
function approverWords(step: Step, unitName: (id: string) => string | undefined): string {
  if (step.source !== 'ROLE') return APPROVER_SOURCE_LABEL[step.source];
  const role = step.role ? ROLE_LABEL[step.role] : '未指定角色';
  const unit = step.orgUnitId ? unitName(step.orgUnitId) : undefined;
  return unit ? `${role}（${unit}）` : role;
}

function ModeTag({ mode }: { mode: StepMode }) {
  return <Tag className={`status mode-${mode}`}>{mode === 'ALL' ? '会签' : '或签'}</Tag>;
}

interface FormValues {
  steps: {
    name: string;
    source: ApproverSource;
    role?: Role | null;
    orgUnitId?: string | null;
    mode: StepMode;
  }[];
}

function FlowForm({ flow, onClose, onSaved }: { flow: Flow; onClose(): void; onSaved(): void }) {
  const [form] = Form.useForm<FormValues>();
  const [update, { loading }] = useMutation(UPDATE);
  const report = useReportError();
  const { message } = App.useApp();
  const steps = Form.useWatch('steps', form);

  const submit = async ({ steps: values }: FormValues) => {
    try {
      await update({
        variables: {
          input: {
            kind: flow.kind,
            version: flow.version,
            steps: values.map((s) => ({
              name: s.name,
              source: s.source,
              mode: s.source === 'RESPONSIBLE_LEADER' ? 'ANY' : s.mode,
              ...(s.source === 'ROLE' && { role: s.role, orgUnitId: s.orgUnitId || null }),
            })),
          },
        },
      });
      void message.success(
        `已保存${APPROVAL_KIND_LABEL[flow.kind]}流程：此后提交的申请按新流程审批，已提交的沿用原流程`,
      );
      onSaved();
    } catch (error) {
      report(error, { form, reload: onSaved });
    }
  };

  return (
    <FormModal
      title={`修改审批流程：${APPROVAL_KIND_LABEL[flow.kind]}`}
      form={form}
      loading={loading}
      onClose={onClose}
      width={820}
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title="按顺序逐步审批。没有审批人的步骤、与上一步审批人相同的步骤自动跳过。已提交的申请沿用提交时的流程。"
      />
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={{ steps: flow.steps.map((s) => ({ ...s })) }}
        onFinish={(v) => void submit(v)}
      >
        <Form.List name="steps">
          {(fields, { add, remove, move }) => (
            <>
              {fields.map((field, i) => {
                const source = steps?.[i]?.source;
                return (
                  <Card
                    key={field.key}
                    size="small"
                    className="level-card"
                    title={`第${i + 1}步`}
                    extra={
                      <Space size={0}>
                        <Button
                          type="text"
                          icon={<ArrowUpOutlined />}
                          aria-label={`第${i + 1}步上移`}
                          disabled={i === 0}
                          onClick={() => move(i, i - 1)}
                        />
                        <Button
                          type="text"
                          icon={<ArrowDownOutlined />}
                          aria-label={`第${i + 1}步下移`}
                          disabled={i === fields.length - 1}
                          onClick={() => move(i, i + 1)}
                        />
                        <Button
                          type="text"
                          danger
                          icon={<DeleteOutlined />}
                          aria-label={`删除第${i + 1}步`}
                          disabled={fields.length === 1}
                          onClick={() => remove(field.name)}
                        />
                      </Space>
                    }
                  >
                    <Space wrap align="start">
                      <Form.Item
                        name={[field.name, 'name']}
                        label="步骤名称"
                        rules={[{ required: true, whitespace: true, message: '请填写步骤名称' }]}
                      >
                        <Input maxLength={50} style={{ width: 160 }} />
                      </Form.Item>
                      <Form.Item name={[field.name, 'source']} label="审批人">
                        <Select
                          style={{ width: 170 }}
                          options={SOURCES.map((s) => ({ value: s, label: APPROVER_SOURCE_LABEL[s] }))}
                        />
                      </Form.Item>
                      {source === 'ROLE' && (
                        <>
                          <Form.Item
                            name={[field.name, 'role']}
                            label="角色"
                            rules={[{ required: true, message: '按角色审批须指定角色' }]}
                          >
                            <Select
                              style={{ width: 140 }}
                              options={ROLES.map((r) => ({ value: r, label: ROLE_LABEL[r] }))}
                            />
                          </Form.Item>
                          <Form.Item name={[field.name, 'orgUnitId']} label="限定单位（可不选）">
                            <UnitSelect allowClear style={{ width: 200 }} />
                          </Form.Item>
                        </>
                      )}
                      <Form.Item
                        name={[field.name, 'mode']}
                        label="方式"
                        tooltip={source === 'RESPONSIBLE_LEADER' ? '责任领导步骤总是或签' : undefined}
                      >
                        <Radio.Group
                          disabled={source === 'RESPONSIBLE_LEADER'}
                          options={(['ANY', 'ALL'] as StepMode[]).map((m) => ({
                            value: m,
                            label: STEP_MODE_LABEL[m],
                          }))}
                        />
                      </Form.Item>
                    </Space>
                  </Card>
                );
              })}
              <Button
                icon={<PlusOutlined />}
                disabled={fields.length >= 10}
                onClick={() => add({ name: '', source: 'INSPECTORATE', mode: 'ANY' })}
              >
                增加一步
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </FormModal>
  );
}

export default function ApprovalFlowsPage() {
  const { data, loading, refetch } = useQuery(FLOWS, { fetchPolicy: 'cache-and-network' });
  const { units } = useUnits();
  const [editing, setEditing] = useState<Flow | null>(null);
  const unitName = (id: string) => units?.find((u) => u.id === id)?.name;
  // In the order of the glossary: 销号, 延期, 任务调整, 分解审定.
  const order = Object.keys(APPROVAL_KIND_LABEL);
  const flows = [...(data?.approvalFlows ?? [])].sort(
    (a, b) => order.indexOf(a.kind) - order.indexOf(b.kind),
  );

  return (
    <section>
      <h1 className="page-title">审批流程</h1>
      {loading && !data ? (
        <Spin />
      ) : flows.length === 0 ? (
        <Empty description="没有审批流程" />
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          {flows.map((flow) => (
            <Card
              key={flow.id}
              title={`${APPROVAL_KIND_LABEL[flow.kind]}：${flow.name}`}
              extra={<Button onClick={() => setEditing(flow)}>修改</Button>}
            >
              <Steps
                size="small"
                responsive
                current={-1}
                items={flow.steps.map((step, i) => ({
                  title: step.name,
                  content: (
                    <Space size={4} wrap>
                      <span>{approverWords(step, unitName)}</span>
                      <ModeTag mode={step.source === 'RESPONSIBLE_LEADER' ? 'ANY' : step.mode} />
                    </Space>
                  ),
                  status: 'wait',
                  icon: <span className="step-number">{i + 1}</span>,
                }))}
              />
            </Card>
          ))}
        </Space>
      )}
      {editing && (
        <FlowForm
          flow={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void refetch();
          }}
        />
      )}
    </section>
  );
}
