import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { managesChannelsOf, maskTarget, readsChannelsOf } from '@zhezi/access';
import { AuditService } from '@zhezi/audit';
import {
  Clock,
  conflict,
  forbidden,
  notFound,
  paginate,
  transactional,
  type Actor,
  type Connection,
  type PageArgs,
} from '@zhezi/core';
import { DeliveryService } from './delivery.service';
import {
  DeliveryStatus,
  Notification,
  NotificationChannel,
  NotificationDelivery,
  NotificationKind,
} from './notification.entity';
import type { CreateNotificationChannelInput, UpdateNotificationChannelInput } from './notification.types';

/**
 * A unit's robots and webhooks: set up by an admin or the unit's head. Secrets are write-only; addresses are
 * read in full by them alone, masked for the unit's officers and the district-wide readers.
 */
@Injectable()
export class NotificationChannelService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly sender: DeliveryService,
  ) {}

  async list(actor: Actor, orgUnitId: string): Promise<NotificationChannel[]> {
    if (!readsChannelsOf(actor, orgUnitId)) throw forbidden('只能查看本单位的推送渠道');
    const channels = await this.dataSource
      .getRepository(NotificationChannel)
      .find({ where: { orgUnitId }, order: { createdAt: 'ASC' } });
    if (managesChannelsOf(actor, orgUnitId)) return channels;
    return channels.map((c) => ({ ...c, url: maskTarget(c.url) }));
  }

  create(actor: Actor, input: CreateNotificationChannelInput): Promise<NotificationChannel> {
    this.assertManages(actor, input.orgUnitId);
    return transactional(this.dataSource, async (manager) => {
      const channel = await manager.save(
        manager.create(NotificationChannel, { ...input, secret: input.secret ?? null }),
      );
      await this.record(manager, actor, 'notificationChannel.create', channel);
      return channel;
    });
  }

  update(actor: Actor, input: UpdateNotificationChannelInput): Promise<NotificationChannel> {
    return transactional(this.dataSource, async (manager) => {
      const channel = await manager.findOne(NotificationChannel, {
        where: { id: input.id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!channel) throw notFound('推送渠道', input.id);
      this.assertManages(actor, channel.orgUnitId);
      if (channel.version !== input.version) {
        throw conflict('推送渠道已被他人修改，请刷新后重试', { currentVersion: channel.version });
      }
      const { id: _id, version: _version, ...changes } = input;
      Object.assign(channel, changes);
      const saved = await manager.save(channel);
      await this.record(manager, actor, 'notificationChannel.update', saved);
      return saved;
    });
  }

  /**
   * Sends a test message to one channel at once, active or not, and returns its delivery with the attempt:
   * whoever sets up a robot wants to know now whether the address and secret work. No retries; a crash
   * between the commit and the send leaves it pending for the worker's sweep.
   */
  async sendTest(actor: Actor, channelId: string): Promise<NotificationDelivery> {
    const deliveryId = await transactional(this.dataSource, async (manager) => {
      const channel = await manager.findOneBy(NotificationChannel, { id: channelId });
      if (!channel) throw notFound('推送渠道', channelId);
      this.assertManages(actor, channel.orgUnitId);
      const now = this.clock.now();
      const dedupeKey = `channel-test:${channel.id}:${randomUUID()}`;
      // The tester's own record of the message, already read: it needs no bell.
      const notification = await manager.save(
        manager.create(Notification, {
          userId: actor.userId,
          kind: NotificationKind.CHANNEL_TEST,
          title: `测试消息：${channel.name}`,
          body: '这是折子工程发出的测试消息。收到即说明推送渠道设置正确。',
          subjectType: 'NotificationChannel',
          subjectId: channel.id,
          link: '/',
          dedupeKey,
          createdAt: now,
          readAt: now,
        }),
      );
      const delivery = await manager.save(
        manager.create(NotificationDelivery, {
          notificationId: notification.id,
          dedupeKey,
          channelKind: channel.kind,
          channelId: channel.id,
          target: channel.url,
          status: DeliveryStatus.PENDING,
          createdAt: now,
        }),
      );
      await this.audit.record(manager, actor, {
        action: 'notificationChannel.test',
        entityType: 'NotificationChannel',
        entityId: channel.id,
        unitIds: [channel.orgUnitId],
        after: { deliveryId: delivery.id, target: maskTarget(channel.url) },
      });
      return delivery.id;
    });
    await this.sender.deliver(deliveryId, true);
    return this.dataSource.getRepository(NotificationDelivery).findOneByOrFail({ id: deliveryId });
  }

  /** The channel's delivery log, newest first: for those who manage it (they read its address anyway). */
  async deliveries(
    actor: Actor,
    channelId: string,
    page: PageArgs,
  ): Promise<Connection<NotificationDelivery>> {
    const channel = await this.dataSource.getRepository(NotificationChannel).findOneBy({ id: channelId });
    if (!channel) throw notFound('推送渠道', channelId);
    this.assertManages(actor, channel.orgUnitId);
    const qb = this.dataSource
      .getRepository(NotificationDelivery)
      .createQueryBuilder('d')
      .where('d.channel_id = :channelId', { channelId });
    return paginate(qb, page, 'd.created_at', (d) => d.createdAt, 'DESC');
  }

  private assertManages(actor: Actor, orgUnitId: string): void {
    if (!managesChannelsOf(actor, orgUnitId)) throw forbidden('只有管理员或本单位负责人可以设置推送渠道');
  }

  private record(manager: EntityManager, actor: Actor, action: string, channel: NotificationChannel) {
    // The unit's officers read its audit trail: the address is kept as its host and a fingerprint.
    const { secret, url, ...shown } = channel;
    return this.audit.record(manager, actor, {
      action,
      entityType: 'NotificationChannel',
      entityId: channel.id,
      unitIds: [channel.orgUnitId],
      after: {
        ...shown,
        url: maskTarget(url),
        urlSha256: createHash('sha256').update(url).digest('hex').slice(0, 16),
        secretSet: Boolean(secret),
      },
    });
  }
}
