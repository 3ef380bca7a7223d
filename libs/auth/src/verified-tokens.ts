import { BoundedMap } from '@zhezi/core';

/** What a verified token says; `exp` in seconds since the epoch, as signed. */
export interface VerifiedClaims {
  exp?: number;
}

const LIMIT = 10_000;

/**
 * Tokens whose signature this process has checked, with their claims. Once the user is held in memory
 * (ActiveUserCache), checking the signature again was the costliest step left of an authenticated request (3 %
 * of the API's CPU on an executed board). Only tokens that passed verification are kept, so a flood of forged
 * ones cannot fill it; a kept token still expires when its `exp` says, read off the same clock jsonwebtoken
 * uses (wall time). Revocation is not this map's concern: the caller compares the session version every time.
 */
export class VerifiedTokens<T extends VerifiedClaims> {
  private readonly entries: BoundedMap<string, T>;

  constructor(limit = LIMIT) {
    this.entries = new BoundedMap(limit);
  }

  get(token: string, nowMs = Date.now()): T | undefined {
    const claims = this.entries.get(token);
    // jsonwebtoken's own rule: expired from the second `exp` on.
    if (claims?.exp !== undefined && Math.floor(nowMs / 1000) >= claims.exp) {
      this.entries.delete(token);
      return undefined;
    }
    return claims;
  }

  set(token: string, claims: T): void {
    this.entries.set(token, claims);
  }

  get size(): number {
    return this.entries.size;
  }
}
