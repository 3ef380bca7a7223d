import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestContext } from '@zhezi/core';
import { EvidenceService } from '@zhezi/evidence';
import { graphql } from './gql';
import { countRows, dataOf, taskOps, uploadEvidence } from './support/ops';
import { startTestApi, type TestApi } from './support/test-api';

const ACCEPT = graphql(`
  mutation EvidenceAccept($input: AssignmentTransitionInput!) {
    acceptAssignment(input: $input) {
      version
    }
  }
`);
const SUBMIT = graphql(`
  mutation EvidenceSubmitProgress($input: SubmitProgressInput!) {
    submitProgress(input: $input) {
      id
      evidence {
        id
        fileName
      }
    }
  }
`);

const MAX_BYTES = 64 * 1024;

const pdf = (body = '1 0 obj << /Type /Catalog >> endobj\n') =>
  Buffer.concat([
    Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1'),
    Buffer.from(body),
    Buffer.from('%%EOF\n'),
  ]);

/** A Windows executable's first bytes: “MZ”, then the DOS stub. */
const EXE = Buffer.concat([
  Buffer.from('4d5a90000300000004000000ffff0000b800000000000000400000000000000000', 'hex'),
  Buffer.from('This program cannot be run in DOS mode.'),
]);

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

interface ErrorBody {
  message: string;
  extensions: { code: string; field?: string } & Record<string, unknown>;
}

interface EvidenceBody {
  id: string;
  assignmentId: string;
  fileName: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  uploadedAt: string;
}

/** Every file (not directory) under a directory, relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

describe('evidence (佐证材料) upload and download', () => {
  let api: TestApi;
  let dir: string;
  let base: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zhezi-evidence-'));
    api = await startTestApi({ config: { evidenceDir: dir, evidenceMaxBytes: MAX_BYTES } });
    base = api.url.replace(/\/graphql$/, '');
  });

  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A task led by 区发展改革委, its share split to 中关村街道; returns both. */
  async function zgcPart() {
    const ops = taskOps(api);
    const leader = await api.token('leader');
    const task = await ops.createTask(leader, { planId: api.fixture.plan.id, title: '佐证材料测试任务' });
    const [share] = await ops.assignTask(leader, task.id, [{ orgUnitId: api.fixture.units.fgw.id }]);
    const [part] = await ops.split(await api.token('fgwOfficer'), share.id, [
      { orgUnitId: api.fixture.units.zgc.id },
    ]);
    return { task, share, part };
  }

  const upload = (
    assignmentId: string,
    file: { bytes: Buffer; name: string; type?: string } | null,
    user: string | null = 'zgcOfficer',
    field = 'file',
  ) => uploadEvidence(api, assignmentId, file, user, field);

  const download = async (id: string, user: string | null = 'zgcOfficer') =>
    fetch(`${base}/evidence/${id}`, {
      headers: user ? { authorization: `Bearer ${await api.token(user)}` } : {},
    });

  const evidenceOf = (assignmentId: string) =>
    countRows(api, 'evidence', 'assignment_id = $1', [assignmentId]);

  it('stores a PDF with a Chinese name for the unit, records it with its hash, and serves it back byte for byte', async () => {
    const { task, part } = await zgcPart();
    const bytes = pdf();
    const name = '中关村街道进展说明（2026年11月）.pdf';
    const { status, body } = await upload(part.id, { bytes, name, type: 'application/octet-stream' });
    expect(status).toBe(201);
    const evidence = body as EvidenceBody;
    expect(evidence).toEqual({
      id: expect.any(String) as string,
      assignmentId: part.id,
      fileName: name,
      mimeType: 'application/pdf',
      sizeBytes: bytes.length,
      sha256: sha256(bytes),
      uploadedAt: expect.any(String) as string,
    });
    expect(body).not.toHaveProperty('storageKey');

    const [row] = await api.dataSource.query<Record<string, string | null>[]>(
      'SELECT storage_key, uploaded_by_id, report_id, size_bytes FROM evidence WHERE id = $1',
      [evidence.id],
    );
    expect(row).toMatchObject({
      uploaded_by_id: api.fixture.users.zgcOfficer.id,
      report_id: null,
      size_bytes: String(bytes.length),
    });
    const sha = evidence.sha256;
    expect(row.storage_key).toMatch(
      new RegExp(`^${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}-[0-9a-f-]{36}$`),
    );
    expect(await readFile(join(dir, row.storage_key!))).toEqual(bytes);
    expect(await filesUnder(join(dir, '.tmp'))).toEqual([]);

    const [audit] = await api.dataSource.query<Record<string, unknown>[]>(
      `SELECT action, entity_type, task_id, unit_ids::text[] AS unit_ids, actor_id, after
         FROM audit_event WHERE entity_id = $1`,
      [evidence.id],
    );
    expect(audit).toMatchObject({
      action: 'evidence.upload',
      entity_type: 'Evidence',
      task_id: task.id,
      unit_ids: [api.fixture.units.zgc.id, api.fixture.units.fgw.id],
      actor_id: api.fixture.users.zgcOfficer.id,
      after: { fileName: name, sha256: evidence.sha256, sizeBytes: bytes.length },
    });

    const response = await download(evidence.id);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-length')).toBe(String(bytes.length));
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const disposition = response.headers.get('content-disposition')!;
    expect(disposition).toMatch(/^attachment; filename="[ -~]+"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1])).toBe(name);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);

    // Whoever sees the assignment may read it: the department that split it off, and a leader.
    for (const user of ['fgwOfficer', 'leader', 'inspector']) {
      const other = await download(evidence.id, user);
      expect([user, other.status]).toEqual([user, 200]);
      expect(Buffer.from(await other.arrayBuffer())).toEqual(bytes);
    }
  });

  it('keeps two uploads of the same content as two files, and accepts a file of exactly the limit', async () => {
    const { part } = await zgcPart();
    const bytes = pdf();
    const first = await upload(part.id, { bytes, name: 'a.pdf' });
    const second = await upload(part.id, { bytes, name: 'b.pdf' });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect((first.body as EvidenceBody).sha256).toBe((second.body as EvidenceBody).sha256);
    expect(await evidenceOf(part.id)).toBe(2);

    const exact = Buffer.concat([pdf(), Buffer.alloc(MAX_BYTES - pdf().length, 0x20)]);
    const atLimit = await upload(part.id, { bytes: exact, name: '刚好上限.pdf' });
    expect(atLimit.status).toBe(201);
    expect(atLimit.body).toMatchObject({ sizeBytes: MAX_BYTES, sha256: sha256(exact) });
  });

  it('accepts the other listed types by their content: PNG, JPEG, DOCX, XLS', async () => {
    const { part } = await zgcPart();
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const jpeg = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
    const zip = Buffer.concat([Buffer.from('504b030414000600080000002100', 'hex'), Buffer.alloc(32)]);
    const ole = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(64)]);
    const cases: [string, Buffer, string][] = [
      ['现场照片.png', png, 'image/png'],
      ['现场照片.JPG', jpeg, 'image/jpeg'],
      ['工作方案.docx', zip, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['台账.xls', ole, 'application/vnd.ms-excel'],
    ];
    for (const [name, bytes, mimeType] of cases) {
      const { status, body } = await upload(part.id, { bytes, name });
      expect([name, status, (body as EvidenceBody).mimeType]).toEqual([name, 201, mimeType]);
    }
  });

  it('refuses a renamed executable, an unlisted type, a mismatched file and an empty one, leaving nothing behind', async () => {
    const { part } = await zgcPart();
    const before = await filesUnder(dir);
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const cases: [string, Buffer, RegExp][] = [
      ['进展报告.pdf', EXE, /文件内容与扩展名 \.pdf 不符/],
      ['进展报告.docx', EXE, /文件内容与扩展名 \.docx 不符/],
      ['setup.exe', EXE, /不支持上传 \.exe 文件/],
      ['page.html', Buffer.from('<html><script>alert(1)</script></html>'), /不支持上传 \.html 文件/],
      ['无扩展名', pdf(), /没有扩展名/],
      ['扫描件.pdf', png, /文件内容与扩展名 \.pdf 不符/],
      ['空文件.pdf', Buffer.alloc(0), /文件为空/],
    ];
    for (const [name, bytes, message] of cases) {
      const { status, body } = await upload(part.id, { bytes, name });
      expect([name, status]).toEqual([name, 400]);
      expect(body).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'file' } });
      expect((body as ErrorBody).message).toMatch(message);
    }
    expect(await evidenceOf(part.id)).toBe(0);
    expect(await filesUnder(dir)).toEqual(before);
  });

  it('refuses a file over the limit, whether multer or the service notices, leaving nothing behind', async () => {
    const { part } = await zgcPart();
    const before = await filesUnder(dir);
    // One byte over passes multer (which stops at limit + 1) and is refused by the service; far over, by multer.
    for (const size of [MAX_BYTES + 1, MAX_BYTES * 4]) {
      const bytes = Buffer.concat([pdf(), Buffer.alloc(size - pdf().length, 0x20)]);
      const { status, body } = await upload(part.id, { bytes, name: '超大文件.pdf' });
      expect([size, status]).toEqual([size, 400]);
      expect(body).toMatchObject({
        message: '文件超过大小上限 64 KB，请压缩或拆分后再上传',
        extensions: { code: 'BAD_USER_INPUT', field: 'file', maxBytes: MAX_BYTES },
      });
    }
    expect(await evidenceOf(part.id)).toBe(0);
    expect(await filesUnder(dir)).toEqual(before);
  });

  it('refuses a request without the file, or with two files', async () => {
    const { part } = await zgcPart();
    const none = await upload(part.id, null);
    expect(none).toMatchObject({
      status: 400,
      body: { extensions: { code: 'BAD_USER_INPUT', field: 'file' } },
    });
    const wrongField = await upload(part.id, { bytes: pdf(), name: 'a.pdf' }, 'zgcOfficer', 'attachment');
    expect(wrongField).toMatchObject({
      status: 400,
      body: { extensions: { code: 'BAD_USER_INPUT', field: 'file' } },
    });

    const form = new FormData();
    form.append('file', new Blob([pdf()]), 'a.pdf');
    form.append('file', new Blob([pdf()]), 'b.pdf');
    const two = await fetch(`${base}/assignments/${part.id}/evidence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await api.token('zgcOfficer')}` },
      body: form,
    });
    expect(two.status).toBe(400);
    expect(await two.json()).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'file' } });
    expect(await evidenceOf(part.id)).toBe(0);
  });

  it("lets only the assignment's own unit upload: another subdistrict, the department and a leader are FORBIDDEN", async () => {
    const { part, share } = await zgcPart();
    const before = await filesUnder(dir);
    for (const user of ['xylOfficer', 'fgwOfficer', 'leader', 'admin']) {
      const { status, body } = await upload(part.id, { bytes: pdf(), name: '越权.pdf' }, user);
      expect([user, status]).toEqual([user, 403]);
      expect(body).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    }
    // The department uploads to its own share, which the subdistrict cannot.
    expect((await upload(share.id, { bytes: pdf(), name: '部门材料.pdf' }, 'fgwOfficer')).status).toBe(201);
    expect((await upload(share.id, { bytes: pdf(), name: '越权.pdf' }, 'zgcOfficer')).status).toBe(403);
    expect(await evidenceOf(part.id)).toBe(0);
    expect((await filesUnder(dir)).length).toBe(before.length + 1);
  });

  it('answers NOT_FOUND for an unknown assignment and BAD_USER_INPUT for a malformed id', async () => {
    const missing = await upload(randomUUID(), { bytes: pdf(), name: 'a.pdf' });
    expect(missing).toMatchObject({ status: 404, body: { extensions: { code: 'NOT_FOUND' } } });
    const malformed = await upload('not-a-uuid', { bytes: pdf(), name: 'a.pdf' });
    expect(malformed).toMatchObject({
      status: 400,
      body: { extensions: { code: 'BAD_USER_INPUT', field: 'assignmentId' } },
    });
    const noFile = await download(randomUUID());
    expect(noFile.status).toBe(404);
    expect(await noFile.json()).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    const badId = await download('x');
    expect(badId.status).toBe(400);
    expect(await badId.json()).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'id' } });
  });

  it('requires a token to upload or download (401), and refuses a download to another subdistrict (403)', async () => {
    const { part } = await zgcPart();
    const anonymous = await upload(part.id, { bytes: pdf(), name: 'a.pdf' }, null);
    expect(anonymous).toMatchObject({ status: 401, body: { extensions: { code: 'UNAUTHENTICATED' } } });
    expect(await evidenceOf(part.id)).toBe(0);

    const { body } = await upload(part.id, { bytes: pdf(), name: 'a.pdf' });
    const id = (body as EvidenceBody).id;
    const noToken = await download(id, null);
    expect(noToken.status).toBe(401);
    expect(await noToken.json()).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    const other = await download(id, 'xylOfficer');
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  });

  it('removes the stored file when the row cannot be written', async () => {
    const { part } = await zgcPart();
    const before = await filesUnder(dir);
    await api.dataSource.query(`
      CREATE FUNCTION evidence_test_refuse() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
      CREATE TRIGGER evidence_test_refuse BEFORE INSERT ON evidence
        FOR EACH ROW EXECUTE FUNCTION evidence_test_refuse();
    `);
    try {
      const { status } = await upload(part.id, { bytes: pdf('失败的上传'), name: 'a.pdf' });
      expect(status).toBe(500);
    } finally {
      await api.dataSource.query(`
        DROP TRIGGER evidence_test_refuse ON evidence;
        DROP FUNCTION evidence_test_refuse();
      `);
    }
    expect(await evidenceOf(part.id)).toBe(0);
    expect(await filesUnder(dir)).toEqual(before);
  });

  it('attaches uploaded evidence to a progress report once, and loads each report’s evidence in one query', async () => {
    const { part } = await zgcPart();
    const other = await zgcPart();
    const zgc = await api.token('zgcOfficer');
    const ids: string[] = [];
    for (const name of ['一.pdf', '二.pdf']) {
      ids.push(((await upload(part.id, { bytes: pdf(name), name })).body as EvidenceBody).id);
    }
    const foreign = ((await upload(other.part.id, { bytes: pdf(), name: '外.pdf' })).body as EvidenceBody).id;
    dataOf(await api.gql(ACCEPT, { input: { assignmentId: part.id, version: 1 } }, zgc));
    const input = { assignmentId: part.id, version: 2, period: '2026-11', text: '附材料', percent: 10 };

    const wrong = await api.gql(SUBMIT, { input: { ...input, evidenceIds: [ids[0], foreign] } }, zgc);
    expect(wrong.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'evidenceIds' });
    expect(await countRows(api, 'evidence', 'report_id IS NOT NULL AND id = ANY($1)', [ids])).toBe(0);

    const report = dataOf(
      await api.gql(SUBMIT, { input: { ...input, evidenceIds: ids } }, zgc),
    ).submitProgress;
    expect(report.evidence.map((e) => [e.id, e.fileName])).toEqual([
      [ids[0], '一.pdf'],
      [ids[1], '二.pdf'],
    ]);

    const service = api.app.get(EvidenceService);
    const ctx: RequestContext = { req: { headers: {} }, loaders: new Map() };
    const queries = api.queryCount();
    const [attached, none] = await Promise.all([
      service.evidenceLoader(ctx).load(report.id),
      service.evidenceLoader(ctx).load(randomUUID()),
    ]);
    expect(api.queryCount() - queries).toBe(1);
    expect(attached.map((e) => e.id)).toEqual(ids);
    expect(none).toEqual([]);
  });
});
