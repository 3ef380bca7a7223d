import { Args, Int, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import {
  CurrentActor,
  Ctx,
  IdArg,
  PageArgs,
  Role,
  Roles,
  type Actor,
  type RequestContext,
} from '@zhezi/core';
import {
  DeliveryAttempt,
  Notification,
  NotificationChannel,
  NotificationDelivery,
} from './notification.entity';
import { NotificationChannelService } from './notification-channel.service';
import { NotificationService } from './notification.service';
import { NotificationStream } from './notification.stream';
import {
  CreateNotificationChannelInput,
  MarkReadArgs,
  NotificationConnection,
  NotificationDeliveryConnection,
  NotificationFilterArgs,
  UpdateNotificationChannelInput,
} from './notification.types';

@Resolver(() => Notification)
export class NotificationResolver {
  constructor(
    private readonly notifications: NotificationService,
    private readonly stream: NotificationStream,
  ) {}

  @Query(() => NotificationConnection, { description: '我的通知，新的在前' })
  myNotifications(
    @CurrentActor() actor: Actor,
    @Args() filter: NotificationFilterArgs,
    @Args() page: PageArgs,
  ) {
    return this.notifications.list(actor, filter.unreadOnly, page);
  }

  @Query(() => Int, { description: '未读通知数' })
  unreadNotificationCount(@CurrentActor() actor: Actor) {
    return this.notifications.unreadCount(actor);
  }

  @Mutation(() => [Notification], { description: '标记为已读（记录阅读时间）' })
  markNotificationsRead(@CurrentActor() actor: Actor, @Args() args: MarkReadArgs) {
    return this.notifications.markRead(actor, args.ids);
  }

  @Mutation(() => Int, { description: '全部标记为已读，返回标记数' })
  markAllNotificationsRead(@CurrentActor() actor: Actor) {
    return this.notifications.markAllRead(actor);
  }

  @ResolveField(() => [NotificationDelivery], { description: '经邮件、群机器人等渠道的投递' })
  deliveries(@CurrentActor() actor: Actor, @Parent() notification: Notification, @Ctx() ctx: RequestContext) {
    return this.notifications.deliveries(ctx, actor, notification);
  }

  @Subscription(() => Notification, {
    description: '新通知（graphql-ws；连接参数 authorization: "Bearer <token>"）',
    resolve: (payload: Notification) => payload,
  })
  notificationAdded(@CurrentActor() actor: Actor) {
    return this.stream.subscribe(actor.userId);
  }
}

@Resolver(() => NotificationDelivery)
export class NotificationDeliveryResolver {
  constructor(private readonly notifications: NotificationService) {}

  @ResolveField(() => String, { description: '推送的消息标题' })
  title(delivery: NotificationDelivery, _args: unknown, ctx: RequestContext) {
    return this.notifications.titleOf(ctx, delivery.notificationId);
  }

  @ResolveField('attemptLog', () => [DeliveryAttempt], {
    description: '每次投递尝试（时间、是否成功、状态码、错误）',
  })
  attemptLog(delivery: NotificationDelivery, _args: unknown, ctx: RequestContext) {
    return this.notifications.attempts(ctx, delivery.id);
  }
}

@Resolver(() => NotificationChannel)
export class NotificationChannelResolver {
  constructor(private readonly channels: NotificationChannelService) {}

  @Query(() => [NotificationChannel], { description: '单位的推送渠道（群机器人、Webhook）' })
  notificationChannels(@CurrentActor() actor: Actor, @IdArg('orgUnitId') orgUnitId: string) {
    return this.channels.list(actor, orgUnitId);
  }

  @Roles(Role.ADMIN, Role.DEPARTMENT_HEAD, Role.SUBDISTRICT_HEAD)
  @Mutation(() => NotificationChannel, { description: '新增推送渠道（管理员或本单位负责人）' })
  createNotificationChannel(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateNotificationChannelInput,
  ) {
    return this.channels.create(actor, input);
  }

  @Roles(Role.ADMIN, Role.DEPARTMENT_HEAD, Role.SUBDISTRICT_HEAD)
  @Mutation(() => NotificationChannel, { description: '修改或停用推送渠道' })
  updateNotificationChannel(
    @CurrentActor() actor: Actor,
    @Args('input') input: UpdateNotificationChannelInput,
  ) {
    return this.channels.update(actor, input);
  }

  @Roles(Role.ADMIN, Role.DEPARTMENT_HEAD, Role.SUBDISTRICT_HEAD)
  @Mutation(() => NotificationDelivery, {
    description: '向推送渠道发送一条测试消息（立即发送，不重试），返回投递结果（管理员或本单位负责人）',
  })
  sendTestNotification(@CurrentActor() actor: Actor, @IdArg('channelId') channelId: string) {
    return this.channels.sendTest(actor, channelId);
  }

  @Roles(Role.ADMIN, Role.DEPARTMENT_HEAD, Role.SUBDISTRICT_HEAD)
  @Query(() => NotificationDeliveryConnection, {
    description: '推送渠道的投递记录，新的在前（管理员或本单位负责人）',
  })
  notificationChannelDeliveries(
    @CurrentActor() actor: Actor,
    @IdArg('channelId') channelId: string,
    @Args() page: PageArgs,
  ) {
    return this.channels.deliveries(actor, channelId, page);
  }
}
