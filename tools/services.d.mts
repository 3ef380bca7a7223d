// Types for the part of services.mjs that TypeScript imports: the tests' global setup
// (test/support/test-servers.ts) starts the same private servers as `npm run up`.

export interface PrivateServer {
  stop(): Promise<void>;
}

export function findFreePort(start: number, preferred?: number): Promise<number>;

export function ensureRedisServer(): Promise<string>;

export function startPrivatePostgres(options: {
  embeddedDir: string;
  systemDir: string;
  port: number;
  password: string;
  system?: boolean;
  announce?: (how: string, dataDir: string) => void;
  stopping?: () => boolean;
}): Promise<PrivateServer>;

export function privatePostgresUrl(server: { port: number; password: string }, database: string): string;

export function startPrivateRedis(options: {
  dir: string;
  port: number;
  logFile: string;
  persistent?: boolean;
}): Promise<PrivateServer & { url: string }>;
