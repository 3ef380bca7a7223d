/** Time comes from here, never from `new Date()` in domain code, so tests can pin it. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

export class FixedClock extends Clock {
  constructor(private current: Date) {
    super();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(date: Date): void {
    this.current = new Date(date);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** A calendar day in Beijing (YYYY-MM-DD) → its last millisecond, the way deadlines are stored. */
export function endOfDayInBeijing(day: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a YYYY-MM-DD date: "${day}"`);
  const date = new Date(`${day}T23:59:59.999+08:00`);
  // 2026-02-30 would otherwise roll over into March.
  const [year, month, dayOfMonth] = day.split('-').map(Number);
  const check = new Date(Date.UTC(year, month - 1, dayOfMonth));
  if (
    Number.isNaN(date.getTime()) ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== dayOfMonth
  ) {
    throw new Error(`not a calendar date: "${day}"`);
  }
  return date;
}
