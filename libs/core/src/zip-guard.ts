import { inflateRawSync } from 'node:zlib';
import { AppError, badInput, ErrorCode } from './errors';

/** What one .docx or .xlsx may hold once inflated; anything beyond is refused before a parser sees it. */
export interface ZipLimits {
  /** All entries together, inflated. */
  maxUncompressedBytes: number;
  maxEntries: number;
}

export interface ZipEntry {
  name: string;
  /** Declared in the central directory, and checked against what inflating actually yields. */
  size: number;
}

/** PAYLOAD_TOO_LARGE on `file`: what a file costs to read is beyond the configured limits. */
export const fileTooLarge = (message: string, details: Record<string, unknown> = {}) =>
  new AppError(ErrorCode.PAYLOAD_TOO_LARGE, message, { field: 'file', ...details });

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const ZIP64_LOCATOR = 0x07064b50;
const STORED = 0;
const DEFLATED = 8;
/** The end record is 22 bytes plus a comment of at most 65,535. */
const EOCD_SEARCH = 22 + 0xffff;

/**
 * Checks a zip archive (.docx, .xlsx) before any parser inflates it: the central directory must be sound, the
 * declared sizes within the limits, and every entry is then inflated with a byte cap of its declared size, so
 * an archive whose sizes lie is refused after at most that many bytes instead of filling the memory.
 * `scan` sees each entry's inflated bytes (e.g. to count a worksheet's rows); it may throw to refuse the file.
 */
export function checkZipArchive(
  data: Buffer,
  limits: ZipLimits,
  what: string,
  scan?: (entry: ZipEntry, bytes: Buffer) => void,
): ZipEntry[] {
  const corrupt = () => badInput('file', `${what}已损坏或不是有效的压缩文件`);
  const tooLarge = () =>
    fileTooLarge(`${what}解压后超过 ${Math.round(limits.maxUncompressedBytes / 1048576)} MB，无法处理`, {
      maxUncompressedBytes: limits.maxUncompressedBytes,
    });
  if (data.length < 22 || data.readUInt32LE(0) !== LOCAL) throw corrupt();
  let end = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - EOCD_SEARCH); i--) {
    if (data.readUInt32LE(i) === EOCD) {
      end = i;
      break;
    }
  }
  // Office files never need ZIP64 (4 GB or 65,535 entries); an archive that does is not one of them.
  if (end < 0 || (end >= 20 && data.readUInt32LE(end - 20) === ZIP64_LOCATOR)) throw corrupt();
  const count = data.readUInt16LE(end + 10);
  const cdSize = data.readUInt32LE(end + 12);
  const cdOffset = data.readUInt32LE(end + 16);
  if (count > limits.maxEntries) {
    throw fileTooLarge(`${what}包含的文件过多（${count} 个），无法处理`, { maxEntries: limits.maxEntries });
  }
  if (cdOffset + cdSize > end) throw corrupt();

  const entries: (ZipEntry & { method: number; compressed: number; offset: number })[] = [];
  let total = 0;
  let at = cdOffset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > end || data.readUInt32LE(at) !== CENTRAL) throw corrupt();
    const flags = data.readUInt16LE(at + 8);
    const method = data.readUInt16LE(at + 10);
    const compressed = data.readUInt32LE(at + 20);
    const size = data.readUInt32LE(at + 24);
    const nameLength = data.readUInt16LE(at + 28);
    const extraLength = data.readUInt16LE(at + 30);
    const commentLength = data.readUInt16LE(at + 32);
    const offset = data.readUInt32LE(at + 42);
    const name = data.toString('utf8', at + 46, at + 46 + nameLength);
    // Encrypted entries (bit 0) cannot be read; other methods are not used by Office.
    if (flags & 1 || (method !== STORED && method !== DEFLATED)) throw corrupt();
    if ([compressed, size, offset].includes(0xffffffff)) throw corrupt();
    total += size;
    if (total > limits.maxUncompressedBytes) throw tooLarge();
    entries.push({ name, size, method, compressed, offset });
    at += 46 + nameLength + extraLength + commentLength;
  }

  for (const entry of entries) {
    const local = entry.offset;
    if (local + 30 > data.length || data.readUInt32LE(local) !== LOCAL) throw corrupt();
    const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
    if (start + entry.compressed > data.length) throw corrupt();
    const raw = data.subarray(start, start + entry.compressed);
    let bytes: Buffer;
    if (entry.method === STORED) bytes = raw;
    else {
      try {
        // One byte more than declared: an entry that inflates beyond its declared size is stopped there.
        bytes = inflateRawSync(raw, { maxOutputLength: entry.size + 1 });
      } catch (error) {
        if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
        throw corrupt();
      }
    }
    if (bytes.length !== entry.size) throw bytes.length > entry.size ? tooLarge() : corrupt();
    scan?.(entry, bytes);
  }
  return entries.map(({ name, size }) => ({ name, size }));
}
