import { LeftOutlined, RightOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, App, Button, Form, Input, InputNumber, Radio, Space, Spin, Tag, Upload } from 'antd';
import { useMemo, useState } from 'react';
import { FormModal } from '../../components/form-modal';
import { useReportError } from '../../components/report-error';
import { graphql } from '../../gql';
import type { CalendarImportFormat, DayKind } from '../../gql/graphql';
import { DAY_KIND_LABEL } from './admin-labels';
import { buildYear, type DayCell } from './month-grid';

const YEAR = graphql(`
  query AdminWorkCalendar($year: Int!) {
    workCalendar(year: $year) {
      year
      provisional
      workdayCount
      specialDays {
        day
        kind
        workday
        name
        provisional
        source
      }
    }
  }
`);

const IMPORT = graphql(`
  mutation ImportWorkCalendar($input: ImportWorkCalendarInput!) {
    importWorkCalendar(input: $input) {
      year
      workdayCount
      specialDays {
        kind
      }
    }
  }
`);

const SET_DAY = graphql(`
  mutation SetWorkCalendarDay($input: SetWorkCalendarDayInput!) {
    setWorkCalendarDay(input: $input) {
      year
    }
  }
`);

const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];
const MARK: Partial<Record<DayKind, string>> = { HOLIDAY: '休', MAKEUP_WORKDAY: '班' };

const EXAMPLE = `{
  "holidays": [
    { "from": "2027-01-01", "to": "2027-01-03", "name": "元旦" },
    { "from": "2027-02-06", "to": "2027-02-13", "name": "春节" }
  ],
  "workdays": [{ "date": "2027-02-20", "name": "春节" }]
}`;

function dayLabel(cell: DayCell): string {
  const [y, m, d] = cell.day.split('-').map(Number);
  const what = cell.name ? `${DAY_KIND_LABEL[cell.kind]}（${cell.name}）` : DAY_KIND_LABEL[cell.kind];
  return `${y}年${m}月${d}日 ${what}${cell.provisional ? '，暂定' : ''}，点击修改`;
}

function MonthTable({
  month,
  weeks,
  onPick,
}: ReturnType<typeof buildYear>[number] & { onPick(c: DayCell): void }) {
  return (
    <table className="month-grid">
      <caption>{month}月</caption>
      <thead>
        <tr>
          {WEEKDAYS.map((w) => (
            <th key={w} scope="col">
              {w}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {weeks.map((week, i) => (
          <tr key={i}>
            {week.map((cell, j) =>
              cell ? (
                <td key={cell.day}>
                  <button
                    type="button"
                    className={`day day-${cell.kind}${cell.provisional ? ' day-provisional' : ''}`}
                    aria-label={dayLabel(cell)}
                    title={cell.name ?? undefined}
                    data-day={cell.day}
                    onClick={() => onPick(cell)}
                  >
                    <span className="day-date">{cell.date}</span>
                    {MARK[cell.kind] && <span className="day-mark">{MARK[cell.kind]}</span>}
                  </button>
                </td>
              ) : (
                <td key={`pad-${j}`} />
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface ImportValues {
  year: number;
  format: CalendarImportFormat;
  content: string;
  source: string;
}

function ImportModal({
  year,
  onClose,
  onDone,
}: {
  year: number;
  onClose(): void;
  onDone(year: number): void;
}) {
  const [form] = Form.useForm<ImportValues>();
  const [run, { loading }] = useMutation(IMPORT);
  const report = useReportError();
  const { message } = App.useApp();
  const format = Form.useWatch('format', form);

  const submit = async (values: ImportValues) => {
    try {
      const { data } = await run({ variables: { input: values } });
      const result = data!.importWorkCalendar;
      const count = (kind: DayKind) => result.specialDays.filter((d) => d.kind === kind).length;
      void message.success(
        `已导入 ${result.year} 年放假安排：法定节假日 ${count('HOLIDAY')} 天，调休上班日 ${count('MAKEUP_WORKDAY')} 天，全年工作日 ${result.workdayCount} 天；待发的提醒和督办已按新日历重新计算`,
        6,
      );
      onDone(result.year);
    } catch (error) {
      report(error, { form, fallbackField: 'content' });
    }
  };

  return (
    <FormModal title="导入放假安排" form={form} loading={loading} onClose={onClose} okText="导入" width={640}>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title="国务院办公厅公布次年放假安排后导入。导入后该年不再是暂定安排，所有待发的提醒和督办按新日历重新计算。"
      />
      <Form<ImportValues>
        form={form}
        layout="vertical"
        initialValues={{ year, format: 'JSON', content: '', source: '' }}
        onFinish={(v) => void submit(v)}
      >
        <Space wrap>
          <Form.Item name="year" label="年份" rules={[{ required: true, message: '请填写年份' }]}>
            <InputNumber min={2004} max={2100} precision={0} />
          </Form.Item>
          <Form.Item name="format" label="格式">
            <Radio.Group
              options={[
                { value: 'JSON', label: 'JSON' },
                { value: 'ICS', label: 'iCalendar（.ics）' },
              ]}
            />
          </Form.Item>
        </Space>
        <Upload
          accept=".json,.ics,.txt"
          showUploadList={false}
          beforeUpload={(file) => {
            void file.text().then((text) => {
              form.setFieldsValue({
                content: text,
                format: /\.ics$/i.test(file.name) || text.startsWith('BEGIN:VCALENDAR') ? 'ICS' : 'JSON',
              });
            });
            return false;
          }}
        >
          <Button icon={<UploadOutlined />} style={{ marginBottom: 12 }}>
            从文件读取
          </Button>
        </Upload>
        <Form.Item
          name="content"
          label="放假安排"
          rules={[{ required: true, message: '请粘贴放假安排或从文件读取' }]}
          extra={
            format === 'ICS'
              ? '事件名称含“休”为放假日，含“班”为调休上班日（与 chinese-days 的 .ics 文件相同）。'
              : 'holidays 列出放假日（date，或 from / to 一段），workdays 列出调休上班日。'
          }
        >
          <Input.TextArea
            rows={8}
            placeholder={format === 'ICS' ? 'BEGIN:VCALENDAR…' : EXAMPLE}
            spellCheck={false}
          />
        </Form.Item>
        <Form.Item
          name="source"
          label="依据"
          rules={[{ required: true, whitespace: true, message: '请填写依据，如通知文号' }]}
        >
          <Input placeholder="如：国办发明电〔2026〕7号" maxLength={200} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

interface DayValues {
  kind: DayKind;
  name?: string;
  source: string;
}

function DayModal({ cell, onClose, onDone }: { cell: DayCell; onClose(): void; onDone(): void }) {
  const [form] = Form.useForm<DayValues>();
  const [run, { loading }] = useMutation(SET_DAY);
  const report = useReportError();
  const { message } = App.useApp();
  const kind = Form.useWatch('kind', form);
  const [y, m, d] = cell.day.split('-').map(Number);
  const weekend = [0, 6].includes(new Date(Date.UTC(y, m - 1, d)).getUTCDay());
  // What the API accepts for this day: a weekday is worked or a holiday; a weekend day may also be worked.
  const kinds: DayKind[] = weekend ? ['WEEKEND', 'HOLIDAY', 'MAKEUP_WORKDAY'] : ['WORKDAY', 'HOLIDAY'];

  const submit = async (values: DayValues) => {
    try {
      await run({ variables: { input: { day: cell.day, ...values, name: values.name || null } } });
      void message.success(`${m}月${d}日已改为${DAY_KIND_LABEL[values.kind]}；待发的提醒和督办已重新计算`);
      onDone();
    } catch (error) {
      report(error, { form });
    }
  };

  return (
    <FormModal
      title={`修改 ${y}年${m}月${d}日（星期${WEEKDAYS[(new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7]}）`}
      form={form}
      loading={loading}
      onClose={onClose}
    >
      <Form<DayValues>
        form={form}
        layout="vertical"
        initialValues={{ kind: cell.kind, name: cell.name ?? '', source: '' }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item name="kind" label="安排">
          <Radio.Group options={kinds.map((k) => ({ value: k, label: DAY_KIND_LABEL[k] }))} />
        </Form.Item>
        {(kind === 'HOLIDAY' || kind === 'MAKEUP_WORKDAY') && (
          <Form.Item name="name" label="节日名称">
            <Input placeholder="如：春节" maxLength={50} />
          </Form.Item>
        )}
        <Form.Item
          name="source"
          label="修改依据"
          rules={[{ required: true, whitespace: true, message: '请填写修改依据' }]}
        >
          <Input placeholder="如：区政府办公室通知" maxLength={200} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

export default function CalendarPage() {
  const [year, setYear] = useState(() => new Date().getFullYear());
  const [importing, setImporting] = useState(false);
  const [picked, setPicked] = useState<DayCell | null>(null);
  const { data, loading, refetch } = useQuery(YEAR, {
    variables: { year },
    fetchPolicy: 'cache-and-network',
  });
  const calendar = data?.workCalendar.year === year ? data.workCalendar : undefined;
  const months = useMemo(() => (calendar ? buildYear(year, calendar.specialDays) : []), [calendar, year]);

  return (
    <section>
      <h1 className="page-title">工作日历</h1>
      <Space wrap style={{ marginBottom: 16 }}>
        <Button icon={<LeftOutlined />} aria-label="上一年" onClick={() => setYear((y) => y - 1)} />
        <InputNumber
          aria-label="年份"
          min={2004}
          max={2100}
          precision={0}
          value={year}
          onChange={(v) => v && setYear(v)}
          style={{ width: 96 }}
        />
        <Button icon={<RightOutlined />} aria-label="下一年" onClick={() => setYear((y) => y + 1)} />
        {calendar &&
          (calendar.provisional ? (
            <Tag className="calendar-provisional">暂定：按法定规则推算，尚未导入国务院通知</Tag>
          ) : (
            <Tag className="calendar-published">已发布</Tag>
          ))}
        {calendar && <span>全年工作日 {calendar.workdayCount} 天</span>}
        <Button type="primary" icon={<UploadOutlined />} onClick={() => setImporting(true)}>
          导入放假安排
        </Button>
      </Space>
      <div className="calendar-legend" aria-label="图例">
        <span className="day day-HOLIDAY legend-swatch">休</span> 法定节假日
        <span className="day day-MAKEUP_WORKDAY legend-swatch">班</span> 调休上班日
        <span className="day day-WEEKEND legend-swatch">六</span> 周末
        <span className="day day-WORKDAY day-provisional legend-swatch">暂</span> 虚线框为暂定
        <span>· 点击某一天可修改</span>
      </div>
      {loading && !calendar ? (
        <Spin />
      ) : (
        <div className="calendar-year" data-year={year}>
          {months.map((m) => (
            <MonthTable key={m.month} {...m} onPick={setPicked} />
          ))}
        </div>
      )}
      {importing && (
        <ImportModal
          year={year + (calendar?.provisional === false ? 1 : 0)}
          onClose={() => setImporting(false)}
          onDone={(imported) => {
            setImporting(false);
            if (imported === year) void refetch();
            else setYear(imported);
          }}
        />
      )}
      {picked && (
        <DayModal
          cell={picked}
          onClose={() => setPicked(null)}
          onDone={() => {
            setPicked(null);
            void refetch();
          }}
        />
      )}
    </section>
  );
}
