/**
 * Which files are accepted as 佐证材料, decided by the name's extension AND the file's first bytes: a renamed
 * executable carries the right extension but the wrong signature, and is refused. The stored MIME type comes
 * from this table, never from what the client claimed.
 */

/** The container a signature identifies. */
export enum FileSignature {
  PDF = 'PDF',
  PNG = 'PNG',
  JPEG = 'JPEG',
  GIF = 'GIF',
  WEBP = 'WEBP',
  /** OLE2 compound document: .doc, .xls, .ppt, .wps */
  OLE2 = 'OLE2',
  /** ZIP archive: .docx, .xlsx, .pptx, .ofd */
  ZIP = 'ZIP',
}

export interface EvidenceFileType {
  extension: string;
  mimeType: string;
  signature: FileSignature;
}

const TYPES: EvidenceFileType[] = [
  { extension: 'pdf', mimeType: 'application/pdf', signature: FileSignature.PDF },
  { extension: 'png', mimeType: 'image/png', signature: FileSignature.PNG },
  { extension: 'jpg', mimeType: 'image/jpeg', signature: FileSignature.JPEG },
  { extension: 'jpeg', mimeType: 'image/jpeg', signature: FileSignature.JPEG },
  { extension: 'gif', mimeType: 'image/gif', signature: FileSignature.GIF },
  { extension: 'webp', mimeType: 'image/webp', signature: FileSignature.WEBP },
  { extension: 'doc', mimeType: 'application/msword', signature: FileSignature.OLE2 },
  { extension: 'xls', mimeType: 'application/vnd.ms-excel', signature: FileSignature.OLE2 },
  { extension: 'ppt', mimeType: 'application/vnd.ms-powerpoint', signature: FileSignature.OLE2 },
  { extension: 'wps', mimeType: 'application/vnd.ms-works', signature: FileSignature.OLE2 },
  {
    extension: 'docx',
    mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    signature: FileSignature.ZIP,
  },
  {
    extension: 'xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    signature: FileSignature.ZIP,
  },
  {
    extension: 'pptx',
    mimeType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    signature: FileSignature.ZIP,
  },
  { extension: 'ofd', mimeType: 'application/ofd', signature: FileSignature.ZIP },
];

const BY_EXTENSION = new Map(TYPES.map((type) => [type.extension, type]));

/** For messages: “pdf、png、…”. */
export const ACCEPTED_EXTENSIONS = TYPES.map((type) => type.extension);

/** Bytes {@link signatureOf} needs to see. */
export const SIGNATURE_BYTES = 12;

const bytes = (...values: number[]) => Buffer.from(values);
const ascii = (text: string) => Buffer.from(text, 'latin1');

const startsWith = (head: Buffer, prefix: Buffer, at = 0) =>
  head.length >= at + prefix.length && head.subarray(at, at + prefix.length).equals(prefix);

/** The container the first bytes of a file identify, or null for anything else (executables included). */
export function signatureOf(head: Buffer): FileSignature | null {
  if (startsWith(head, ascii('%PDF-'))) return FileSignature.PDF;
  if (startsWith(head, bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))) return FileSignature.PNG;
  if (startsWith(head, bytes(0xff, 0xd8, 0xff))) return FileSignature.JPEG;
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return FileSignature.GIF;
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return FileSignature.WEBP;
  if (startsWith(head, bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1))) return FileSignature.OLE2;
  if (startsWith(head, bytes(0x50, 0x4b, 0x03, 0x04))) return FileSignature.ZIP;
  return null;
}

/** The lowercased extension of a file name, without the dot; '' when there is none. */
export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
}

export type FileTypeCheck =
  | { ok: true; type: EvidenceFileType }
  | { ok: false; reason: 'extension' | 'content' };

/** The accepted type of a file by its name and first bytes; both must agree. */
export function checkFileType(fileName: string, head: Buffer): FileTypeCheck {
  const type = BY_EXTENSION.get(extensionOf(fileName));
  if (!type) return { ok: false, reason: 'extension' };
  if (signatureOf(head) !== type.signature) return { ok: false, reason: 'content' };
  return { ok: true, type };
}

const MAX_NAME_LENGTH = 200;

/**
 * The name to keep for an uploaded file: without any directory part a client may send, control characters or
 * surrounding blanks, and at most 200 characters (the extension kept). '' when nothing is left.
 */
export function cleanFileName(raw: string): string {
  const base = raw.split(/[/\\]/).pop() ?? '';
  // Control characters, and the bidi controls that can make a name ending in .exe display as one ending in .pdf.
  const name = base.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  const chars = [...name];
  if (chars.length <= MAX_NAME_LENGTH) return name;
  const extension = extensionOf(name);
  const tail = extension ? `.${extension}` : '';
  return chars.slice(0, MAX_NAME_LENGTH - tail.length).join('') + tail;
}
