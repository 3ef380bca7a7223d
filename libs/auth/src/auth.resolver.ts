import { Inject } from '@nestjs/common';
import { Args, Field, InputType, Mutation, ObjectType, Resolver } from '@nestjs/graphql';
import { IsString, MaxLength } from 'class-validator';
import {
  AllowPendingPasswordChange,
  APP_CONFIG,
  Ctx,
  CurrentActor,
  Public,
  unauthenticated,
  type Actor,
  type AppConfig,
  type RequestContext,
} from '@zhezi/core';
import { User } from '@zhezi/org';
import { AuthService } from './auth.service';
import { PASSWORD_MAX_LENGTH } from './password-policy';
import { clearSessionCookie, requestToken, setSessionCookie } from './session-cookie';

@ObjectType()
export class LoginPayload {
  @Field({
    description:
      '在请求头中以 Authorization: Bearer <token> 携带；浏览器另获同一令牌的 HttpOnly Cookie（zhezi_session）',
  })
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

/** The client's address: the socket's, or what a trusted proxy forwarded (TRUST_PROXY). */
function addressOf(ctx: RequestContext): string {
  const req = ctx.req as { ip?: string; socket?: { remoteAddress?: string } };
  return req.ip ?? req.socket?.remoteAddress ?? 'unknown';
}

@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Mutation(() => LoginPayload, { description: '登录（user.mustChangePassword 为真时须先修改密码）' })
  async login(
    @Args('username') username: string,
    @Args('password') password: string,
    @Ctx() ctx: RequestContext,
  ) {
    const signedIn = await this.auth.login(username, password, addressOf(ctx));
    setSessionCookie(ctx.res, signedIn.token, this.config);
    return signedIn;
  }

  @AllowPendingPasswordChange()
  @Mutation(() => LoginPayload, { description: '修改本人密码；此前签发的令牌全部失效，返回新令牌' })
  async changePassword(
    @CurrentActor() actor: Actor,
    @Args('input') input: ChangePasswordInput,
    @Ctx() ctx: RequestContext,
  ) {
    const signedIn = await this.auth.changePassword(actor, input.oldPassword, input.newPassword);
    setSessionCookie(ctx.res, signedIn.token, this.config);
    return signedIn;
  }

  /**
   * Public: a browser whose session has already expired or been revoked must still be able to drop the cookie.
   * A request that carries no session at all has nothing to drop, and is answered as any other without one.
   */
  @Public()
  @Mutation(() => Boolean, { description: '退出登录：清除本浏览器的登录 Cookie（令牌本身在到期前仍有效）' })
  logout(@Ctx() ctx: RequestContext): boolean {
    if (!requestToken(ctx.req.headers)) throw unauthenticated();
    clearSessionCookie(ctx.res, this.config);
    return true;
  }

  @AllowPendingPasswordChange()
  @Mutation(() => Boolean, { description: '在所有设备上退出：本人的全部令牌（含当前）即时失效' })
  async signOutEverywhere(@CurrentActor() actor: Actor, @Ctx() ctx: RequestContext): Promise<boolean> {
    await this.auth.signOutEverywhere(actor);
    clearSessionCookie(ctx.res, this.config);
    return true;
  }
}
