import { InboxOutlined } from '@ant-design/icons';
import { Progress, Space, Spin, Typography, Upload, type UploadFile } from 'antd';
import { useState } from 'react';

/** What `POST /uploads` answers: the stored file, or the API's refusal in `{ message }`. */
type UploadAnswer = { id?: string; fileName?: string; message?: string };

export type UploadPhase =
  | { step: 'idle' }
  | { step: 'uploading'; percent: number; fileName: string }
  | { step: 'reading'; fileName: string }
  | { step: 'failed'; message: string };

interface Props {
  /** .docx,.txt,.md or .xlsx */
  accept: string;
  hint: string;
  /** What is done with the uploaded file (ingest, import); its promise keeps the “reading” state. */
  onUploaded(uploadId: string, fileName: string): Promise<unknown>;
  /** Said while the API reads the file (解析规划…). */
  readingText: string;
  disabled?: boolean;
}

/**
 * One file, dragged in or chosen, sent at once to `POST /uploads` with the session cookie and the CSRF header;
 * its upload progress, then the API's reading of it, are shown as they happen.
 */
export function FileUpload({ accept, hint, onUploaded, readingText, disabled }: Props) {
  const [phase, setPhase] = useState<UploadPhase>({ step: 'idle' });
  const busy = phase.step === 'uploading' || phase.step === 'reading';
  const onChange = ({ file }: { file: UploadFile<UploadAnswer> }) => {
    if (file.status === 'uploading') {
      setPhase({ step: 'uploading', percent: Math.round(file.percent ?? 0), fileName: file.name });
    } else if (file.status === 'error') {
      setPhase({ step: 'failed', message: file.response?.message ?? '上传失败，请重试' });
    } else if (file.status === 'done' && file.response?.id) {
      setPhase({ step: 'reading', fileName: file.name });
      void onUploaded(file.response.id, file.name).finally(() => setPhase({ step: 'idle' }));
    }
  };
  return (
    <>
      <Upload.Dragger
        name="file"
        action="/uploads"
        headers={{ 'x-requested-with': 'XMLHttpRequest' }}
        withCredentials
        accept={accept}
        multiple={false}
        showUploadList={false}
        disabled={disabled || busy}
        onChange={onChange}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined aria-hidden />
        </p>
        <p className="ant-upload-text">将文件拖到此处，或点击选择文件</p>
        <p className="ant-upload-hint">{hint}</p>
      </Upload.Dragger>
      {phase.step === 'uploading' && (
        <div role="status" style={{ marginTop: 8 }}>
          正在上传 {phase.fileName}
          <Progress percent={phase.percent} aria-label="上传进度" />
        </div>
      )}
      {phase.step === 'reading' && (
        <div role="status" style={{ marginTop: 8 }}>
          <Space>
            <Spin size="small" />
            {phase.fileName} 已上传，{readingText}
          </Space>
        </div>
      )}
      {phase.step === 'failed' && (
        <Typography.Paragraph type="danger" role="alert" style={{ margin: '8px 0 0' }}>
          {phase.message}
        </Typography.Paragraph>
      )}
    </>
  );
}
