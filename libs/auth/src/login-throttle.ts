import type { EntityManager } from 'typeorm';

export interface ThrottleLimits {
  /** From this many failures on, each attempt waits a growing delay after the last failure. */
  delayAfter: number;
  /** This many failures lock the key for `lockMs`. */
  lockAfter: number;
  maxDelayMs: number;
  lockMs: number;
  /** A key quiet for this long starts counting again. */
  resetAfterMs: number;
}

const MINUTE = 60_000;

/** One username: 5 failures → 1 s, 2 s, 4 s … ; the 10th locks it for 15 minutes (or until an admin unlocks). */
export const USERNAME_LIMITS: ThrottleLimits = {
  delayAfter: 5,
  lockAfter: 10,
  maxDelayMs: MINUTE,
  lockMs: 15 * MINUTE,
  resetAfterMs: 15 * MINUTE,
};

/** One address, looser: an office behind one NAT address shares it, and an attacker spreads over usernames. */
export const ADDRESS_LIMITS: ThrottleLimits = {
  delayAfter: 20,
  lockAfter: 100,
  maxDelayMs: MINUTE,
  lockMs: 15 * MINUTE,
  resetAfterMs: 15 * MINUTE,
};

export interface ThrottleState {
  failures: number;
  lastFailureAt: Date;
  lockedUntil: Date | null;
}

export const usernameKey = (username: string) => `user:${username}`;
export const addressKey = (address: string) => `addr:${address}`;

/** Failures that still count: a lock that ran out, or a quiet spell, starts the count again. */
function currentFailures(state: ThrottleState, now: Date, limits: ThrottleLimits): number {
  if (state.lockedUntil && state.lockedUntil <= now) return 0;
  if (now.getTime() - state.lastFailureAt.getTime() >= limits.resetAfterMs) return 0;
  return state.failures;
}

/** Until when a key refuses attempts (locked, or inside its delay); null when an attempt may be checked now. */
export function blockedUntil(state: ThrottleState | null, now: Date, limits: ThrottleLimits): Date | null {
  if (!state) return null;
  if (state.lockedUntil && state.lockedUntil > now) return state.lockedUntil;
  const failures = currentFailures(state, now, limits);
  if (failures < limits.delayAfter) return null;
  const delay = Math.min(limits.maxDelayMs, 1000 * 2 ** (failures - limits.delayAfter));
  const until = new Date(state.lastFailureAt.getTime() + delay);
  return until > now ? until : null;
}

/** The state after one more failure (attempts refused while blocked count too), and whether it just locked. */
export function afterFailure(
  state: ThrottleState | null,
  now: Date,
  limits: ThrottleLimits,
): ThrottleState & { locked: boolean } {
  const failures = (state ? currentFailures(state, now, limits) : 0) + 1;
  const stillLocked = state?.lockedUntil && state.lockedUntil > now ? state.lockedUntil : null;
  const locked = !stillLocked && failures >= limits.lockAfter;
  const lockedUntil = stillLocked ?? (locked ? new Date(now.getTime() + limits.lockMs) : null);
  return { failures, lastFailureAt: now, lockedUntil, locked };
}

interface ThrottleRow {
  id: string;
  key: string;
  failures: number;
  last_failure_at: Date;
  locked_until: Date | null;
}

const stateOf = (row: ThrottleRow): ThrottleState => ({
  failures: row.failures,
  lastFailureAt: row.last_failure_at,
  lockedUntil: row.locked_until,
});

/** Rows of keys nobody has failed on for a day are removed as new failures come in. */
const STALE_AFTER = '1 day';

/** Failed sign-ins per key in the `login_throttle` table, so every API process sees the same counts. */
export const loginThrottle = {
  async read(manager: EntityManager, keys: string[]): Promise<Map<string, ThrottleState>> {
    const rows = await manager.query<ThrottleRow[]>(
      `SELECT id, key, failures, last_failure_at, locked_until FROM login_throttle WHERE key = ANY($1)`,
      [keys],
    );
    return new Map(rows.map((r) => [r.key, stateOf(r)]));
  },

  /** Counts a failure on the key under a row lock; returns the row's id (an audit entity) and the new state. */
  async fail(
    manager: EntityManager,
    key: string,
    now: Date,
    limits: ThrottleLimits,
  ): Promise<{ id: string; locked: boolean; lockedUntil: Date | null }> {
    await manager.query(
      `INSERT INTO login_throttle (key, failures, last_failure_at) VALUES ($1, 0, $2) ON CONFLICT (key) DO NOTHING`,
      [key, now],
    );
    const [row] = await manager.query<ThrottleRow[]>(
      `SELECT id, key, failures, last_failure_at, locked_until FROM login_throttle WHERE key = $1 FOR UPDATE`,
      [key],
    );
    const next = afterFailure(row.failures === 0 ? null : stateOf(row), now, limits);
    await manager.query(
      `UPDATE login_throttle SET failures = $2, last_failure_at = $3, locked_until = $4 WHERE id = $1`,
      [row.id, next.failures, next.lastFailureAt, next.lockedUntil],
    );
    return { id: row.id, locked: next.locked, lockedUntil: next.lockedUntil };
  },

  /** Forgets a key's failures (a successful sign-in, an admin's unlock); true when there were any. */
  async clear(manager: EntityManager, key: string): Promise<boolean> {
    const deleted = await manager.query<unknown[]>(`DELETE FROM login_throttle WHERE key = $1 RETURNING id`, [
      key,
    ]);
    return deleted.length > 0;
  },

  async removeStale(manager: EntityManager, now: Date): Promise<void> {
    await manager.query(
      `DELETE FROM login_throttle WHERE last_failure_at < $1::timestamptz - interval '${STALE_AFTER}'
        AND (locked_until IS NULL OR locked_until < $1)`,
      [now],
    );
  },
};
