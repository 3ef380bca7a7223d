import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerError } from 'smtp-server';
import type { OutgoingMessage } from './channel.types';
import { createMailer, type Mailer, type SmtpSettings } from './email.channel';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** A plain SMTP server on an ephemeral port; `rcptReply` makes it refuse every recipient with that code. */
async function startServer(
  rcptReply?: number,
): Promise<{ server: SMTPServer; port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 100,
    onRcptTo(_address, _session, callback) {
      if (rcptReply === undefined) return callback();
      const err: SMTPServerError = new Error(rcptReply < 500 ? 'Try again later' : 'No such user');
      err.responseCode = rcptReply;
      callback(err);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('latin1'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.server.address() as AddressInfo).port, received };
}

const closeServer = (server: SMTPServer) => new Promise<void>((resolve) => server.close(resolve));

const settings = (port: number): SmtpSettings => ({
  host: '127.0.0.1',
  port,
  secure: false,
  user: null,
  password: null,
  from: '"折子工程" <noreply@zhezi.test>',
});

const MESSAGE: OutgoingMessage = {
  title: '任务即将到期：建设创新街区',
  text: '您负责的任务将于 3 天后到期。\n请及时报送进展 <含附件> & 佐证材料。',
  link: 'https://zhezi.test/tasks/a3e5c7d9?tab=progress&from=mail',
};

/** Splits a raw message into its headers (unfolded, by lower-case name) and body. */
function splitEntity(raw: string): { headers: Map<string, string>; body: string } {
  const end = raw.indexOf('\r\n\r\n');
  const headers = new Map<string, string>();
  for (const line of raw
    .slice(0, end)
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: raw.slice(end + 4) };
}

const decodeQuotedPrintable = (body: string): Buffer =>
  Buffer.from(
    body
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  );

function decodeBody(headers: Map<string, string>, body: string): string {
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body).toString('utf8');
  return Buffer.from(body, 'latin1').toString('utf8');
}

/** RFC 2047 encoded words; adjacent words are joined as bytes, since a character may span two. */
function decodeHeader(value: string): string {
  return value.replace(/=\?[^?]+\?[BQ]\?[^?]*\?=(\s+=\?[^?]+\?[BQ]\?[^?]*\?=)*/gi, (run) => {
    const bytes = [...run.matchAll(/=\?[^?]+\?([BQ])\?([^?]*)\?=/gi)].map(([, kind, text]) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64')
        : decodeQuotedPrintable(text.replace(/_/g, ' ').replace(/=\r\n/g, '')),
    );
    return Buffer.concat(bytes).toString('utf8');
  });
}

/** The decoded text/plain and text/html parts of a multipart/alternative message. */
function textParts(raw: string): { headers: Map<string, string>; plain: string; html: string } {
  const { headers, body } = splitEntity(raw);
  const boundary = /boundary="?([^";]+)"?/.exec(headers.get('content-type') ?? '')![1];
  const parts = body
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => splitEntity(part.replace(/^\r\n/, '')));
  const decoded = (type: string) => {
    const part = parts.find((p) => p.headers.get('content-type')!.startsWith(type))!;
    // Mail travels with CRLF line ends.
    return decodeBody(part.headers, part.body.replace(/\r\n$/, '')).replace(/\r\n/g, '\n');
  };
  return { headers, plain: decoded('text/plain'), html: decoded('text/html') };
}

describe('email channel', () => {
  let accepting: Awaited<ReturnType<typeof startServer>>;
  let mailer: Mailer;

  beforeAll(async () => {
    accepting = await startServer();
    mailer = createMailer(settings(accepting.port));
  });

  afterAll(async () => {
    mailer.close();
    await closeServer(accepting.server);
  });

  it('delivers the title as subject and the text and link as plain and escaped HTML bodies', async () => {
    const result = await mailer.send('zhangsan@district.test', MESSAGE);

    expect(result).toMatchObject({ ok: true, statusCode: 250, error: null, retryable: false });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(accepting.received).toHaveLength(1);
    const [mail] = accepting.received;
    expect(mail.from).toBe('noreply@zhezi.test');
    expect(mail.to).toEqual(['zhangsan@district.test']);

    const { headers, plain, html } = textParts(mail.raw);
    expect(decodeHeader(headers.get('subject')!)).toBe(MESSAGE.title);
    expect(decodeHeader(headers.get('from')!)).toBe('折子工程 <noreply@zhezi.test>');
    expect(headers.get('to')).toBe('zhangsan@district.test');
    expect(headers.get('content-type')).toMatch(/^multipart\/alternative/);
    expect(mail.raw).toContain('Content-Type: text/plain; charset=utf-8');
    expect(mail.raw).toContain('Content-Type: text/html; charset=utf-8');

    expect(plain).toBe(`${MESSAGE.text}\n\n查看详情：${MESSAGE.link}`);
    expect(html).toContain('<h2>任务即将到期：建设创新街区</h2>');
    expect(html).toContain('您负责的任务将于 3 天后到期。<br>请及时报送进展 &lt;含附件&gt; &amp; 佐证材料。');
    expect(html).not.toContain('<含附件>');
    const escapedLink = 'https://zhezi.test/tasks/a3e5c7d9?tab=progress&amp;from=mail';
    expect(html).toContain(`<a href="${escapedLink}">${escapedLink}</a>`);
  });

  it('leaves the link out when there is none', async () => {
    const result = await mailer.send('lisi@district.test', { ...MESSAGE, link: null });

    expect(result.ok).toBe(true);
    const { plain, html } = textParts(accepting.received.at(-1)!.raw);
    expect(plain).toBe(MESSAGE.text);
    expect(html).not.toContain('<a ');
  });

  it.each([
    [550, false],
    [451, true],
  ])('reports a recipient refused with %i as failed, retryable %s', async (code, retryable) => {
    const refusing = await startServer(code);
    const refused = createMailer(settings(refusing.port));
    try {
      const result = await refused.send('nobody@district.test', MESSAGE);

      expect(result).toMatchObject({ ok: false, statusCode: code, retryable });
      expect(result.error).toContain(String(code));
      expect(refusing.received).toHaveLength(0);
    } finally {
      refused.close();
      await closeServer(refusing.server);
    }
  });

  it('reports a server that is not listening as a retryable failure', async () => {
    const { server, port } = await startServer();
    await closeServer(server);
    const unreachable = createMailer(settings(port), { connectionTimeoutMs: 1000 });
    try {
      const result = await unreachable.send('zhangsan@district.test', MESSAGE);

      expect(result).toMatchObject({ ok: false, statusCode: null, retryable: true });
      expect(result.error).toMatch(/ECONNREFUSED/);
    } finally {
      unreachable.close();
    }
  });
});
