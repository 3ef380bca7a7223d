import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, Clock, type AppConfig } from '@zhezi/core';
import { ChannelKind, type DeliveryResult, type OutgoingMessage } from './channels/channel.types';
import { createMailer, type Mailer } from './channels/email.channel';
import { buildWebhookRequest, postWebhook } from './channels/webhook.channel';
import { DeliveryStatus } from './notification.entity';

export type DeliveryOutcome = 'SENT' | 'RETRY' | 'DEAD' | 'SKIPPED';

interface DeliveryRow {
  id: string;
  status: DeliveryStatus;
  channel_kind: ChannelKind;
  target: string;
  attempts: number;
  secret: string | null;
  title: string;
  body: string;
  link: string | null;
}

/** Sends one external delivery, logs the attempt, and settles its state: sent, retry later, or dead letter. */
@Injectable()
export class DeliveryService implements OnModuleDestroy {
  private mailer: Mailer | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async deliver(deliveryId: string, lastAttempt: boolean): Promise<DeliveryOutcome> {
    const [row] = await this.dataSource.query<DeliveryRow[]>(
      `SELECT d.id, d.status, d.channel_kind, d.target, d.attempts, c.secret, n.title, n.body, n.link
       FROM notification_delivery d JOIN notification n ON n.id = d.notification_id
       LEFT JOIN notification_channel c ON c.id = d.channel_id WHERE d.id = $1`,
      [deliveryId],
    );
    if (!row || row.status !== DeliveryStatus.PENDING) return 'SKIPPED';
    const message: OutgoingMessage = {
      title: row.title,
      text: row.body,
      link: row.link ? `${this.config.publicUrl}${row.link}` : null,
    };
    const attemptedAt = this.clock.now();
    const result = await this.send(row, message, attemptedAt);
    const outcome: DeliveryOutcome = result.ok ? 'SENT' : result.retryable && !lastAttempt ? 'RETRY' : 'DEAD';
    const status = outcome === 'RETRY' ? DeliveryStatus.PENDING : (outcome as DeliveryStatus);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO delivery_attempt (delivery_id, attempted_at, ok, status_code, error, duration_ms)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [row.id, attemptedAt, result.ok, result.statusCode, result.error, Math.round(result.durationMs)],
      );
      await manager.query(
        `UPDATE notification_delivery SET attempts = attempts + 1, status = $2::varchar, last_error = $3,
           sent_at = CASE WHEN $2::varchar = 'SENT' THEN $4::timestamptz ELSE sent_at END
         WHERE id = $1`,
        [row.id, status, result.error, attemptedAt],
      );
    });
    return outcome;
  }

  private send(row: DeliveryRow, message: OutgoingMessage, now: Date): Promise<DeliveryResult> {
    if (row.channel_kind === ChannelKind.EMAIL) {
      if (!this.config.smtp) {
        return Promise.resolve({
          ok: false,
          statusCode: null,
          error: 'SMTP 未配置',
          durationMs: 0,
          retryable: false,
        });
      }
      this.mailer ??= createMailer(this.config.smtp);
      return this.mailer.send(row.target, message);
    }
    const kind = row.channel_kind;
    const request = buildWebhookRequest({ kind, url: row.target, secret: row.secret }, message, now, row.id);
    return postWebhook(request, kind);
  }

  onModuleDestroy(): void {
    this.mailer?.close();
  }
}
