import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { AccessPolicy } from '@zhezi/access';
import { AuditService } from '@zhezi/audit';
import {
  badInput,
  Clock,
  conflict,
  forbidden,
  notFound,
  paginate,
  requestLoader,
  rowsByLoader,
  Role,
  transactional,
  type Actor,
  type Connection,
  type PageArgs,
  type RequestContext,
  addDays,
  beijingDay,
  beijingInstant,
  tableRef,
} from '@zhezi/core';
import { NotificationKind, NotificationService, type PendingDelivery } from '@zhezi/notify';
import { DomainEventType, OutboxService } from '@zhezi/outbox';
import {
  Assignment,
  AssignmentChangeKind,
  AssignmentObservers,
  AssignmentStateService,
  AssignmentStatus,
  takersFor,
  Taker,
} from '@zhezi/task';
import type { WorkCalendar } from './calendar/work-calendar';
import { Recipient } from './escalation-policy.entity';
import { chineseDate } from './escalation.messages';
import { OPEN_NOTICE } from './light';
import { resolveRecipients } from './recipients';
import { NoticeStatus, SupervisionNotice } from './supervision-notice.entity';
import {
  NOTICE_STATUS_LABELS,
  NOTICE_TRANSITIONS,
  NoticeAction,
  NoticeTaker,
} from './supervision-notice.lifecycle';
import type { SupervisionNoticeFilterArgs } from './supervision-notice.types';
import { WorkCalendarService } from './work-calendar.service';

const INSPECTORATE_ROLES = [Role.INSPECTOR, Role.ADMIN];

/** The last instant of the workday `workdays` after today: answers are due by the end of that day. */
function responseDueAt(calendar: WorkCalendar, now: Date, workdays: number): Date {
  const day = calendar.addWorkdays(beijingDay(now), workdays);
  return new Date(beijingInstant(addDays(day, 1)).getTime() - 1);
}

@Injectable()
export class SupervisionNoticeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly calendars: WorkCalendarService,
    private readonly notifications: NotificationService,
    private readonly assignments: AssignmentStateService,
    private readonly observers: AssignmentObservers,
  ) {}

  /**
   * Opened by a SUPERVISE escalation, in its transaction. Joins the notice already in force, if any, so an
   * assignment never has two. Returns the notice and the deliveries its notifications created.
   */
  async openForEscalation(
    manager: EntityManager,
    assignment: Assignment,
    escalationId: string,
    responseWorkdays: number,
    reason: string,
  ): Promise<SupervisionNotice> {
    const existing = await manager.findOneBy(SupervisionNotice, {
      assignmentId: assignment.id,
      status: In([NoticeStatus.OPEN, NoticeStatus.ANSWERED]),
    });
    if (existing) return existing;
    return this.insert(manager, assignment, { escalationId, openedById: null, reason, responseWorkdays });
  }

  /** An inspector opens a notice by hand. */
  open(
    actor: Actor,
    assignmentId: string,
    reason: string,
    responseWorkdays: number,
  ): Promise<SupervisionNotice> {
    return transactional(this.dataSource, async (manager) => {
      const assignment = await manager.findOne(Assignment, {
        where: { id: assignmentId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!assignment) throw notFound('分工', assignmentId);
      if (assignment.status === AssignmentStatus.CLOSED)
        throw conflict('该分工已销号，不能督办', { currentStatus: assignment.status });
      const inForce = await manager.findOneBy(SupervisionNotice, {
        assignmentId,
        status: In([NoticeStatus.OPEN, NoticeStatus.ANSWERED]),
      });
      if (inForce) throw conflict(`该分工已有督办单（${inForce.code}）尚未办结`, { noticeId: inForce.id });
      const notice = await this.insert(manager, assignment, {
        escalationId: null,
        openedById: actor.userId,
        reason,
        responseWorkdays,
      });
      await this.record(manager, actor, notice, assignment, 'supervisionNotice.open', null);
      return notice;
    });
  }

  private async insert(
    manager: EntityManager,
    assignment: Assignment,
    opening: {
      escalationId: string | null;
      openedById: string | null;
      reason: string;
      responseWorkdays: number;
    },
  ): Promise<SupervisionNotice> {
    const now = this.clock.now();
    const calendar = await this.calendars.current();
    const [{ n }] = await manager.query<{ n: number }[]>(
      `SELECT nextval('supervision_notice_seq')::int AS n`,
    );
    const notice = await manager.save(
      manager.create(SupervisionNotice, {
        code: `督〔${beijingDay(now).slice(0, 4)}〕${n}号`,
        assignmentId: assignment.id,
        escalationId: opening.escalationId,
        status: NoticeStatus.OPEN,
        reason: opening.reason,
        openedById: opening.openedById,
        openedAt: now,
        responseDueAt: responseDueAt(calendar, now, opening.responseWorkdays),
        responseWorkdays: opening.responseWorkdays,
      }),
    );
    // An escalation's own message announces the notice; a notice opened by hand announces itself.
    if (!opening.escalationId) {
      await this.tell(manager, notice, assignment, [Recipient.UNIT_OFFICERS, Recipient.UNIT_HEAD], {
        title: `【督办单】${notice.code}`,
        body: `督查室开具督办单${notice.code}：${notice.reason}。请于${chineseDate(notice.responseDueAt)}前提交整改说明和推进计划。`,
        key: 'open',
      });
    }
    return notice;
  }

  answer(
    actor: Actor,
    noticeId: string,
    version: number,
    response: string,
    newPlan: string,
  ): Promise<SupervisionNotice> {
    return transactional(this.dataSource, async (manager) => {
      const { notice, assignment } = await this.lockForChange(manager, actor, noticeId, version);
      const before = { status: notice.status };
      this.transition(notice, NoticeAction.ANSWER, this.takerOf(actor, assignment));
      Object.assign(notice, { response, newPlan, answeredAt: this.clock.now(), answeredById: actor.userId });
      const saved = await manager.save(notice);
      await this.record(manager, actor, saved, assignment, 'supervisionNotice.answer', before);
      await this.observers.changed(manager, [{ assignment, kind: AssignmentChangeKind.ANSWERED }]);
      await this.tell(manager, saved, assignment, [Recipient.INSPECTORATE], {
        title: `【督办单已答复】${saved.code}`,
        body: `督办单${saved.code}已答复，请审核。`,
        key: `answer-${saved.version}`,
      });
      return saved;
    });
  }

  accept(actor: Actor, noticeId: string, version: number): Promise<SupervisionNotice> {
    return this.review(actor, noticeId, version, NoticeAction.ACCEPT);
  }

  sendBack(
    actor: Actor,
    noticeId: string,
    version: number,
    reason: string | undefined,
  ): Promise<SupervisionNotice> {
    if (!reason) throw badInput('reason', '退回须说明理由');
    return this.review(actor, noticeId, version, NoticeAction.RETURN, reason);
  }

  private review(
    actor: Actor,
    noticeId: string,
    version: number,
    action: NoticeAction.ACCEPT | NoticeAction.RETURN,
    reason?: string,
  ): Promise<SupervisionNotice> {
    return transactional(this.dataSource, async (manager) => {
      const { notice, assignment } = await this.lockForChange(manager, actor, noticeId, version);
      const before = { status: notice.status };
      const taker = INSPECTORATE_ROLES.includes(actor.role) ? NoticeTaker.INSPECTORATE : null;
      this.transition(notice, action, taker);
      const now = this.clock.now();
      if (action === NoticeAction.ACCEPT) Object.assign(notice, { closedAt: now, closedById: actor.userId });
      if (action === NoticeAction.RETURN) {
        Object.assign(notice, {
          returnCount: notice.returnCount + 1,
          returnReason: reason,
          responseDueAt: responseDueAt(await this.calendars.current(), now, notice.responseWorkdays),
          overdueEscalatedAt: null,
        });
      }
      const saved = await manager.save(notice);
      await this.record(
        manager,
        actor,
        saved,
        assignment,
        `supervisionNotice.${action.toLowerCase()}`,
        before,
        reason,
      );
      await this.tell(manager, saved, assignment, [Recipient.UNIT_OFFICERS, Recipient.UNIT_HEAD], {
        title: `【督办单${action === NoticeAction.ACCEPT ? '已办结' : '被退回'}】${saved.code}`,
        body:
          action === NoticeAction.ACCEPT
            ? `督办单${saved.code}的答复已审核通过，督办单办结。`
            : `督办单${saved.code}的答复被退回：${reason}。请于${chineseDate(saved.responseDueAt)}前重新答复。`,
        key: `${action.toLowerCase()}-${saved.version}`,
      });
      return saved;
    });
  }

  /** Closing the assignment settles its notice: nothing is left to answer. */
  async closeForAssignment(manager: EntityManager, assignmentId: string): Promise<void> {
    const notice = await manager.findOneBy(SupervisionNotice, {
      assignmentId,
      status: In([NoticeStatus.OPEN, NoticeStatus.ANSWERED]),
    });
    if (!notice) return;
    const before = { status: notice.status };
    this.transition(notice, NoticeAction.CLOSE_WITH_ASSIGNMENT, NoticeTaker.SYSTEM);
    notice.closedAt = this.clock.now();
    const saved = await manager.save(notice);
    const assignment = await manager.findOneByOrFail(Assignment, { id: assignmentId });
    await this.record(manager, null, saved, assignment, 'supervisionNotice.close_with_assignment', before);
  }

  /**
   * Notices whose answer is overdue: the unit's head and the inspectorate hear of it, once per due date (a
   * returned notice gets a new one). Returns the deliveries created.
   */
  async escalateOverdue(limit = 1000): Promise<PendingDelivery[]> {
    return transactional(
      this.dataSource,
      async (manager) => {
        const overdue = await manager
          .createQueryBuilder(SupervisionNotice, 'n')
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          .where('n.status = :open AND n.overdue_escalated_at IS NULL AND n.response_due_at < :now', {
            open: NoticeStatus.OPEN,
            now: this.clock.now(),
          })
          .orderBy('n.response_due_at')
          .limit(limit)
          .getMany();
        const deliveries: PendingDelivery[] = [];
        for (const notice of overdue) {
          // Not a change the unit must re-read: the version stays, so an answer in hand is still accepted.
          await manager.query(`UPDATE supervision_notice SET overdue_escalated_at = $2 WHERE id = $1`, [
            notice.id,
            this.clock.now(),
          ]);
          const assignment = await manager.findOneByOrFail(Assignment, { id: notice.assignmentId });
          deliveries.push(
            ...(await this.tell(manager, notice, assignment, [Recipient.UNIT_HEAD, Recipient.INSPECTORATE], {
              title: `【督办单逾期未答复】${notice.code}`,
              body: `督办单${notice.code}答复时限为${chineseDate(notice.responseDueAt)}，至今未答复，请单位负责人督促办理。`,
              key: `overdue-${notice.responseDueAt.toISOString()}`,
            })),
          );
        }
        return deliveries;
      },
      { audited: false },
    );
  }

  list(
    actor: Actor,
    filter: SupervisionNoticeFilterArgs,
    page: PageArgs,
  ): Promise<Connection<SupervisionNotice>> {
    const qb = this.dataSource
      .getRepository(SupervisionNotice)
      .createQueryBuilder('n')
      .innerJoin(Assignment, 'a', 'a.id = n.assignment_id');
    const visible = this.access.assignmentCondition(actor, tableRef('assignment', 'a'));
    if (visible) qb.andWhere(visible.sql, visible.params);
    if (filter.status) qb.andWhere('n.status = :status', { status: filter.status });
    if (filter.orgUnitId) qb.andWhere('a.org_unit_id = :unitId', { unitId: filter.orgUnitId });
    if (filter.overdueOnly) {
      qb.andWhere('n.status = :open AND n.response_due_at < :now', {
        open: NoticeStatus.OPEN,
        now: this.clock.now(),
      });
    }
    return paginate(qb, page, 'n.opened_at', (n) => n.openedAt, 'DESC');
  }

  async get(actor: Actor, id: string): Promise<SupervisionNotice> {
    const notice = await this.dataSource.getRepository(SupervisionNotice).findOneBy({ id });
    if (!notice) throw notFound('督办单', id);
    if (!(await this.access.canSeeAssignment(actor, notice.assignmentId)))
      throw forbidden('无权查看该督办单');
    return notice;
  }

  /** Notices of each assignment, newest first. */
  byAssignmentLoader(ctx: RequestContext) {
    const repository = this.dataSource.getRepository(SupervisionNotice);
    return rowsByLoader(ctx, 'assignment.supervisionNotices', repository, 'assignmentId', {
      openedAt: 'DESC',
    });
  }

  /** Whether each assignment is under an open notice: all its light needs (a board's page primes it). */
  openNoticeLoader(ctx: RequestContext) {
    return requestLoader<string, boolean>(ctx, 'assignment.openNotice', async (ids) => {
      const rows = await this.dataSource.query<{ id: string }[]>(
        `SELECT a.id FROM unnest($1::uuid[]) AS a(id) WHERE ${OPEN_NOTICE('a')}`,
        [ids],
      );
      const open = new Set(rows.map((r) => r.id));
      return ids.map((id) => open.has(id));
    });
  }

  private async lockForChange(
    manager: EntityManager,
    actor: Actor,
    noticeId: string,
    version: number,
  ): Promise<{ notice: SupervisionNotice; assignment: Assignment }> {
    const notice = await manager.findOne(SupervisionNotice, {
      where: { id: noticeId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!notice) throw notFound('督办单', noticeId);
    if (!(await this.access.canSeeAssignment(actor, notice.assignmentId, manager))) {
      throw forbidden('无权处理其他单位的督办单');
    }
    if (notice.version !== version) {
      throw conflict('督办单已被他人修改，请刷新后重试', { currentVersion: notice.version });
    }
    const assignment = await manager.findOneByOrFail(Assignment, { id: notice.assignmentId });
    return { notice, assignment };
  }

  private takerOf(actor: Actor, assignment: Assignment): NoticeTaker | null {
    return takersFor(actor, assignment.orgUnitId).includes(Taker.UNIT) ? NoticeTaker.UNIT : null;
  }

  private transition(notice: SupervisionNotice, action: NoticeAction, taker: NoticeTaker | null): void {
    const t = NOTICE_TRANSITIONS[action];
    if (taker !== t.taker) throw forbidden(`无权对督办单执行“${t.label}”`);
    if (!t.from.includes(notice.status)) {
      throw conflict(`督办单当前状态为“${NOTICE_STATUS_LABELS[notice.status]}”，不能${t.label}`, {
        currentStatus: notice.status,
      });
    }
    notice.status = t.to;
  }

  private async record(
    manager: EntityManager,
    actor: Actor | null,
    notice: SupervisionNotice,
    assignment: Assignment,
    action: string,
    before: object | null,
    reason?: string,
  ): Promise<void> {
    await this.audit.record(manager, actor, {
      action,
      entityType: 'SupervisionNotice',
      entityId: notice.id,
      taskId: assignment.taskId,
      unitIds: await this.assignments.unitIdsOf(manager, assignment),
      ...(before && { before }),
      after: { code: notice.code, status: notice.status, ...(reason && { reason }) },
    });
    await this.outbox.add(manager, {
      type: DomainEventType.SUPERVISION_NOTICE_CHANGED,
      aggregateType: 'SupervisionNotice',
      aggregateId: notice.id,
      payload: { assignmentId: assignment.id, code: notice.code, status: notice.status },
    });
  }

  private async tell(
    manager: EntityManager,
    notice: SupervisionNotice,
    assignment: Assignment,
    recipients: Recipient[],
    message: { title: string; body: string; key: string },
  ): Promise<PendingDelivery[]> {
    return this.notifications.notify(manager, {
      userIds: await resolveRecipients(manager, assignment.id, recipients),
      unitIds: recipients.includes(Recipient.UNIT_HEAD) ? [assignment.orgUnitId] : [],
      kind: NotificationKind.SUPERVISION_NOTICE,
      title: message.title,
      body: message.body,
      subjectType: 'SupervisionNotice',
      subjectId: notice.id,
      path: `/supervision-notices/${notice.id}`,
      dedupeKey: `notice:${notice.id}:${message.key}`,
    });
  }
}
