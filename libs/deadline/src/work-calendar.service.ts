import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '@zhezi/audit';
import {
  badInput,
  Clock,
  PgListener,
  transactional,
  type Actor,
  daysOfYear,
  isValidDay,
  weekday,
} from '@zhezi/core';
import { DomainEventType, OutboxService } from '@zhezi/outbox';
import { DayKind, type CalendarDay } from './calendar/calendar-day';
import { storeCalendarDays } from './calendar-store';
import { parseCalendarImport, type CalendarImportFormat } from './calendar/calendar-import';
import { packagedYear, packagedYears } from './calendar/packaged-calendar';
import { provisionalYear } from './calendar/statutory-rules';
import { WorkCalendar } from './calendar/work-calendar';
import type { WorkCalendarYear } from './work-calendar.types';

/** Years the table lacks: the package's data where it has the year, else the statutory rule (provisional). */
export function fallbackYear(year: number): CalendarDay[] {
  return packagedYears().includes(year) ? packagedYear(year) : provisionalYear(year);
}

/** Told on commit of every calendar change, so each process drops its cached calendar. */
const CALENDAR_CHANNEL = 'zhezi_calendar';

interface DayRow {
  day: string;
  workday: boolean;
  kind: DayKind;
  name: string | null;
  source: string;
  provisional: boolean;
}

/**
 * The working-day calendar as stored in PostgreSQL (imported State Council schedules, admins' edits, the
 * packaged data), cached per process and re-read when another process changes it.
 */
@Injectable()
export class WorkCalendarService {
  private calendar: Promise<WorkCalendar> | null = null;
  /** What `calendar` resolved to, while it is still the current one. */
  private read: WorkCalendar | null = null;
  private listening: Promise<void> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly listener: PgListener,
  ) {}

  /** The calendar as stored, read once per process and again after any process changes it. */
  async current(): Promise<WorkCalendar> {
    this.listening ??= this.listener.listen(
      CALENDAR_CHANNEL,
      () => this.invalidate(),
      () => this.invalidate(),
    );
    await this.listening;
    if (!this.calendar) {
      const loading = this.load();
      this.calendar = loading;
      // Kept as a value too, unless a change replaced it meanwhile (a failed read stays in `calendar`).
      loading.then(
        (calendar) => {
          if (this.calendar === loading) this.read = calendar;
        },
        () => undefined,
      );
    }
    return this.calendar;
  }

  /** The calendar itself once read (a field per list item then needs no promise), else `current()`. */
  currentNow(): WorkCalendar | Promise<WorkCalendar> {
    return this.read ?? this.current();
  }

  private async load(): Promise<WorkCalendar> {
    const rows = await this.dataSource.query<DayRow[]>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, workday, kind, name, source, provisional FROM work_calendar_day`,
    );
    return new WorkCalendar(rows, fallbackYear);
  }

  async year(year: number): Promise<WorkCalendarYear> {
    const calendar = await this.current();
    const days = daysOfYear(year).map((d) => calendar.dayInfo(d));
    return {
      year,
      provisional: days.some((d) => d.provisional),
      specialDays: days.filter((d) => d.kind === DayKind.HOLIDAY || d.kind === DayKind.MAKEUP_WORKDAY),
      workdayCount: days.filter((d) => d.workday).length,
    };
  }

  /** Replaces a year with the State Council's schedule; every pending escalation is then re-derived. */
  importYear(
    actor: Actor,
    year: number,
    format: CalendarImportFormat,
    content: string,
    source: string,
  ): Promise<WorkCalendarYear> {
    const days = parseCalendarImport(year, format, content, source);
    return this.change(actor, 'workCalendar.import', { year, source }, async (manager) => {
      await manager.query(`DELETE FROM work_calendar_day WHERE extract(year FROM day) = $1`, [year]);
      await storeCalendarDays(manager, days, true, this.clock.now());
      return year;
    });
  }

  /** One day corrected by hand (a late notice, a local arrangement). */
  setDay(
    actor: Actor,
    day: string,
    kind: DayKind,
    name: string | null,
    source: string,
  ): Promise<WorkCalendarYear> {
    if (!isValidDay(day)) throw badInput('day', `日期无效：${day}`);
    const weekend = [0, 6].includes(weekday(day));
    if (kind === DayKind.MAKEUP_WORKDAY && !weekend) throw badInput('kind', '调休上班日须为周六或周日');
    if (kind === DayKind.WEEKEND && !weekend) throw badInput('kind', '该日不是周六或周日');
    if (kind === DayKind.WORKDAY && weekend)
      throw badInput('kind', '周末上班请设为调休上班日（MAKEUP_WORKDAY）');
    const row: CalendarDay = {
      day,
      kind,
      workday: kind === DayKind.WORKDAY || kind === DayKind.MAKEUP_WORKDAY,
      name: name ?? null,
      source,
      provisional: false,
    };
    const year = Number(day.slice(0, 4));
    return this.change(actor, 'workCalendar.setDay', row, async (manager) => {
      // Editing one day of a year the table lacks stores the whole year first, so its other days stay as shown.
      const [{ stored }] = await manager.query<{ stored: number }[]>(
        `SELECT count(*)::int AS stored FROM work_calendar_day WHERE extract(year FROM day) = $1`,
        [year],
      );
      if (!stored) await storeCalendarDays(manager, fallbackYear(year), false, this.clock.now());
      await storeCalendarDays(manager, [row], true, this.clock.now());
      return year;
    });
  }

  private async change(
    actor: Actor,
    action: string,
    after: object,
    work: (manager: EntityManager) => Promise<number>,
  ): Promise<WorkCalendarYear> {
    const year = await transactional(this.dataSource, async (manager) => {
      const changedYear = await work(manager);
      const calendarId = '00000000-0000-0000-0000-000000000000';
      await this.audit.record(manager, actor, {
        action,
        entityType: 'WorkCalendar',
        entityId: calendarId,
        after,
      });
      await this.outbox.add(manager, {
        type: DomainEventType.ESCALATIONS_REPLANNED,
        aggregateType: 'WorkCalendar',
        aggregateId: calendarId,
        payload: { reason: action, year: changedYear },
      });
      await manager.query(`SELECT pg_notify($1, $2)`, [CALENDAR_CHANNEL, String(changedYear)]);
      return changedYear;
    });
    this.invalidate();
    return this.year(year);
  }

  invalidate(): void {
    this.calendar = null;
    this.read = null;
  }
}
