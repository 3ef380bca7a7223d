import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A channel's delivery log (newest first, keyset-paged) reads by channel, not the whole delivery table. */
export class ChannelDeliveryLog1766500000000 implements MigrationInterface {
  name = 'ChannelDeliveryLog1766500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE INDEX notification_delivery_channel_idx
        ON notification_delivery (channel_id, created_at DESC, id DESC) WHERE channel_id IS NOT NULL;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX notification_delivery_channel_idx;`);
  }
}
