import { once } from 'node:events';
import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';

/** One entry of a hand-written zip: its deflated bytes, and the size and CRC its headers claim. */
export interface ZipPart {
  name: string;
  deflated: Buffer;
  size: number;
  crc: number;
}

/** An honest entry of small content. */
export function part(name: string, text: string | Buffer): ZipPart {
  const data = Buffer.from(text);
  return { name, deflated: deflateRawSync(data), size: data.length, crc: crc32(data) };
}

/** Deflates head + body × times + tail as a stream, so a 400 MB entry never exists in memory. */
export async function deflateRepeated(
  head: string,
  body: string,
  times: number,
  tail: string,
): Promise<ZipPart> {
  const deflate = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  const chunk = Buffer.from(body.repeat(Math.max(1, Math.floor((1 << 20) / body.length))));
  const perChunk = chunk.length / Buffer.byteLength(body);
  let size = 0;
  const write = async (data: Buffer) => {
    size += data.length;
    if (!deflate.write(data)) await once(deflate, 'drain');
  };
  await write(Buffer.from(head));
  let left = times;
  while (left >= perChunk) {
    await write(chunk);
    left -= perChunk;
  }
  await write(Buffer.from(body.repeat(left)));
  await write(Buffer.from(tail));
  deflate.end();
  await once(deflate, 'end');
  return { name: '', deflated: Buffer.concat(out), size, crc: 0 };
}

/** A zip archive (method 8 for every entry) from its parts, with the sizes the parts claim. */
export function zip(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(p.crc, 14);
    local.writeUInt32LE(p.deflated.length, 18);
    local.writeUInt32LE(p.size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(p.crc, 16);
    central.writeUInt32LE(p.deflated.length, 20);
    central.writeUInt32LE(p.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, p.deflated);
    centrals.push(central, name);
    offset += local.length + name.length + p.deflated.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/></Types>';
const rels = (type: string, target: string) =>
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${type}" Target="${target}"/></Relationships>`;

/** The content types of a Word document that Word itself opens: document.xml as the main part. */
const DOCX_CONTENT_TYPES = CONTENT_TYPES.replace(
  '</Types>',
  '<Override PartName="/word/document.xml" ' +
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
);

/** A .docx of `body`, the XML inside <w:body> (paragraphs, tables). */
export function docxOf(body: string): Buffer {
  return zip([
    part('[Content_Types].xml', DOCX_CONTENT_TYPES),
    part('_rels/.rels', rels('officeDocument', 'word/document.xml')),
    part(
      'word/document.xml',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${W}"><w:body>${body}</w:body></w:document>`,
    ),
  ]);
}

/** A .docx whose document.xml is `paragraphs` copies of one tiny paragraph, declaring `declared` bytes (or the truth). */
export async function docxOfParagraphs(paragraphs: number, declared?: number): Promise<Buffer> {
  const document = await deflateRepeated(
    `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${W}"><w:body>`,
    '<w:p><w:r><w:t>一</w:t></w:r></w:p>',
    paragraphs,
    '</w:body></w:document>',
  );
  return zip([
    part('[Content_Types].xml', CONTENT_TYPES),
    part('_rels/.rels', rels('officeDocument', 'word/document.xml')),
    { ...document, name: 'word/document.xml', size: declared ?? document.size },
  ]);
}

/** An .xlsx whose one sheet has `rows` rows of one number each. */
export async function xlsxOfRows(rows: number): Promise<Buffer> {
  const S = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const sheet = await deflateRepeated(
    `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${S}"><sheetData>`,
    '<row><c><v>1</v></c></row>',
    rows,
    '</sheetData></worksheet>',
  );
  return zip([
    part('[Content_Types].xml', CONTENT_TYPES),
    part('_rels/.rels', rels('officeDocument', 'xl/workbook.xml')),
    part(
      'xl/workbook.xml',
      `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${S}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    part('xl/_rels/workbook.xml.rels', rels('worksheet', 'worksheets/sheet1.xml')),
    { ...sheet, name: 'xl/worksheets/sheet1.xml' },
  ]);
}
