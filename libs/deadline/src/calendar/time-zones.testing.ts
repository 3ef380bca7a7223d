import { runInThisContext } from 'node:vm';

/** Process time zones the calendar must not notice, with their UTC offsets in January (getTimezoneOffset). */
const ZONES: Record<string, number> = { UTC: 0, 'Asia/Shanghai': -480, 'America/New_York': 300 };

// Jest gives each test file a copy of process.env; Node changes the zone only when the host process's env.TZ is set.
const hostEnv = (runInThisContext('process') as NodeJS.Process).env;

/** Runs `work` with the process in `zone` (Node applies a new TZ at once), then restores the original zone. */
export function inTimeZone<T>(zone: string, work: () => T): T {
  const original = hostEnv.TZ;
  hostEnv.TZ = zone;
  try {
    return work();
  } finally {
    if (original === undefined) delete hostEnv.TZ;
    else hostEnv.TZ = original;
  }
}

/** Runs `check` in each zone in turn, first making sure the zone took effect. */
export function inEachTimeZone(check: (zone: string) => void): void {
  for (const [zone, offset] of Object.entries(ZONES)) {
    inTimeZone(zone, () => {
      expect(new Date(Date.UTC(2024, 0, 1)).getTimezoneOffset()).toBe(offset);
      check(zone);
    });
  }
}
