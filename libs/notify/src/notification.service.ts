import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import {
  APP_CONFIG,
  Clock,
  notFound,
  forbidden,
  paginate,
  groupByKey,
  requestLoader,
  rowByIdLoader,
  rowsByLoader,
  transactional,
  type Actor,
  type AppConfig,
  type Connection,
  type PageArgs,
  type RequestContext,
} from '@zhezi/core';
import { managesChannelsOf, maskTarget, readsNotificationsOf } from '@zhezi/access';
import { AuditService } from '@zhezi/audit';
import { DomainEventType, OutboxService } from '@zhezi/outbox';
import { ChannelKind } from './channels/channel.types';
import {
  DeliveryAttempt,
  DeliveryStatus,
  Notification,
  NotificationChannel,
  NotificationDelivery,
  type NotificationKind,
} from './notification.entity';

/** One fact to tell some people (and their units' group robots). */
export interface NewNotification {
  userIds: readonly string[];
  /** Units whose configured robots/webhooks also get it, once each. */
  unitIds?: readonly string[];
  kind: NotificationKind;
  title: string;
  body: string;
  subjectType: string | null;
  subjectId: string | null;
  /** Path in the web app, e.g. /assignments/<id>; made absolute with PUBLIC_URL for external channels. */
  path: string | null;
  /** The same key never notifies a person twice. */
  dedupeKey: string;
}

/** A delivery written with a notification, for the caller to enqueue on its channel's queue after commit. */
export interface PendingDelivery {
  id: string;
  channelKind: ChannelKind;
}

/** PostgreSQL delivers NOTIFY only on commit: live pushes can never announce a rolled-back notification. */
export const NOTIFICATION_CHANNEL = 'zhezi_notification';

@Injectable()
export class NotificationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * Writes the notifications and their pending external deliveries in the caller's transaction, with a
   * DeliveriesCreated event: the worker queues them when the relay hands it on (within a second or two of
   * the commit), wherever the notification was raised. Returns the new deliveries too, for a caller in the
   * worker to enqueue at once (the job ids absorb the second add; a sweep picks up any that both miss).
   */
  notify(manager: EntityManager, n: NewNotification): Promise<PendingDelivery[]> {
    return this.notifyMany(manager, [n]);
  }

  /** Many facts at once, in a fixed number of statements: what a burst of escalations needs. */
  async notifyMany(manager: EntityManager, facts: readonly NewNotification[]): Promise<PendingDelivery[]> {
    const wanted = facts.flatMap((n) =>
      [...new Set(n.userIds)].map((userId) => ({
        user_id: userId,
        kind: n.kind,
        title: n.title,
        body: n.body,
        subject_type: n.subjectType,
        subject_id: n.subjectId,
        link: n.path,
        dedupe_key: n.dedupeKey,
      })),
    );
    if (!wanted.length) return [];
    const now = this.clock.now();
    const rows = await manager.query<{ id: string; user_id: string; dedupe_key: string }[]>(
      `INSERT INTO notification (user_id, kind, title, body, subject_type, subject_id, link, dedupe_key, created_at)
       SELECT d.user_id, d.kind, d.title, d.body, d.subject_type, d.subject_id, d.link, d.dedupe_key, $2
       FROM jsonb_to_recordset($1::jsonb) AS d(user_id uuid, kind varchar, title varchar, body text,
         subject_type varchar, subject_id uuid, link varchar, dedupe_key varchar)
       ON CONFLICT (user_id, dedupe_key) DO NOTHING
       RETURNING id, user_id, dedupe_key`,
      [JSON.stringify(wanted), now],
    );
    if (!rows.length) return [];
    await manager.query(`SELECT pg_notify($1, n) FROM unnest($2::text[]) AS n`, [
      NOTIFICATION_CHANNEL,
      rows.map((r) => `${r.user_id}:${r.id}`),
    ]);
    const deliveries: {
      notification_id: string;
      dedupe_key: string;
      kind: ChannelKind;
      channel_id: string | null;
      target: string;
    }[] = [];
    if (this.config.smtp) {
      const emails = await manager.query<{ id: string; email: string }[]>(
        `SELECT id, email FROM app_user WHERE id = ANY($1) AND email IS NOT NULL AND active`,
        [[...new Set(rows.map((r) => r.user_id))]],
      );
      const emailOf = new Map(emails.map((e) => [e.id, e.email]));
      for (const row of rows) {
        const email = emailOf.get(row.user_id);
        if (!email) continue;
        deliveries.push({
          notification_id: row.id,
          dedupe_key: row.dedupe_key,
          kind: ChannelKind.EMAIL,
          channel_id: null,
          target: email,
        });
      }
    }
    const unitIds = [...new Set(facts.flatMap((n) => n.unitIds ?? []))];
    if (unitIds.length) {
      const channels = await manager
        .createQueryBuilder(NotificationChannel, 'c')
        .where('c.org_unit_id = ANY(:ids) AND c.active', { ids: unitIds })
        .getMany();
      // A unit's robots hear a fact once, carried by the first notification written for it.
      const firstOf = new Map<string, string>();
      for (const row of rows) if (!firstOf.has(row.dedupe_key)) firstOf.set(row.dedupe_key, row.id);
      for (const n of facts) {
        const notificationId = firstOf.get(n.dedupeKey);
        if (!notificationId) continue;
        for (const c of channels.filter((c) => n.unitIds?.includes(c.orgUnitId))) {
          deliveries.push({
            notification_id: notificationId,
            dedupe_key: n.dedupeKey,
            kind: c.kind,
            channel_id: c.id,
            target: c.url,
          });
        }
      }
    }
    if (!deliveries.length) return [];
    const inserted = await manager.query<
      { id: string; channel_kind: ChannelKind; notification_id: string }[]
    >(
      `INSERT INTO notification_delivery (notification_id, dedupe_key, channel_kind, channel_id, target, status, created_at)
       SELECT d.notification_id, d.dedupe_key, d.kind, d.channel_id, d.target, 'PENDING', $2
       FROM jsonb_to_recordset($1::jsonb)
         AS d(notification_id uuid, dedupe_key varchar, kind varchar, channel_id uuid, target varchar)
       ON CONFLICT (dedupe_key, channel_kind, target) DO NOTHING
       RETURNING id, channel_kind, notification_id`,
      [JSON.stringify(deliveries), now],
    );
    if (!inserted.length) return [];
    const pending = inserted.map((r): PendingDelivery => ({ id: r.id, channelKind: r.channel_kind }));
    await this.outbox.add(manager, {
      type: DomainEventType.DELIVERIES_CREATED,
      aggregateType: 'Notification',
      aggregateId: inserted[0].notification_id,
      payload: { deliveries: pending },
    });
    return pending;
  }

  list(actor: Actor, unreadOnly: boolean, page: PageArgs): Promise<Connection<Notification>> {
    const qb = this.dataSource
      .getRepository(Notification)
      .createQueryBuilder('n')
      .where('n.user_id = :userId', { userId: actor.userId });
    if (unreadOnly) qb.andWhere('n.read_at IS NULL');
    return paginate(qb, page, 'n.created_at', (n) => n.createdAt, 'DESC');
  }

  async unreadCount(actor: Actor): Promise<number> {
    const [{ count }] = await this.dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM notification WHERE user_id = $1 AND read_at IS NULL`,
      [actor.userId],
    );
    return count;
  }

  /** Marks the actor's own notifications read (the read receipt the inspectorate chases by); others' are NOT_FOUND. */
  markRead(actor: Actor, ids: string[]): Promise<Notification[]> {
    return transactional(this.dataSource, async (manager) => {
      const found = await manager
        .createQueryBuilder(Notification, 'n')
        .where('n.id = ANY(:ids) AND n.user_id = :userId', { ids, userId: actor.userId })
        .getMany();
      const missing = ids.find((id) => !found.some((n) => n.id === id));
      if (missing) throw notFound('通知', missing);
      const now = this.clock.now();
      const unread = found.filter((n) => !n.readAt);
      if (unread.length) {
        await manager
          .createQueryBuilder()
          .update(Notification)
          .set({ readAt: now })
          .whereInIds(unread.map((n) => n.id))
          .execute();
        unread.forEach((n) => (n.readAt = now));
        await this.audit.record(manager, actor, {
          action: 'notification.read',
          entityType: 'Notification',
          entityId: unread[0].id,
          after: { ids: unread.map((n) => n.id) },
        });
      }
      return found;
    });
  }

  async markAllRead(actor: Actor): Promise<number> {
    return transactional(this.dataSource, async (manager) => {
      const result = await manager.query<[{ id: string }[], number]>(
        `UPDATE notification SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL RETURNING id`,
        [actor.userId, this.clock.now()],
      );
      const count = result[1];
      if (count) {
        await this.audit.record(manager, actor, {
          action: 'notification.read_all',
          entityType: 'User',
          entityId: actor.userId,
          after: { count },
        });
      }
      return count;
    });
  }

  /**
   * Deliveries of a notification the actor received, or of any notification for an admin; one query per request
   * level for a page of notifications. A robot's or webhook's address is shown in full only to those who manage
   * the unit's channels.
   */
  async deliveries(
    ctx: RequestContext,
    actor: Actor,
    notification: Notification,
  ): Promise<NotificationDelivery[]> {
    if (!readsNotificationsOf(actor, notification.userId)) throw forbidden('无权查看他人的通知');
    const loader = requestLoader<string, NotificationDelivery[]>(
      ctx,
      'deliveriesByNotification',
      async (ids) => {
        const deliveries = await this.dataSource.getRepository(NotificationDelivery).find({
          where: { notificationId: In([...ids]) },
          order: { createdAt: 'ASC' },
        });
        const channelIds = [...new Set(deliveries.flatMap((d) => (d.channelId ? [d.channelId] : [])))];
        const channels = channelIds.length
          ? await this.dataSource.getRepository(NotificationChannel).findBy({ id: In(channelIds) })
          : [];
        const unitOf = new Map(channels.map((c) => [c.id, c.orgUnitId]));
        const shown = deliveries.map((d) =>
          d.channelId && !managesChannelsOf(actor, unitOf.get(d.channelId))
            ? { ...d, target: maskTarget(d.target) }
            : d,
        );
        return groupByKey(ids, shown, (d) => d.notificationId);
      },
    );
    return loader.load(notification.id);
  }

  /** A delivery's message title, one query per request level (a delivery log is a page of them). */
  async titleOf(ctx: RequestContext, notificationId: string): Promise<string> {
    const loader = rowByIdLoader(ctx, 'notificationById', this.dataSource.getRepository(Notification));
    return (await loader.load(notificationId))?.title ?? '';
  }

  /** A delivery's attempts, one query per request level (a delivery log is a page of them). */
  attempts(ctx: RequestContext, deliveryId: string): Promise<DeliveryAttempt[]> {
    const repository = this.dataSource.getRepository(DeliveryAttempt);
    return rowsByLoader(ctx, 'attemptsByDelivery', repository, 'deliveryId', { id: 'ASC' }).load(deliveryId);
  }

  /** Deliveries that no job carries yet: new ones, and any a crashed worker dropped. */
  async pendingDeliveries(olderThan: Date, limit: number): Promise<PendingDelivery[]> {
    const rows = await this.dataSource.query<{ id: string; channel_kind: ChannelKind }[]>(
      `SELECT id, channel_kind FROM notification_delivery
       WHERE status = '${DeliveryStatus.PENDING}' AND created_at <= $1 ORDER BY created_at LIMIT $2`,
      [olderThan, limit],
    );
    return rows.map((r) => ({ id: r.id, channelKind: r.channel_kind }));
  }
}
