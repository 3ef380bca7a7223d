import ExcelJS from 'exceljs';
import { DEFAULT_FILE_LIMITS, FixedClock } from '@zhezi/core';
import { graphql } from './gql';
import type { FileUploadsIngestMutation, IngestPlanInput } from './gql/graphql';
import { startTestApi, type GqlResult, type TestApi } from './support/test-api';

const INGEST = graphql(`
  mutation FileUploadsIngest($input: IngestPlanInput!) {
    ingestPlan(input: $input) {
      plan {
        title
      }
      measureCount
    }
  }
`);
const IMPORT = graphql(`
  mutation FileUploadsImport($input: ImportTaskListInput!) {
    importTaskList(input: $input) {
      draftTaskCount
    }
  }
`);
const VIEWER = graphql(`
  query FileUploadsViewer {
    viewer {
      id
    }
  }
`);
const UPLOAD_MAX = 256 * 1024;

const PLAN = [
  '# 海淀区2026年重点工作任务',
  '',
  '## 一、加强生态环境治理',
  '',
  '1. 推进污水管网建设。2026年9月底前完成清河流域污水管网改造。',
  '2. 开展河道综合整治。年底前完成上庄地区河道清淤。',
  '',
].join('\n');

interface Uploaded {
  id: string;
  fileName: string;
  size: number;
}

/**
 * Issue 12, item 1 (body limit): files travel over POST /uploads, not inside GraphQL requests, whose body is
 * limited to GRAPHQL_MAX_BODY_BYTES; an upload is its uploader's only, until it expires.
 */
describe('POST /uploads and the /graphql body limit (e2e over HTTP)', () => {
  const clock = new FixedClock(new Date('2026-03-02T02:00:00Z'));
  let api: TestApi;
  let base: string;

  beforeAll(async () => {
    api = await startTestApi({
      clock,
      config: { files: { ...DEFAULT_FILE_LIMITS, uploadMaxBytes: UPLOAD_MAX } },
    });
    base = api.url.replace(/\/graphql$/, '');
  });
  afterAll(() => api?.close());

  async function upload(user: string | null, fileName: string, data: Buffer | string) {
    const form = new FormData();
    form.append('file', new Blob([data]), fileName);
    const response = await fetch(`${base}/uploads`, {
      method: 'POST',
      headers: user ? { authorization: `Bearer ${await api.token(user)}` } : {},
      body: form,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function uploaded(user: string, fileName: string, data: Buffer | string): Promise<Uploaded> {
    const { status, body } = await upload(user, fileName, data);
    expect(status).toBe(201);
    return body as unknown as Uploaded;
  }

  it('ingests a plan from an upload', async () => {
    const file = await uploaded('leader', '年度计划.md', PLAN);
    expect(file).toMatchObject({ fileName: '年度计划.md', size: Buffer.byteLength(PLAN) });
    expect(file.id).toMatch(/^[0-9a-f-]{36}$/);
    const result = await api.gql(
      INGEST,
      { input: { file: { uploadId: file.id } } },
      await api.token('leader'),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.ingestPlan).toEqual({ plan: { title: '海淀区2026年重点工作任务' }, measureCount: 2 });
  });

  it('imports a task table from an upload', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('折子工程');
    sheet.addRow(['序号', '任务名称', '牵头单位', '完成时限']);
    sheet.addRow([1, '推进污水管网建设', '区水务局', '2026年9月底前']);
    const file = await uploaded('admin', 'list.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    const result = await api.gql(
      IMPORT,
      { input: { year: 2026, file: { uploadId: file.id } } },
      await api.token('admin'),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.importTaskList.draftTaskCount).toBe(1);
  });

  it("refuses another user's upload, an unknown id, both forms at once and an expired upload", async () => {
    const file = await uploaded('leader', 'plan.md', PLAN);
    const ingest = async (user: string, input: IngestPlanInput) =>
      (await api.gql(INGEST, { input }, await api.token(user))).errors?.[0]?.extensions;
    expect(await ingest('admin', { file: { uploadId: file.id } })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'file.uploadId',
    });
    expect(
      await ingest('leader', { file: { uploadId: '00000000-0000-4000-8000-000000000000' } }),
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'file.uploadId',
    });
    expect(
      await ingest('leader', { file: { uploadId: file.id, fileName: 'a.md', content: 'YQ==' } }),
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'file',
    });
    clock.advance((DEFAULT_FILE_LIMITS.uploadTtlSeconds + 1) * 1000);
    expect(await ingest('leader', { file: { uploadId: file.id } })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'file.uploadId',
    });
  });

  it('lets only those who may ingest or import upload, and refuses a file over the limit with 413', async () => {
    expect((await upload(null, 'plan.md', PLAN)).status).toBe(401);
    const unit = await upload('fgwHead', 'plan.md', PLAN);
    expect(unit).toMatchObject({ status: 403, body: { extensions: { code: 'FORBIDDEN' } } });
    const big = await upload('leader', 'big.docx', Buffer.alloc(UPLOAD_MAX + 1));
    expect(big).toMatchObject({
      status: 413,
      body: { extensions: { code: 'PAYLOAD_TOO_LARGE', field: 'file' } },
    });
    expect((await upload('leader', 'exact.txt', Buffer.alloc(UPLOAD_MAX, 0x41))).status).toBe(201);
  });

  it('answers a /graphql body over the limit with 413 and a GraphQL-shaped error', async () => {
    const content = Buffer.alloc(DEFAULT_FILE_LIMITS.graphqlMaxBodyBytes).toString('base64');
    const response = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await api.token('leader')}` },
      body: JSON.stringify({
        query: String(INGEST),
        variables: { input: { file: { fileName: 'a.txt', content } } },
      }),
    });
    expect(response.status).toBe(413);
    const body = (await response.json()) as GqlResult<FileUploadsIngestMutation>;
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0].message).toContain('POST /uploads');
    expect(body.errors![0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    // A request within the limit still works, unauthenticated ones included.
    const small = await api.gql(VIEWER, {}, await api.token('leader'));
    expect(small.data?.viewer.id).toBeTruthy();
  });
});
