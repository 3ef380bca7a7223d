import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsEnum,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Min,
  IsInt,
} from 'class-validator';
import { ConnectionType } from '@zhezi/core';
import { ChannelKind } from './channels/channel.types';
import { Notification, NotificationDelivery } from './notification.entity';

export const NotificationConnection = ConnectionType(Notification, 'Notification');
export const NotificationDeliveryConnection = ConnectionType(NotificationDelivery, 'NotificationDelivery');

const ROBOT_KINDS = [ChannelKind.WEBHOOK, ChannelKind.DINGTALK, ChannelKind.WECOM, ChannelKind.FEISHU];

@ArgsType()
export class NotificationFilterArgs {
  @Field({ defaultValue: false, description: '只看未读' })
  @IsBoolean()
  unreadOnly!: boolean;
}

@ArgsType()
export class MarkReadArgs {
  @Field(() => [ID])
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  ids!: string[];
}

@InputType()
export class CreateNotificationChannelInput {
  @Field(() => ID)
  @IsUUID()
  orgUnitId!: string;

  @Field(() => ChannelKind, { description: 'WEBHOOK、DINGTALK、WECOM 或 FEISHU' })
  @IsEnum(ChannelKind)
  @IsIn(ROBOT_KINDS, { message: '单位渠道只能是 Webhook 或群机器人' })
  kind!: ChannelKind;

  @Field()
  @IsString()
  @Length(1, 100)
  name!: string;

  @Field({ description: '推送地址（群机器人的 Webhook 地址）' })
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    { message: '推送地址须为 http(s) 地址' },
  )
  url!: string;

  @Field(() => String, { nullable: true, description: '签名密钥（钉钉、飞书“加签”，Webhook 的 HMAC 密钥）' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  secret?: string | null;
}

@InputType()
export class UpdateNotificationChannelInput {
  @Field(() => ID)
  @IsUUID()
  id!: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  version!: number;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  name?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    { message: '推送地址须为 http(s) 地址' },
  )
  url?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  secret?: string | null;

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
