import { DownloadOutlined } from '@ant-design/icons';
import { CombinedGraphQLErrors } from '@apollo/client';
import { useMutation } from '@apollo/client/react';
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Space,
  Table,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { downloadFile } from '../../components/download';
import { useReportError } from '../../components/report-error';
import { cellLabel, sheetProblems, type SheetProblem } from './cells';
import { FileUpload } from './file-upload';
import { IMPORT_TASK_LIST } from './queries';

const thisYear = () =>
  Number(new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 4));

/**
 * 导入折子工程 Excel: the template to fill in, the filled sheet uploaded; a refused sheet shows every problem
 * with the cell it is in, a good one goes to its drafts.
 */
export default function ExcelImportPage() {
  const [year, setYear] = useState(thisYear);
  const [title, setTitle] = useState('');
  const [refused, setRefused] = useState<{ message: string; problems: SheetProblem[] } | null>(null);
  const [importList] = useMutation(IMPORT_TASK_LIST);
  const report = useReportError();
  const { message } = App.useApp();
  const navigate = useNavigate();

  const onUploaded = async (uploadId: string) => {
    try {
      const { data } = await importList({
        variables: { input: { file: { uploadId }, year, title: title.trim() || undefined } },
      });
      if (!data) return;
      setRefused(null);
      const { plan, draftTaskCount } = data.importTaskList;
      void message.success(`已导入“${plan.title}”：${draftTaskCount.toLocaleString('zh-CN')} 条任务草稿`);
      void navigate(`/decomposition/${plan.id}?tab=drafts`);
    } catch (e) {
      const first = CombinedGraphQLErrors.is(e) ? e.errors[0] : undefined;
      const problems = sheetProblems(first?.extensions);
      if (first && problems.length) setRefused({ message: first.message, problems });
      else report(e);
    }
  };

  const template = () =>
    downloadFile(`/plans/task-list-template.xlsx?year=${year}`, '折子工程模板.xlsx').catch((e: Error) =>
      message.error(e.message),
    );

  return (
    <>
      <Breadcrumb items={[{ title: <Link to="/decomposition">任务分解</Link> }, { title: '导入 Excel' }]} />
      <h1 className="page-title" style={{ marginTop: 8 }}>
        导入折子工程 Excel
      </h1>
      <Card size="small" title="第一步：下载模板并填写" style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary">
          每行一项任务：序号、任务名称、任务内容、牵头单位、配合单位、责任领导、完成时限。单位可写全称或简称，多个单位用“、”分隔。
        </Typography.Paragraph>
        <Button icon={<DownloadOutlined />} onClick={() => void template()}>
          下载折子工程模板
        </Button>
      </Card>
      <Card size="small" title="第二步：上传填好的表格">
        <Form layout="inline" style={{ marginBottom: 12, rowGap: 8 }}>
          <Form.Item label="年度" extra="“6月底前”“年底前”按此年份理解">
            <InputNumber
              min={2000}
              max={2100}
              value={year}
              onChange={(v) => v && setYear(v)}
              aria-label="年度"
            />
          </Form.Item>
          <Form.Item label="名称">
            <Input
              placeholder="不填则取表格标题"
              value={title}
              maxLength={200}
              onChange={(e) => setTitle(e.target.value)}
              style={{ width: 280 }}
              aria-label="折子工程名称"
            />
          </Form.Item>
        </Form>
        <FileUpload
          accept=".xlsx,.docx"
          hint="支持 .xlsx，或清单为表格的 Word 文档（.docx）；全部无误才导入，有问题时逐条列出所在单元格"
          readingText="正在检查表格…"
          onUploaded={onUploaded}
        />
      </Card>
      {refused && (
        <Card size="small" style={{ marginTop: 16 }} title={`未导入：共 ${refused.problems.length} 处问题`}>
          <Alert type="error" showIcon title={refused.message} style={{ marginBottom: 12 }} />
          <Space direction="vertical" style={{ width: '100%' }}>
            <Table<SheetProblem>
              size="small"
              rowKey={(p, i) => `${p.cell ?? p.row ?? ''}:${i}`}
              dataSource={refused.problems}
              pagination={refused.problems.length > 20 ? { pageSize: 20 } : false}
              aria-label="表格问题"
              columns={[
                { title: '位置', key: 'where', width: 200, render: (_, p) => cellLabel(p) },
                { title: '行', dataIndex: 'row', width: 60, render: (r: number | null) => r ?? '—' },
                { title: '单元格', dataIndex: 'cell', width: 80, render: (c?: string | null) => c ?? '—' },
                { title: '表头', dataIndex: 'header', width: 110, render: (h: string | null) => h ?? '—' },
                { title: '问题', dataIndex: 'message' },
              ]}
            />
            <Typography.Text type="secondary">改正后重新上传即可；表格全部无误才会导入。</Typography.Text>
          </Space>
        </Card>
      )}
    </>
  );
}
