import { ConfigError, DEFAULT_FILE_LIMITS, loadConfig } from './config';

describe('loadConfig: file limits', () => {
  it('defaults to a 2 MB /graphql body, 32 MB uploads and bounded readers', () => {
    expect(loadConfig({}).files).toEqual(DEFAULT_FILE_LIMITS);
    expect(DEFAULT_FILE_LIMITS).toMatchObject({
      graphqlMaxBodyBytes: 2 * 1024 * 1024,
      uploadMaxBytes: 32 * 1024 * 1024,
      maxUncompressedBytes: 64 * 1024 * 1024,
      parseMemoryMb: 512,
    });
  });

  it('reads each limit from its variable and refuses zero or an upload limit beyond 1 GB', () => {
    expect(
      loadConfig({
        GRAPHQL_MAX_BODY_BYTES: '1048576',
        UPLOAD_MAX_BYTES: '1000',
        UPLOAD_TTL_SECONDS: '60',
        FILE_MAX_UNCOMPRESSED_BYTES: '2000',
        FILE_MAX_ARCHIVE_ENTRIES: '10',
        IMPORT_MAX_ROWS: '100',
        FILE_PARSE_MEMORY_MB: '128',
        FILE_PARSE_TIMEOUT_MS: '5000',
        FILE_PARSE_CONCURRENCY: '1',
      }).files,
    ).toEqual({
      graphqlMaxBodyBytes: 1048576,
      uploadMaxBytes: 1000,
      uploadTtlSeconds: 60,
      maxUncompressedBytes: 2000,
      maxArchiveEntries: 10,
      maxImportRows: 100,
      parseMemoryMb: 128,
      parseTimeoutMs: 5000,
      parseConcurrency: 1,
    });
    expect(() => loadConfig({ FILE_PARSE_CONCURRENCY: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ UPLOAD_MAX_BYTES: String(2 ** 31) })).toThrow(/UPLOAD_MAX_BYTES/);
  });
});
