import { CameraOutlined, InboxOutlined } from '@ant-design/icons';
import { useQuery } from '@apollo/client/react';
import { Button, Spin, Typography, Upload, type UploadFile, type UploadProps } from 'antd';
import { useState } from 'react';
import { graphql } from '../../gql';
import { acceptAttribute, evidenceFileProblem, sizeLabel, type EvidenceRules } from './rules';

const EVIDENCE_RULES = graphql(`
  query EvidenceRules {
    evidenceRules {
      maxBytes
      extensions
    }
  }
`);

/** What the upload route answers: the stored file's record, or an error in `{ message }`. */
export type UploadAnswer = { id?: string; message?: string } | string;
export type EvidenceList = UploadFile<UploadAnswer>[];

/** At most this many files go with one report (the API's bound). */
export const MAX_EVIDENCE = 20;

/** The ids of the files uploaded so far. */
export function uploadedIds(files: EvidenceList | undefined): string[] {
  return (files ?? []).flatMap((f) =>
    f.status === 'done' && typeof f.response === 'object' && f.response.id ? [f.response.id] : [],
  );
}

/** Antd shows a string response as the failed file's message: the API's own words. */
function withMessages(files: EvidenceList): EvidenceList {
  return files.map((f) =>
    f.status === 'error' && typeof f.response === 'object'
      ? { ...f, response: f.response.message ?? '上传失败，请重试' }
      : f,
  );
}

interface Props {
  assignmentId: string;
  value?: EvidenceList;
  onChange?: (files: EvidenceList) => void;
  /** At phone width a second button opens the camera directly. */
  phone: boolean;
}

/**
 * 佐证材料, dragged in or chosen (and at phone width photographed), each uploaded at once with its progress to
 * `POST /assignments/:id/evidence` with the session cookie and the CSRF header the API asks of cookie requests.
 * A file the API would refuse by extension or size is refused here before anything is sent.
 */
export function EvidenceUpload({ assignmentId, value = [], onChange, phone }: Props) {
  // The last file refused before upload, said beside the drop area rather than in a passing toast.
  const [refused, setRefused] = useState<string | null>(null);
  const { data } = useQuery(EVIDENCE_RULES);
  const rules: EvidenceRules | undefined = data?.evidenceRules;
  if (!rules) return <Spin />;

  const common: UploadProps<UploadAnswer> = {
    name: 'file',
    action: `/assignments/${assignmentId}/evidence`,
    headers: { 'x-requested-with': 'XMLHttpRequest' },
    withCredentials: true,
    multiple: true,
    fileList: value,
    onChange: ({ fileList }) => onChange?.(withMessages(fileList)),
    beforeUpload: (file) => {
      const problem =
        value.length >= MAX_EVIDENCE
          ? `每次报送最多附 ${MAX_EVIDENCE} 个佐证材料`
          : evidenceFileProblem(file, rules);
      setRefused(problem && `${file.name}：${problem}`);
      return problem ? Upload.LIST_IGNORE : true;
    },
  };

  return (
    <>
      <Upload.Dragger
        {...common}
        // Every dropped file reaches beforeUpload, which says why it is refused rather than dropping it silently.
        accept={{ format: acceptAttribute(rules), filter: 'native' }}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined aria-hidden />
        </p>
        <p className="ant-upload-text">将佐证材料拖到此处，或点击选择文件</p>
        <p className="ant-upload-hint">
          支持 {rules.extensions.join('、')}；单个文件不超过 {sizeLabel(rules.maxBytes)}，最多 {MAX_EVIDENCE}{' '}
          个
        </p>
      </Upload.Dragger>
      {refused && (
        <Typography.Paragraph type="danger" role="alert" style={{ margin: '8px 0 0' }}>
          {refused}
        </Typography.Paragraph>
      )}
      {phone && (
        <Upload {...common} accept="image/*" capture="environment" showUploadList={false}>
          <Button icon={<CameraOutlined />} style={{ marginTop: 8 }} block>
            拍照上传
          </Button>
        </Upload>
      )}
    </>
  );
}
