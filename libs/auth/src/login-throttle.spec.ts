import { afterFailure, blockedUntil, USERNAME_LIMITS, type ThrottleState } from './login-throttle';

const T0 = new Date('2026-12-01T02:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function failTimes(times: number, now: Date): ThrottleState {
  let state: ThrottleState | null = null;
  for (let i = 0; i < times; i++) state = afterFailure(state, now, USERNAME_LIMITS);
  return state!;
}

describe('login throttle', () => {
  it('lets four failures through without delay', () => {
    expect(blockedUntil(failTimes(4, T0), T0, USERNAME_LIMITS)).toBeNull();
  });

  it('delays from the fifth failure on, doubling each time', () => {
    expect(blockedUntil(failTimes(5, T0), T0, USERNAME_LIMITS)).toEqual(at(1));
    expect(blockedUntil(failTimes(7, T0), T0, USERNAME_LIMITS)).toEqual(at(4));
    expect(blockedUntil(failTimes(7, T0), at(4), USERNAME_LIMITS)).toBeNull();
  });

  it('locks for 15 minutes at the tenth failure, and only then', () => {
    const nine = failTimes(9, T0);
    expect(nine.lockedUntil).toBeNull();
    const ten = afterFailure(nine, T0, USERNAME_LIMITS);
    expect(ten).toMatchObject({ locked: true, lockedUntil: at(900) });
    const more = afterFailure(ten, at(60), USERNAME_LIMITS);
    expect(more).toMatchObject({ locked: false, lockedUntil: at(900), failures: 11 });
    expect(blockedUntil(more, at(899), USERNAME_LIMITS)).toEqual(at(900));
  });

  it('starts again once the lock has run out or after a quiet spell', () => {
    const locked = failTimes(10, T0);
    expect(blockedUntil(locked, at(900), USERNAME_LIMITS)).toBeNull();
    expect(afterFailure(locked, at(900), USERNAME_LIMITS).failures).toBe(1);
    expect(afterFailure(failTimes(4, T0), at(900), USERNAME_LIMITS).failures).toBe(1);
  });
});
