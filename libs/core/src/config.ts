import { isIP } from 'node:net';
import { isRedisClusterUrl, parseRedisClusterUrl } from './redis-connection';

export type AppEnv = 'development' | 'test' | 'production';

export interface AppConfig {
  env: AppEnv;
  port: number;
  /** Interface the API listens on: loopback unless configured (the container image sets 0.0.0.0). */
  host: string;
  /**
   * The proxies whose `X-Forwarded-For` names the client (Express's `trust proxy`: addresses, CIDRs, `loopback`,
   * `linklocal`, `uniquelocal`); false: the socket's address is the client's, whatever a header says.
   */
  trustProxy: string | false;
  databaseUrl: string;
  /** `redis://host:port` for one server, `redis-cluster://host:port,host:port,…` for a Redis Cluster. */
  redisUrl: string;
  /** Every BullMQ queue and Redis key lives under this prefix, so tests and tenants never collide. */
  redisPrefix: string;
  jwtSecret: string;
  jwtTtlSeconds: number;
  /** Slow SQL is logged above this many milliseconds. */
  slowQueryMs: number;
  /** Connections each process may open (the API serves that many queries at once). */
  databasePoolSize: number;
  /** How long the API and the worker wait on PostgreSQL; the command-line tools (migrations) never give up. */
  databaseTimeouts: { api: DatabaseTimeouts; worker: DatabaseTimeouts };
  /** Where uploaded evidence (佐证材料) is stored; relative paths are resolved against the working directory. */
  evidenceDir: string;
  /** The largest evidence file accepted, in bytes. */
  evidenceMaxBytes: number;
  /** Where links in notifications point (the web app's address). */
  publicUrl: string;
  /** The built web app the API serves at `/` when it exists (relative to the working directory). */
  webDistDir: string;
  deadlines: DeadlineSettings;
  queryLimits: QueryLimits;
  requestLimits: RequestLimits;
  boards: BoardSettings;
  /** Outgoing mail; null when SMTP_HOST is not set (email deliveries then stay in-app only). */
  smtp: SmtpConfig | null;
  files: FileLimits;
  observability: ObservabilitySettings;
}

/** Logs, metrics and health endpoints (README, "Operating it: logs, metrics, health"). */
export interface ObservabilitySettings {
  /** pino level: trace, debug, info, warn, error, fatal or silent. */
  logLevel: string;
  /** Bearer token `/metrics` requires; without one, only loopback clients may scrape. */
  metricsToken: string | null;
  /** The worker's HTTP port for `/metrics` and `/health/*` (on `HOST`). */
  workerHttpPort: number;
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** What a request body, an upload and the reading of a plan document or task table may cost. */
export interface FileLimits {
  /** Largest `/graphql` request body; files go to `POST /uploads` instead. */
  graphqlMaxBodyBytes: number;
  /** Largest file `POST /uploads` accepts, and how long it is kept for ingestPlan / importTaskList. */
  uploadMaxBytes: number;
  uploadTtlSeconds: number;
  /** A .docx or .xlsx inflated: all its entries together, and how many. */
  maxUncompressedBytes: number;
  maxArchiveEntries: number;
  /** Rows of a task table (importTaskList). */
  maxImportRows: number;
  /** The worker thread that reads one file: its heap, its wall-clock time, and how many run at once. */
  parseMemoryMb: number;
  parseTimeoutMs: number;
  parseConcurrency: number;
}

export interface DeadlineSettings {
  /** Working-day escalations fire at this Beijing time ("HH:mm"). */
  fireTime: string;
  /** How often the dispatcher looks for escalations coming due, and how far ahead it enqueues them. */
  dispatchEveryMs: number;
  horizonMs: number;
  /** Traffic lights: YELLOW this many workdays before the due date, or when progress lags elapsed time by more points. */
  warningWorkdays: number;
  progressLagPoints: number;
  /** Monthly reports are due on this day of the month; reminders go out this many workdays before it. */
  reportDay: number;
  reportReminderWorkdays: number;
  /** After a missed report, the inspectorate hears of it after this many workdays. */
  reportGraceWorkdays: number;
}

/** Bounds on waiting for PostgreSQL, in milliseconds; 0 switches one off. */
export interface DatabaseTimeouts {
  /** `statement_timeout`: a statement running longer is cancelled. */
  statementMs: number;
  /** `lock_timeout`: a statement waiting longer for a lock is cancelled. */
  lockMs: number;
  /** `idle_in_transaction_session_timeout`: a session left idle inside a transaction is ended, freeing its locks. */
  idleInTransactionMs: number;
  /** How long a query waits for a pool connection (or to connect) before giving up. */
  acquireMs: number;
}

/** What one GraphQL operation may ask for; anything beyond is refused before it runs. */
/** How much each part weighs in a unit's assessment score (see the README's Boards section). */
export interface ScoreWeights {
  onTime: number;
  overdue: number;
  reports: number;
}

export interface BoardSettings {
  scoreWeights: ScoreWeights;
}

export const DEFAULT_SCORE_WEIGHTS: ScoreWeights = { onTime: 0.5, overdue: 0.3, reports: 0.2 };

export interface QueryLimits {
  /** Deepest nesting of fields (fragments expanded, introspection exempt). */
  maxDepth: number;
  /** Largest estimated cost: one per field, the cost of a page times its `first`. */
  maxComplexity: number;
}

/**
 * What a GraphQL request may bring, checked before it is parsed in full and validated: validation compares every
 * pair of fields answering to one name, so its work must be bounded before it starts.
 */
export interface RequestLimits {
  /** Characters of query text (comments, whitespace and string literals are not tokens but cost to read). */
  maxLength: number;
  /** Lexical tokens of the query. */
  maxTokens: number;
  /** Fields written in the document, fragments counted once, aliases each. */
  maxFields: number;
  /** Fields answering to one response name in one selection set, fragments spread into it included. */
  maxRepeatedFields: number;
  /** JSON values (scalars, lists and objects) in the variables. */
  maxVariableValues: number;
}

export interface SmtpConfig {
  host: string;
  port: number;
  /** true for implicit TLS (port 465); false lets the server offer STARTTLS. */
  secure: boolean;
  user: string | null;
  password: string | null;
  /** Sender address, e.g. `"折子工程" <noreply@example.gov.cn>`. */
  from: string;
}

export const DEFAULT_JWT_SECRET = 'zhezi-dev-secret-change-me';
export const APP_CONFIG = Symbol('APP_CONFIG');
export const DEFAULT_EVIDENCE_MAX_BYTES = 20 * 1024 * 1024;
/** Sizes are GraphQL `Int`s and uploads are held in memory: a limit must stay well below 2^31. */
export const MAX_EVIDENCE_MAX_BYTES = 1024 * 1024 * 1024;
/** A page of 100 tasks with every relation the task list shows costs about 2,800 and nests 7 deep. */
export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 10, maxComplexity: 5000 };
/**
 * The introspection query has 67 fields in 163 tokens; the largest query of the test suite 29 fields. At these
 * limits the worst document found validates in 20–45 ms (docs/benchmarks.md, "Request bounds").
 */
export const DEFAULT_REQUEST_LIMITS: RequestLimits = {
  maxLength: 100_000,
  maxTokens: 5_000,
  maxFields: 500,
  maxRepeatedFields: 20,
  maxVariableValues: 50_000,
};

const MB = 1024 * 1024;
export const DEFAULT_FILE_LIMITS: FileLimits = {
  graphqlMaxBodyBytes: 2 * MB,
  uploadMaxBytes: 32 * MB,
  uploadTtlSeconds: 3600,
  maxUncompressedBytes: 64 * MB,
  maxArchiveEntries: 5000,
  maxImportRows: 20_000,
  parseMemoryMb: 512,
  parseTimeoutMs: 30_000,
  parseConcurrency: 2,
};

export class ConfigError extends Error {}

const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** A comma-separated list of addresses, CIDRs and Express's named ranges; anything else is a mistake. */
function loadTrustProxy(raw: string | undefined): string | false {
  const entries = (raw ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (!entries.length) return false;
  for (const entry of entries) {
    const [address, bits, rest] = entry.split('/');
    const family = isIP(address);
    const prefixOk =
      bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!PROXY_RANGES.has(entry) && (!family || !prefixOk || rest !== undefined)) {
      throw new ConfigError(
        `TRUST_PROXY must list addresses, CIDRs, loopback, linklocal or uniquelocal, got "${entry}"`,
      );
    }
  }
  return entries.join(',');
}

function int(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new ConfigError(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const appEnv = (env.NODE_ENV ?? 'development') as AppEnv;
  if (!['development', 'test', 'production'].includes(appEnv)) {
    throw new ConfigError(`NODE_ENV must be development, test or production, got "${appEnv}"`);
  }
  const jwtSecret = env.JWT_SECRET ?? DEFAULT_JWT_SECRET;
  // A leaked default secret lets anyone mint a leader's token: production must bring its own.
  if (appEnv === 'production' && (jwtSecret === DEFAULT_JWT_SECRET || jwtSecret.length < 32)) {
    throw new ConfigError(
      'JWT_SECRET must be set to a random string of at least 32 characters in production',
    );
  }
  const evidenceMaxBytes = int('EVIDENCE_MAX_BYTES', env.EVIDENCE_MAX_BYTES, DEFAULT_EVIDENCE_MAX_BYTES);
  if (evidenceMaxBytes < 1 || evidenceMaxBytes > MAX_EVIDENCE_MAX_BYTES) {
    throw new ConfigError(
      `EVIDENCE_MAX_BYTES must be between 1 and ${MAX_EVIDENCE_MAX_BYTES}, got "${env.EVIDENCE_MAX_BYTES}"`,
    );
  }
  return {
    env: appEnv,
    port: int('PORT', env.PORT, 3000),
    host: env.HOST || '127.0.0.1',
    trustProxy: loadTrustProxy(env.TRUST_PROXY),
    databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/zhezi',
    redisUrl: loadRedisUrl(env.REDIS_URL ?? 'redis://127.0.0.1:6379'),
    redisPrefix: env.REDIS_PREFIX ?? 'zhezi',
    jwtSecret,
    jwtTtlSeconds: int('JWT_TTL_SECONDS', env.JWT_TTL_SECONDS, 12 * 3600),
    slowQueryMs: int('SLOW_QUERY_MS', env.SLOW_QUERY_MS, 500),
    databasePoolSize: int('DATABASE_POOL_SIZE', env.DATABASE_POOL_SIZE, 20),
    databaseTimeouts: loadDatabaseTimeouts(env),
    evidenceDir: env.EVIDENCE_DIR || '.data/evidence',
    evidenceMaxBytes,
    publicUrl: (env.PUBLIC_URL || 'http://localhost:3000').replace(/\/$/, ''),
    webDistDir: env.WEB_DIST_DIR || 'dist/apps/web',
    deadlines: loadDeadlineSettings(env),
    queryLimits: loadQueryLimits(env),
    requestLimits: loadRequestLimits(env),
    boards: { scoreWeights: loadScoreWeights(env.BOARD_SCORE_WEIGHTS) },
    smtp: env.SMTP_HOST
      ? {
          host: env.SMTP_HOST,
          port: int('SMTP_PORT', env.SMTP_PORT, 25),
          secure: env.SMTP_SECURE === 'true',
          user: env.SMTP_USER || null,
          password: env.SMTP_PASSWORD || null,
          from: env.SMTP_FROM || '折子工程督办系统 <noreply@localhost>',
        }
      : null,
    files: loadFileLimits(env),
    observability: loadObservability(env, appEnv),
  };
}

/** A cluster URL is read now, so that a typo stops the start rather than the first connection. */
function loadRedisUrl(url: string): string {
  if (!isRedisClusterUrl(url)) return url;
  try {
    parseRedisClusterUrl(url);
  } catch (error) {
    throw new ConfigError(`REDIS_URL: ${(error as Error).message}`);
  }
  return url;
}

function loadObservability(env: NodeJS.ProcessEnv, appEnv: AppEnv): ObservabilitySettings {
  // Tests stay quiet unless asked; a server says what it does.
  const logLevel = env.LOG_LEVEL || (appEnv === 'test' ? 'silent' : 'info');
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  return {
    logLevel,
    metricsToken: env.METRICS_TOKEN || null,
    workerHttpPort: int('WORKER_HTTP_PORT', env.WORKER_HTTP_PORT, 9464),
  };
}

function loadFileLimits(env: NodeJS.ProcessEnv): FileLimits {
  const d = DEFAULT_FILE_LIMITS;
  const limits: FileLimits = {
    graphqlMaxBodyBytes: int('GRAPHQL_MAX_BODY_BYTES', env.GRAPHQL_MAX_BODY_BYTES, d.graphqlMaxBodyBytes),
    uploadMaxBytes: int('UPLOAD_MAX_BYTES', env.UPLOAD_MAX_BYTES, d.uploadMaxBytes),
    uploadTtlSeconds: int('UPLOAD_TTL_SECONDS', env.UPLOAD_TTL_SECONDS, d.uploadTtlSeconds),
    maxUncompressedBytes: int(
      'FILE_MAX_UNCOMPRESSED_BYTES',
      env.FILE_MAX_UNCOMPRESSED_BYTES,
      d.maxUncompressedBytes,
    ),
    maxArchiveEntries: int('FILE_MAX_ARCHIVE_ENTRIES', env.FILE_MAX_ARCHIVE_ENTRIES, d.maxArchiveEntries),
    maxImportRows: int('IMPORT_MAX_ROWS', env.IMPORT_MAX_ROWS, d.maxImportRows),
    parseMemoryMb: int('FILE_PARSE_MEMORY_MB', env.FILE_PARSE_MEMORY_MB, d.parseMemoryMb),
    parseTimeoutMs: int('FILE_PARSE_TIMEOUT_MS', env.FILE_PARSE_TIMEOUT_MS, d.parseTimeoutMs),
    parseConcurrency: int('FILE_PARSE_CONCURRENCY', env.FILE_PARSE_CONCURRENCY, d.parseConcurrency),
  };
  // Uploads are held in memory and stored whole: keep them well below 2^31.
  if (limits.uploadMaxBytes < 1 || limits.uploadMaxBytes > MAX_EVIDENCE_MAX_BYTES) {
    throw new ConfigError(`UPLOAD_MAX_BYTES must be between 1 and ${MAX_EVIDENCE_MAX_BYTES}`);
  }
  const zero = Object.entries(limits).find(([, value]) => value < 1);
  if (zero) throw new ConfigError(`file limit ${zero[0]} must be at least 1`);
  return limits;
}

/** "0.5,0.3,0.2": on-time closing, overdue days, report punctuality; non-negative, not all zero. */
function loadScoreWeights(raw: string | undefined): ScoreWeights {
  if (raw === undefined || raw === '') return DEFAULT_SCORE_WEIGHTS;
  const parts = raw.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 3 || parts.some((n) => !Number.isFinite(n) || n < 0) || !parts.some((n) => n > 0)) {
    throw new ConfigError(
      `BOARD_SCORE_WEIGHTS must be three non-negative numbers such as "0.5,0.3,0.2", got "${raw}"`,
    );
  }
  const [onTime, overdue, reports] = parts;
  return { onTime, overdue, reports };
}

/**
 * A request should fail within seconds rather than queue behind a lock or an exhausted pool; the worker's
 * set-based jobs may run for minutes and retry, so only runaway statements and forgotten transactions are cut.
 */
function loadDatabaseTimeouts(env: NodeJS.ProcessEnv): AppConfig['databaseTimeouts'] {
  const idleInTransactionMs = int(
    'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS',
    env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    60_000,
  );
  return {
    api: {
      statementMs: int('DATABASE_STATEMENT_TIMEOUT_MS', env.DATABASE_STATEMENT_TIMEOUT_MS, 15_000),
      lockMs: int('DATABASE_LOCK_TIMEOUT_MS', env.DATABASE_LOCK_TIMEOUT_MS, 5_000),
      idleInTransactionMs,
      acquireMs: int('DATABASE_ACQUIRE_TIMEOUT_MS', env.DATABASE_ACQUIRE_TIMEOUT_MS, 5_000),
    },
    worker: {
      statementMs: int('WORKER_STATEMENT_TIMEOUT_MS', env.WORKER_STATEMENT_TIMEOUT_MS, 10 * 60_000),
      lockMs: int('WORKER_LOCK_TIMEOUT_MS', env.WORKER_LOCK_TIMEOUT_MS, 60_000),
      idleInTransactionMs,
      acquireMs: int('WORKER_ACQUIRE_TIMEOUT_MS', env.WORKER_ACQUIRE_TIMEOUT_MS, 60_000),
    },
  };
}

function loadQueryLimits(env: NodeJS.ProcessEnv): QueryLimits {
  const maxDepth = int('GRAPHQL_MAX_DEPTH', env.GRAPHQL_MAX_DEPTH, DEFAULT_QUERY_LIMITS.maxDepth);
  const maxComplexity = int(
    'GRAPHQL_MAX_COMPLEXITY',
    env.GRAPHQL_MAX_COMPLEXITY,
    DEFAULT_QUERY_LIMITS.maxComplexity,
  );
  // Zero would refuse every query, even `{ viewer { id } }`.
  if (maxDepth < 1) {
    throw new ConfigError(`GRAPHQL_MAX_DEPTH must be at least 1, got "${env.GRAPHQL_MAX_DEPTH}"`);
  }
  if (maxComplexity < 1) {
    throw new ConfigError(`GRAPHQL_MAX_COMPLEXITY must be at least 1, got "${env.GRAPHQL_MAX_COMPLEXITY}"`);
  }
  return { maxDepth, maxComplexity };
}

function loadRequestLimits(env: NodeJS.ProcessEnv): RequestLimits {
  const limit = (name: string, fallback: number) => {
    const value = int(name, env[name], fallback);
    // Zero would refuse every request.
    if (value < 1) throw new ConfigError(`${name} must be at least 1, got "${env[name]}"`);
    return value;
  };
  const defaults = DEFAULT_REQUEST_LIMITS;
  return {
    maxLength: limit('GRAPHQL_MAX_QUERY_LENGTH', defaults.maxLength),
    maxTokens: limit('GRAPHQL_MAX_TOKENS', defaults.maxTokens),
    maxFields: limit('GRAPHQL_MAX_FIELDS', defaults.maxFields),
    maxRepeatedFields: limit('GRAPHQL_MAX_REPEATED_FIELDS', defaults.maxRepeatedFields),
    maxVariableValues: limit('GRAPHQL_MAX_VARIABLE_VALUES', defaults.maxVariableValues),
  };
}

/**
 * What start-up should shout about: settings that work but must not reach a shared machine. The development secret
 * is public, so anyone could sign a leader's token with it.
 */
export function startupWarnings(config: AppConfig): string[] {
  if (config.jwtSecret !== DEFAULT_JWT_SECRET) return [];
  return [
    'JWT_SECRET is not set: tokens are signed with the public development secret and anyone can forge them. ' +
      'Set JWT_SECRET to a random string of at least 32 characters before anyone else can reach this server.',
  ];
}

function loadDeadlineSettings(env: NodeJS.ProcessEnv): DeadlineSettings {
  const fireTime = env.ESCALATION_FIRE_TIME ?? '09:00';
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(fireTime)) {
    throw new ConfigError(`ESCALATION_FIRE_TIME must be HH:mm, got "${fireTime}"`);
  }
  const dispatchEveryMs = int('ESCALATION_DISPATCH_EVERY_MS', env.ESCALATION_DISPATCH_EVERY_MS, 60_000);
  const horizonMs = int('ESCALATION_HORIZON_MS', env.ESCALATION_HORIZON_MS, 5 * 60_000);
  // A horizon shorter than the interval would let an escalation fall between two passes.
  if (dispatchEveryMs < 1000 || horizonMs < 2 * dispatchEveryMs) {
    throw new ConfigError(
      'ESCALATION_HORIZON_MS must be at least twice ESCALATION_DISPATCH_EVERY_MS (≥ 1000)',
    );
  }
  const reportDay = int('REPORT_DAY', env.REPORT_DAY, 25);
  if (reportDay < 1 || reportDay > 28) throw new ConfigError(`REPORT_DAY must be 1–28, got "${reportDay}"`);
  return {
    fireTime,
    dispatchEveryMs,
    horizonMs,
    warningWorkdays: int('LIGHT_WARNING_WORKDAYS', env.LIGHT_WARNING_WORKDAYS, 5),
    progressLagPoints: int('LIGHT_PROGRESS_LAG_POINTS', env.LIGHT_PROGRESS_LAG_POINTS, 20),
    reportDay,
    reportReminderWorkdays: int('REPORT_REMINDER_WORKDAYS', env.REPORT_REMINDER_WORKDAYS, 2),
    reportGraceWorkdays: int('REPORT_GRACE_WORKDAYS', env.REPORT_GRACE_WORKDAYS, 3),
  };
}
