import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { managesChannelsOf, maskTarget } from '@zhezi/access';
import { AuditService } from '@zhezi/audit';
import {
  conflict,
  DEPARTMENT_ROLES,
  forbidden,
  notFound,
  readsEverything,
  SUBDISTRICT_ROLES,
  transactional,
  type Actor,
} from '@zhezi/core';
import { NotificationChannel } from './notification.entity';
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
  ) {}

  async list(actor: Actor, orgUnitId: string): Promise<NotificationChannel[]> {
    const ownUnit =
      [...DEPARTMENT_ROLES, ...SUBDISTRICT_ROLES].includes(actor.role) && actor.orgUnitId === orgUnitId;
    if (!readsEverything(actor) && !ownUnit) throw forbidden('只能查看本单位的推送渠道');
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
