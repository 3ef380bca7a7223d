import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  APP_CONFIG,
  Clock,
  isAssigner,
  notFound,
  forbidden,
  paginate,
  transactional,
  type Actor,
  type AppConfig,
  type Connection,
  type PageArgs,
} from '@zhezi/core';
import { AuditService } from '@zhezi/audit';
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
  ) {}

  /**
   * Writes the notifications and their pending external deliveries in the caller's transaction. Returns
   * the ids of new deliveries, for the caller to enqueue after commit (a sweep picks up any it misses).
   */
  async notify(manager: EntityManager, n: NewNotification): Promise<PendingDelivery[]> {
    const userIds = [...new Set(n.userIds)];
    if (!userIds.length && !n.unitIds?.length) return [];
    const now = this.clock.now();
    const rows = userIds.length
      ? await manager.query<{ id: string; user_id: string }[]>(
          `INSERT INTO notification (user_id, kind, title, body, subject_type, subject_id, link, dedupe_key, created_at)
           SELECT u, $2, $3, $4, $5, $6, $7, $8, $9 FROM unnest($1::uuid[]) AS u
           ON CONFLICT (user_id, dedupe_key) DO NOTHING
           RETURNING id, user_id`,
          [userIds, n.kind, n.title, n.body, n.subjectType, n.subjectId, n.path, n.dedupeKey, now],
        )
      : [];
    if (!rows.length) return [];
    await manager.query(`SELECT pg_notify($1, n) FROM unnest($2::text[]) AS n`, [
      NOTIFICATION_CHANNEL,
      rows.map((r) => `${r.user_id}:${r.id}`),
    ]);
    const deliveries: {
      notificationId: string;
      kind: ChannelKind;
      channelId: string | null;
      target: string;
    }[] = [];
    if (this.config.smtp) {
      const emails = await manager.query<{ id: string; email: string }[]>(
        `SELECT id, email FROM app_user WHERE id = ANY($1) AND email IS NOT NULL AND active`,
        [rows.map((r) => r.user_id)],
      );
      for (const { id, email } of emails) {
        const notificationId = rows.find((r) => r.user_id === id)!.id;
        deliveries.push({ notificationId, kind: ChannelKind.EMAIL, channelId: null, target: email });
      }
    }
    if (n.unitIds?.length) {
      const channels = await manager
        .createQueryBuilder(NotificationChannel, 'c')
        .where('c.org_unit_id = ANY(:ids) AND c.active', { ids: n.unitIds })
        .getMany();
      for (const c of channels) {
        deliveries.push({ notificationId: rows[0].id, kind: c.kind, channelId: c.id, target: c.url });
      }
    }
    if (!deliveries.length) return [];
    const inserted = await manager.query<{ id: string; channel_kind: ChannelKind }[]>(
      `INSERT INTO notification_delivery (notification_id, dedupe_key, channel_kind, channel_id, target, status, created_at)
       SELECT d.notification_id, $2, d.kind, d.channel_id, d.target, 'PENDING', $3
       FROM jsonb_to_recordset($1::jsonb) AS d(notification_id uuid, kind varchar, channel_id uuid, target varchar)
       ON CONFLICT (dedupe_key, channel_kind, target) DO NOTHING
       RETURNING id, channel_kind`,
      [
        JSON.stringify(
          deliveries.map((d) => ({
            notification_id: d.notificationId,
            kind: d.kind,
            channel_id: d.channelId,
            target: d.target,
          })),
        ),
        n.dedupeKey,
        now,
      ],
    );
    return inserted.map((r) => ({ id: r.id, channelKind: r.channel_kind }));
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

  /** Deliveries of a notification the actor received, or of any notification for an admin. */
  async deliveries(actor: Actor, notificationId: string): Promise<NotificationDelivery[]> {
    const n = await this.dataSource.getRepository(Notification).findOneBy({ id: notificationId });
    if (!n) throw notFound('通知', notificationId);
    if (n.userId !== actor.userId && !isAssigner(actor)) throw forbidden('无权查看他人的通知');
    return this.dataSource.getRepository(NotificationDelivery).find({
      where: { notificationId },
      order: { createdAt: 'ASC' },
    });
  }

  attempts(deliveryId: string): Promise<DeliveryAttempt[]> {
    return this.dataSource
      .getRepository(DeliveryAttempt)
      .find({ where: { deliveryId }, order: { id: 'ASC' } });
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
