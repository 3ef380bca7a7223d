import ExcelJS from 'exceljs';
import { AppError } from './errors';
import { checkZipArchive, type ZipLimits } from './zip-guard';

const LIMITS: ZipLimits = { maxUncompressedBytes: 64 * 1024 * 1024, maxEntries: 5000 };

async function workbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('表');
  for (let i = 1; i <= 200; i++) sheet.addRow([i, `任务${i}`, '区水务局', '2026-06-30']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Byte offsets of each central directory record, by entry name. */
function centralRecords(zip: Buffer): Map<string, number> {
  let end = zip.length - 22;
  while (zip.readUInt32LE(end) !== 0x06054b50) end--;
  const records = new Map<string, number>();
  let at = zip.readUInt32LE(end + 16);
  for (let n = zip.readUInt16LE(end + 10); n > 0; n--) {
    const nameLength = zip.readUInt16LE(at + 28);
    records.set(zip.toString('utf8', at + 46, at + 46 + nameLength), at);
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return records;
}

function refusal(data: Buffer, limits = LIMITS): Record<string, unknown> {
  try {
    checkZipArchive(data, limits, '文件');
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).extensions;
  }
  throw new Error('expected a refusal');
}

describe('checkZipArchive', () => {
  let xlsx: Buffer;
  let sheet: number;
  beforeAll(async () => {
    xlsx = await workbook();
    sheet = centralRecords(xlsx).get('xl/worksheets/sheet1.xml') as number;
  });

  it('passes a real workbook and shows the scanner every entry inflated', () => {
    const seen = new Map<string, number>();
    const entries = checkZipArchive(xlsx, LIMITS, '文件', (entry, bytes) =>
      seen.set(entry.name, bytes.length),
    );
    expect(entries.map((e) => e.name)).toContain('xl/worksheets/sheet1.xml');
    expect(seen.get('xl/worksheets/sheet1.xml')).toBe(
      entries.find((e) => e.name === 'xl/worksheets/sheet1.xml')?.size,
    );
  });

  it('refuses declared sizes or entry counts beyond the limits before inflating', () => {
    expect(refusal(xlsx, { ...LIMITS, maxUncompressedBytes: 1000 })).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      field: 'file',
    });
    expect(refusal(xlsx, { ...LIMITS, maxEntries: 2 })).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('stops an entry that inflates beyond its declared size, and refuses one that falls short', () => {
    const lying = Buffer.from(xlsx);
    lying.writeUInt32LE(100, sheet + 24);
    expect(refusal(lying)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const short = Buffer.from(xlsx);
    short.writeUInt32LE(xlsx.readUInt32LE(sheet + 24) + 100, sheet + 24);
    expect(refusal(short)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'file' });
  });

  it('refuses encrypted, ZIP64-sized, truncated and non-zip files as broken', () => {
    const encrypted = Buffer.from(xlsx);
    encrypted.writeUInt16LE(encrypted.readUInt16LE(sheet + 8) | 1, sheet + 8);
    const zip64 = Buffer.from(xlsx);
    zip64.writeUInt32LE(0xffffffff, sheet + 24);
    for (const broken of [encrypted, zip64, xlsx.subarray(0, xlsx.length - 40), Buffer.from('第一章 总则')]) {
      expect(refusal(broken)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'file' });
    }
  });
});
