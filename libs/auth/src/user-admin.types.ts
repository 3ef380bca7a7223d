import { ArgsType, Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsEnum,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { ConnectionType, PageArgs, Role } from '@zhezi/core';
import { User } from '@zhezi/org';
import { PASSWORD_MAX_LENGTH } from './password-policy';

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/;
const PHONE = /^\+?[0-9][0-9 -]{4,19}$/;

@InputType()
export class CreateUserInput {
  @Field({ description: '登录名：3–64 位字母、数字、点、下划线或连字符' })
  @Matches(USERNAME, { message: '用户名须为 3–64 位字母、数字、点、下划线或连字符' })
  username!: string;

  @Field({ description: '姓名' })
  @IsString()
  @MaxLength(64)
  @Matches(/\S/, { message: '姓名不能为空' })
  displayName!: string;

  @Field(() => Role)
  @IsEnum(Role)
  role!: Role;

  @Field(() => ID)
  @IsUUID()
  orgUnitId!: string;

  @Field(() => String, { nullable: true, description: '职务，如“区长”“常务副区长”“副区长”' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  title?: string | null;

  @Field(() => String, { nullable: true, description: '手机号（通知用）' })
  @IsOptional()
  @Matches(PHONE, { message: '手机号格式不正确' })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: '电子邮箱（通知用）' })
  @IsOptional()
  @IsEmail({}, { message: '邮箱格式不正确' })
  email?: string | null;

  @Field(() => String, { nullable: true, description: '初始密码；缺省时生成临时密码。首次登录须修改' })
  @IsOptional()
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password?: string | null;
}

@InputType()
export class UpdateUserInput {
  @Field(() => ID)
  @IsUUID()
  id!: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(/\S/, { message: '姓名不能为空' })
  displayName?: string;

  @Field(() => Role, { nullable: true, description: '仅管理员可改' })
  @IsOptional()
  @IsEnum(Role)
  role?: Role;

  @Field(() => ID, { nullable: true, description: '调往其他单位（仅管理员）' })
  @IsOptional()
  @IsUUID()
  orgUnitId?: string;

  @Field(() => String, { nullable: true, description: '传 null 清除' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  title?: string | null;

  @Field(() => String, { nullable: true, description: '传 null 清除' })
  @IsOptional()
  @Matches(PHONE, { message: '手机号格式不正确' })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: '传 null 清除' })
  @IsOptional()
  @IsEmail({}, { message: '邮箱格式不正确' })
  email?: string | null;
}

@InputType()
export class UserFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  orgUnitId?: string;

  @Field(() => Role, { nullable: true })
  @IsOptional()
  @IsEnum(Role)
  role?: Role;

  @Field({ nullable: true, description: 'true 只列停用的，false 只列在用的' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;

  @Field({ nullable: true, description: '按用户名或姓名查找（任意子串）' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  search?: string;
}

@ArgsType()
export class UsersArgs extends PageArgs {
  @Field(() => UserFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => UserFilter)
  filter?: UserFilter;
}

export const UserConnection = ConnectionType(User, 'User');

@ObjectType()
export class UserPasswordPayload {
  @Field(() => User)
  user!: User;

  @Field(() => String, {
    nullable: true,
    description: '生成的临时密码（仅此一次显示，请当面或另行告知本人）；指定了密码时为空',
  })
  temporaryPassword!: string | null;
}
