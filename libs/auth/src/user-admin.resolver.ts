import { Args, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentActor, IdArg, Role, Roles, type Actor, type RequestContext } from '@zhezi/core';
import { User } from '@zhezi/org';
import { UserAdminService } from './user-admin.service';
import {
  CreateUserInput,
  UpdateUserInput,
  UserConnection,
  UserPasswordPayload,
  UsersArgs,
} from './user-admin.types';

const MANAGERS = [Role.ADMIN, Role.DEPARTMENT_HEAD, Role.SUBDISTRICT_HEAD] as const;

@Resolver(() => User)
export class UserAdminResolver {
  constructor(private readonly admin: UserAdminService) {}

  @Roles(...MANAGERS)
  @Query(() => UserConnection, { description: '用户列表（管理员全部；单位负责人本单位），按创建先后' })
  users(@CurrentActor() actor: Actor, @Args() args: UsersArgs) {
    return this.admin.list(actor, args);
  }

  @Roles(...MANAGERS)
  @Mutation(() => UserPasswordPayload, {
    description: '新建用户（单位负责人只能建本单位经办人）；首次登录须改密码',
  })
  createUser(@CurrentActor() actor: Actor, @Args('input') input: CreateUserInput) {
    return this.admin.create(actor, input);
  }

  @Roles(...MANAGERS)
  @Mutation(() => User, { description: '修改用户资料；角色与所属单位仅管理员可改' })
  updateUser(@CurrentActor() actor: Actor, @Args('input') input: UpdateUserInput) {
    return this.admin.update(actor, input);
  }

  @Roles(...MANAGERS)
  @Mutation(() => User, { description: '停用用户：不能再登录，已签发的令牌即时失效' })
  disableUser(@CurrentActor() actor: Actor, @IdArg('id') id: string) {
    return this.admin.setActive(actor, id, false);
  }

  @Roles(...MANAGERS)
  @Mutation(() => User, { description: '重新启用用户' })
  enableUser(@CurrentActor() actor: Actor, @IdArg('id') id: string) {
    return this.admin.setActive(actor, id, true);
  }

  @Roles(...MANAGERS)
  @Mutation(() => UserPasswordPayload, {
    description: '重置密码：设定或生成临时密码，用户下次登录须修改；已签发的令牌即时失效',
  })
  resetUserPassword(
    @CurrentActor() actor: Actor,
    @IdArg('id') id: string,
    @Args('password', { type: () => String, nullable: true, description: '缺省时生成' }) password?: string,
  ) {
    return this.admin.resetPassword(actor, id, password ?? null);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => User, { description: '解除因连续登录失败而锁定的账号（管理员）' })
  unlockUser(@CurrentActor() actor: Actor, @IdArg('id') id: string) {
    return this.admin.unlock(actor, id);
  }

  @ResolveField(() => String, { nullable: true, description: '手机号（本人、管理员、本单位负责人可见）' })
  phone(user: User, _args: unknown, ctx: RequestContext): string | null {
    return ctx.actor && this.admin.seesContactOf(ctx.actor, user) ? user.phone : null;
  }

  @ResolveField(() => String, { nullable: true, description: '电子邮箱（本人、管理员、本单位负责人可见）' })
  email(user: User, _args: unknown, ctx: RequestContext): string | null {
    return ctx.actor && this.admin.seesContactOf(ctx.actor, user) ? user.email : null;
  }
}
