import { PaperClipOutlined } from '@ant-design/icons';
import { Typography } from 'antd';

/** 12 KB, 3.4 MB: a file's size as people read it. */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A 佐证材料 file, downloaded from the API with the session cookie (`GET /evidence/:id`). */
export function EvidenceLink({
  evidence,
}: {
  evidence: { id: string; fileName: string; sizeBytes: number };
}) {
  return (
    <span className="evidence-link">
      <a href={`/evidence/${evidence.id}`} download={evidence.fileName}>
        <PaperClipOutlined aria-hidden /> {evidence.fileName}
      </a>
      <Typography.Text type="secondary"> （{fileSize(evidence.sizeBytes)}）</Typography.Text>
    </span>
  );
}
