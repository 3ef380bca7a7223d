import type { EntityManager } from 'typeorm';
import type { CalendarDay } from './calendar/calendar-day';
import { packagedYear, packagedYears } from './calendar/packaged-calendar';

/** Writes calendar days; `replace` overwrites stored days (an import), otherwise stored days win (seeding). */
export async function storeCalendarDays(
  manager: EntityManager,
  days: readonly CalendarDay[],
  replace: boolean,
  now: Date,
): Promise<number> {
  if (!days.length) return 0;
  const rows = await manager.query<unknown[]>(
    `INSERT INTO work_calendar_day (day, workday, kind, name, source, provisional, updated_at)
     SELECT d.day, d.workday, d.kind, d.name, d.source, d.provisional, $2
     FROM jsonb_to_recordset($1::jsonb)
       AS d(day date, workday boolean, kind varchar, name varchar, source varchar, provisional boolean)
     ON CONFLICT (day) DO ${
       replace
         ? `UPDATE SET workday = excluded.workday, kind = excluded.kind, name = excluded.name,
            source = excluded.source, provisional = excluded.provisional, updated_at = excluded.updated_at`
         : 'NOTHING'
     }
     RETURNING day`,
    [JSON.stringify(days), now],
  );
  return rows.length;
}

/** Stores every year the data package covers, leaving imported or edited days alone. */
export async function seedPackagedCalendar(manager: EntityManager, now: Date): Promise<number> {
  let stored = 0;
  for (const year of packagedYears())
    stored += await storeCalendarDays(manager, packagedYear(year), false, now);
  return stored;
}
