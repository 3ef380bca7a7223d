export type AppEnv = 'development' | 'test' | 'production';

export interface AppConfig {
  env: AppEnv;
  port: number;
  databaseUrl: string;
  redisUrl: string;
  /** Every BullMQ queue and Redis key lives under this prefix, so tests and tenants never collide. */
  redisPrefix: string;
  jwtSecret: string;
  jwtTtlSeconds: number;
  /** Slow SQL is logged above this many milliseconds. */
  slowQueryMs: number;
  /** Where uploaded evidence (佐证材料) is stored; relative paths are resolved against the working directory. */
  evidenceDir: string;
  /** The largest evidence file accepted, in bytes. */
  evidenceMaxBytes: number;
}

export const DEFAULT_JWT_SECRET = 'zhezi-dev-secret-change-me';
export const APP_CONFIG = Symbol('APP_CONFIG');
export const DEFAULT_EVIDENCE_MAX_BYTES = 20 * 1024 * 1024;
/** Sizes are GraphQL `Int`s and uploads are held in memory: a limit must stay well below 2^31. */
export const MAX_EVIDENCE_MAX_BYTES = 1024 * 1024 * 1024;

export class ConfigError extends Error {}

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
    databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/zhezi',
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    redisPrefix: env.REDIS_PREFIX ?? 'zhezi',
    jwtSecret,
    jwtTtlSeconds: int('JWT_TTL_SECONDS', env.JWT_TTL_SECONDS, 12 * 3600),
    slowQueryMs: int('SLOW_QUERY_MS', env.SLOW_QUERY_MS, 500),
    evidenceDir: env.EVIDENCE_DIR || '.data/evidence',
    evidenceMaxBytes,
  };
}
