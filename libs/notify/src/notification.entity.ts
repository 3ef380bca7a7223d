import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import { ChannelKind } from './channels/channel.types';

export enum NotificationKind {
  ASSIGNED = 'ASSIGNED',
  ESCALATION = 'ESCALATION',
  SUPERVISION_NOTICE = 'SUPERVISION_NOTICE',
  REPORT_CHASE = 'REPORT_CHASE',
  DIGEST = 'DIGEST',
  APPROVAL = 'APPROVAL',
  CHANNEL_TEST = 'CHANNEL_TEST',
}

registerEnumType(NotificationKind, {
  name: 'NotificationKind',
  valuesMap: {
    ASSIGNED: { description: '新交办' },
    ESCALATION: { description: '提醒、催办、督办、通报、约谈' },
    SUPERVISION_NOTICE: { description: '督办单' },
    REPORT_CHASE: { description: '催报' },
    DIGEST: { description: '每日汇总' },
    APPROVAL: { description: '审批：待我审批，或我的申请已通过、被退回' },
    CHANNEL_TEST: { description: '推送渠道的测试消息' },
  },
});

registerEnumType(ChannelKind, {
  name: 'ChannelKind',
  valuesMap: {
    EMAIL: { description: '电子邮件' },
    WEBHOOK: { description: 'Webhook（HMAC-SHA256 签名）' },
    DINGTALK: { description: '钉钉群机器人' },
    WECOM: { description: '企业微信群机器人' },
    FEISHU: { description: '飞书群机器人' },
  },
});

@ObjectType('Notification', { description: '站内通知' })
@Entity('notification')
export class Notification {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  userId!: string;

  @Field(() => NotificationKind)
  @Column({ type: 'varchar' })
  kind!: NotificationKind;

  @Field()
  @Column()
  title!: string;

  @Field()
  @Column('text')
  body!: string;

  @Field(() => String, { nullable: true, description: '关联对象类型，如 Assignment、SupervisionNotice' })
  @Column('varchar', { nullable: true })
  subjectType!: string | null;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  subjectId!: string | null;

  @Field(() => String, { nullable: true, description: '前端链接' })
  @Column('varchar', { nullable: true })
  link!: string | null;

  @Column()
  dedupeKey!: string;

  @Field()
  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: '阅读时间（回执）' })
  @Column({ type: 'timestamptz', nullable: true })
  readAt!: Date | null;
}

@ObjectType('NotificationChannel', { description: '单位的消息推送渠道（群机器人或 Webhook）' })
@Entity('notification_channel')
export class NotificationChannel {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID)
  @Column('uuid')
  orgUnitId!: string;

  @Field(() => ChannelKind)
  @Column({ type: 'varchar' })
  kind!: ChannelKind;

  @Field()
  @Column()
  name!: string;

  @Field({ description: '推送地址；完整地址只有管理员和本单位负责人可见，其他人只见协议和域名' })
  @Column()
  url!: string;

  /** Never shown: the signing key. */
  @Column('varchar', { nullable: true })
  secret!: string | null;

  @Field()
  @Column({ default: true })
  active!: boolean;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Field(() => Int)
  @VersionColumn()
  version!: number;
}

export enum DeliveryStatus {
  PENDING = 'PENDING',
  SENT = 'SENT',
  DEAD = 'DEAD',
}

registerEnumType(DeliveryStatus, {
  name: 'DeliveryStatus',
  valuesMap: {
    PENDING: { description: '待发送或重试中' },
    SENT: { description: '已送达' },
    DEAD: { description: '多次失败或不可重试，已停止（死信）' },
  },
});

@ObjectType('NotificationDelivery', { description: '通知经外部渠道的投递' })
@Entity('notification_delivery')
export class NotificationDelivery {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID)
  @Column('uuid')
  notificationId!: string;

  @Column()
  dedupeKey!: string;

  @Field(() => ChannelKind)
  @Column({ type: 'varchar' })
  channelKind!: ChannelKind;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  channelId!: string | null;

  @Field({
    description: '收件地址或推送地址（群机器人、Webhook 的地址只有管理员和该单位负责人可见完整地址）',
  })
  @Column()
  target!: string;

  @Field(() => DeliveryStatus)
  @Column({ type: 'varchar' })
  status!: DeliveryStatus;

  @Field(() => Int)
  @Column('int', { default: 0 })
  attempts!: number;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  lastError!: string | null;

  @Field()
  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;
}

@ObjectType('DeliveryAttempt', { description: '一次投递尝试' })
@Entity('delivery_attempt')
export class DeliveryAttempt {
  @Field(() => ID)
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column('uuid')
  deliveryId!: string;

  @Field()
  @Column({ type: 'timestamptz' })
  attemptedAt!: Date;

  @Field()
  @Column()
  ok!: boolean;

  @Field(() => Int, { nullable: true })
  @Column('int', { nullable: true })
  statusCode!: number | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  error!: string | null;

  @Field(() => Int)
  @Column('int')
  durationMs!: number;
}
