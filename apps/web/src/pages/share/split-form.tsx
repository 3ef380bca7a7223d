import { useMutation, useQuery } from '@apollo/client/react';
import { Form, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { graphql } from '../../gql';
import { longDate } from '../../workdays';
import { ConflictAlert, DateField, FormButtons } from './form-parts';
import { endOfBeijingDay, laterThanProblem } from './rules';
import { AFTER_CHANGE, type ActionFormProps } from './share-query';
import { useSubmit, type FieldMap } from './use-submit';

const LOCAL_UNITS = graphql(`
  query LocalUnits {
    subdistricts: orgUnits(kind: SUBDISTRICT) {
      id
      name
      aliases
    }
    towns: orgUnits(kind: TOWN) {
      id
      name
      aliases
    }
  }
`);

const SPLIT = graphql(`
  mutation SplitShare($input: SplitAssignmentInput!) {
    splitAssignment(input: $input) {
      id
      orgUnit {
        id
        name
      }
    }
  }
`);

interface Part {
  orgUnitId: string;
  dueAt: Dayjs;
}

interface Values {
  units: string[];
  parts: Part[];
}

/** A part's due date goes on its row; which units were chosen (and the list as a whole) on the picker. */
const FIELDS: FieldMap = (path) => {
  if (path[0] !== 'parts') return null;
  return path[2] === 'dueAt' ? path : ['units'];
};

const LIMIT = '本部门的完成时限';

/** 分解到街镇: subdistricts and towns chosen from a searchable list, each with a due date no later than ours. */
export function SplitForm({ share, reload, onDone, onCancel }: ActionFormProps) {
  const [form] = Form.useForm<Values>();
  const { data, loading } = useQuery(LOCAL_UNITS);
  const [split] = useMutation(SPLIT, AFTER_CHANGE);
  const submit = useSubmit(form, FIELDS, reload);

  // A unit that already holds a share of the task cannot get another.
  const taken = useMemo(
    () => new Set([...share.task.assignments, ...share.children].map((a) => a.orgUnit.id)),
    [share],
  );
  const units = useMemo(
    () => [...(data?.subdistricts ?? []), ...(data?.towns ?? [])].filter((u) => !taken.has(u.id)),
    [data, taken],
  );
  const nameOf = (id: string) => units.find((u) => u.id === id)?.name ?? '';

  const choose = (ids: string[]) => {
    const before = form.getFieldValue('parts') as Part[] | undefined;
    form.setFieldValue(
      'parts',
      ids.map(
        (id) => before?.find((p) => p.orgUnitId === id) ?? { orgUnitId: id, dueAt: dayjs(share.dueAt) },
      ),
    );
  };

  const onFinish = async () => {
    // The store, not onFinish's values: those keep only registered fields, and orgUnitId has no input of its own.
    const parts = (form.getFieldValue('parts') as Part[] | undefined) ?? [];
    const ok = await submit.run(() =>
      split({
        variables: {
          input: {
            assignmentId: share.id,
            parts: parts.map((p) => ({ orgUnitId: p.orgUnitId, dueAt: endOfBeijingDay(p.dueAt) })),
          },
        },
      }),
    );
    if (ok) {
      const names = parts.map((p) => nameOf(p.orgUnitId)).join('、');
      onDone({ message: `已分解到 ${names}；各街镇签收和报送后，进度汇总到本部门`, next: 'report' });
    }
  };

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      onFinish={() => void onFinish()}
      initialValues={{ units: [], parts: [] }}
      disabled={submit.sending}
    >
      <ConflictAlert submit={submit} />
      <Typography.Paragraph>
        每个街镇的完成时限不能晚于{LIMIT}（{longDate(share.dueAt)}）。
      </Typography.Paragraph>
      <Form.Item
        name="units"
        label="街道 / 镇"
        rules={[{ required: true, message: '请选择要分解到的街道或镇' }]}
      >
        <Select
          mode="multiple"
          loading={loading}
          placeholder="输入名称搜索，可多选"
          onChange={choose}
          showSearch={{
            filterOption: (input, option) => {
              const unit = units.find((u) => u.id === option?.value);
              return !!unit && [unit.name, ...unit.aliases].some((name) => name.includes(input.trim()));
            },
          }}
          options={units.map((u) => ({ value: u.id, label: u.name }))}
        />
      </Form.Item>
      <Form.List name="parts">
        {(fields) =>
          fields.map((field) => {
            const unitId = form.getFieldValue(['parts', field.name, 'orgUnitId']) as string;
            return (
              <DateField
                key={field.key}
                name={[field.name, 'dueAt']}
                label={`${nameOf(unitId)} 完成时限`}
                required="请选择完成时限"
                problem={(day) => laterThanProblem(day, share.dueAt, LIMIT)}
              />
            );
          })
        }
      </Form.List>
      <FormButtons submit={submit} label="分解" onCancel={onCancel} />
    </Form>
  );
}
