import { Args, Field, InputType, Mutation, ObjectType, Resolver } from '@nestjs/graphql';
import { IsString, MaxLength } from 'class-validator';
import {
  AllowPendingPasswordChange,
  Ctx,
  CurrentActor,
  Public,
  type Actor,
  type RequestContext,
} from '@zhezi/core';
import { User } from '@zhezi/org';
import { AuthService } from './auth.service';
import { PASSWORD_MAX_LENGTH } from './password-policy';

@ObjectType()
export class LoginPayload {
  @Field({ description: '在请求头中以 Authorization: Bearer <token> 携带' })
  token!: string;

  @Field(() => User)
  user!: User;
}

@InputType()
export class ChangePasswordInput {
  @Field({ description: '原密码（临时密码）' })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  oldPassword!: string;

  @Field({ description: '新密码：至少 10 位，不含用户名，不能是常见密码或演示密码' })
  @IsString()
  newPassword!: string;
}

/** The client's address as the socket saw it (the API does not trust forwarding headers). */
function addressOf(ctx: RequestContext): string {
  const req = ctx.req as { ip?: string; socket?: { remoteAddress?: string } };
  return req.ip ?? req.socket?.remoteAddress ?? 'unknown';
}

@Resolver()
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Mutation(() => LoginPayload, { description: '登录（user.mustChangePassword 为真时须先修改密码）' })
  login(@Args('username') username: string, @Args('password') password: string, @Ctx() ctx: RequestContext) {
    return this.auth.login(username, password, addressOf(ctx));
  }

  @AllowPendingPasswordChange()
  @Mutation(() => LoginPayload, { description: '修改本人密码；此前签发的令牌全部失效，返回新令牌' })
  changePassword(@CurrentActor() actor: Actor, @Args('input') input: ChangePasswordInput) {
    return this.auth.changePassword(actor, input.oldPassword, input.newPassword);
  }

  @AllowPendingPasswordChange()
  @Mutation(() => Boolean, { description: '在所有设备上退出：本人的全部令牌（含当前）即时失效' })
  signOutEverywhere(@CurrentActor() actor: Actor): Promise<boolean> {
    return this.auth.signOutEverywhere(actor);
  }
}
