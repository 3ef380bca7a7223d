import { checkFileType, cleanFileName, extensionOf, FileSignature, signatureOf } from './evidence.file-type';
import { contentDisposition } from '@zhezi/core';
import { formatBytes } from './evidence.errors';

const hex = (text: string) => Buffer.from(text.replace(/\s/g, ''), 'hex');

const SAMPLES: [FileSignature, Buffer][] = [
  [FileSignature.PDF, Buffer.from('%PDF-1.4\n%âãÏÓ\n', 'latin1')],
  [FileSignature.PNG, hex('89504e470d0a1a0a 0000000d49484452')],
  [FileSignature.JPEG, hex('ffd8ffe000104a464946')],
  [FileSignature.GIF, Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1')],
  [FileSignature.GIF, Buffer.from('GIF87a\x01\x00\x01\x00', 'latin1')],
  [FileSignature.WEBP, Buffer.concat([Buffer.from('RIFF'), hex('24000000'), Buffer.from('WEBPVP8 ')])],
  [FileSignature.OLE2, hex('d0cf11e0a1b11ae1 0000000000000000')],
  [FileSignature.ZIP, hex('504b0304 14000600 0800')],
];

describe('signatureOf', () => {
  it.each(SAMPLES)('recognises %s', (signature, head) => {
    expect(signatureOf(head)).toBe(signature);
  });

  it.each<[string, Buffer]>([
    ['a Windows executable', hex('4d5a90000300000004000000ffff0000')],
    ['an ELF binary', hex('7f454c46020101000000000000000000')],
    ['a shell script', Buffer.from('#!/bin/sh\nrm -rf /\n')],
    ['HTML', Buffer.from('<html><script>alert(1)</script>')],
    [
      'a RIFF that is not WEBP (a WAV)',
      Buffer.concat([Buffer.from('RIFF'), hex('24000000'), Buffer.from('WAVE')]),
    ],
    ['an empty ZIP (end record only)', hex('504b0506 00000000 00000000')],
    ['a truncated PNG signature', hex('89504e47')],
    ['nothing', Buffer.alloc(0)],
  ])('refuses %s', (_what, head) => {
    expect(signatureOf(head)).toBeNull();
  });
});

describe('checkFileType', () => {
  it('accepts a file whose extension and content agree, with the MIME type of the table', () => {
    const pdf = SAMPLES[0][1];
    expect(checkFileType('进展报告.PDF', pdf)).toEqual({
      ok: true,
      type: { extension: 'pdf', mimeType: 'application/pdf', signature: FileSignature.PDF },
    });
    expect(checkFileType('照片.jpeg', hex('ffd8ffdb'))).toMatchObject({
      ok: true,
      type: { mimeType: 'image/jpeg' },
    });
    expect(checkFileType('台账.xls', hex('d0cf11e0a1b11ae1'))).toMatchObject({
      ok: true,
      type: { mimeType: 'application/vnd.ms-excel' },
    });
    expect(checkFileType('台账.xlsx', hex('504b0304'))).toMatchObject({
      ok: true,
      type: { mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    });
    expect(checkFileType('公文.ofd', hex('504b0304'))).toMatchObject({
      ok: true,
      type: { mimeType: 'application/ofd' },
    });
    expect(checkFileType('文稿.wps', hex('d0cf11e0a1b11ae1'))).toMatchObject({ ok: true });
  });

  it('refuses a renamed executable, a mismatched container, and an extension not on the list', () => {
    const exe = hex('4d5a9000030000000400');
    expect(checkFileType('进展报告.pdf', exe)).toEqual({ ok: false, reason: 'content' });
    expect(checkFileType('进展报告.docx', exe)).toEqual({ ok: false, reason: 'content' });
    // A real PNG is still not a PDF, and an old .doc is not a .docx.
    expect(checkFileType('scan.pdf', SAMPLES[1][1])).toEqual({ ok: false, reason: 'content' });
    expect(checkFileType('old.docx', hex('d0cf11e0a1b11ae1'))).toEqual({ ok: false, reason: 'content' });
    expect(checkFileType('setup.exe', exe)).toEqual({ ok: false, reason: 'extension' });
    expect(checkFileType('page.html', Buffer.from('%PDF-1.4'))).toEqual({ ok: false, reason: 'extension' });
    expect(checkFileType('README', Buffer.from('%PDF-1.4'))).toEqual({ ok: false, reason: 'extension' });
    expect(checkFileType('.pdf', Buffer.from('%PDF-1.4'))).toEqual({ ok: false, reason: 'extension' });
  });
});

describe('file names', () => {
  it('takes the extension after the last dot, lowercased', () => {
    expect(extensionOf('a.tar.GZ')).toBe('gz');
    expect(extensionOf('报告.pdf.exe')).toBe('exe');
    expect(extensionOf('noext')).toBe('');
    expect(extensionOf('.hidden')).toBe('');
  });

  it('drops directories, control and bidi characters, and shortens long names keeping the extension', () => {
    expect(cleanFileName('C:\\Users\\张三\\Desktop\\进展报告.pdf')).toBe('进展报告.pdf');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName(' 报告\u0000\n.pdf ')).toBe('报告.pdf');
    expect(cleanFileName('invoice\u202efdp.exe')).toBe('invoicefdp.exe');
    expect(cleanFileName('   ')).toBe('');
    const long = cleanFileName(`${'很'.repeat(300)}.docx`);
    expect([...long]).toHaveLength(200);
    expect(long.endsWith('很.docx')).toBe(true);
  });

  it('writes Content-Disposition with an ASCII fallback and the UTF-8 name', () => {
    expect(contentDisposition('中关村街道进展（11月）.pdf')).toBe(
      `attachment; filename="________11__.pdf"; filename*=UTF-8''` +
        '%E4%B8%AD%E5%85%B3%E6%9D%91%E8%A1%97%E9%81%93%E8%BF%9B%E5%B1%95%EF%BC%8811%E6%9C%88%EF%BC%89.pdf',
    );
    expect(contentDisposition(`a "b" 100%'s (1).pdf`, 'inline')).toBe(
      `inline; filename="a _b_ 100_'s (1).pdf"; filename*=UTF-8''a%20%22b%22%20100%25%27s%20%281%29.pdf`,
    );
    expect(decodeURIComponent(contentDisposition('进展.pdf').split("UTF-8''")[1])).toBe('进展.pdf');
  });

  it('formats limits for messages', () => {
    expect(formatBytes(20 * 1024 * 1024)).toBe('20 MB');
    expect(formatBytes(1536 * 1024)).toBe('1.5 MB');
    expect(formatBytes(64 * 1024)).toBe('64 KB');
    expect(formatBytes(500)).toBe('500 字节');
  });
});
