import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Min,
} from 'class-validator';
import { OrgUnit, OrgUnitKind } from './org-unit.entity';
import { User } from './user.entity';

@InputType()
export class CreateOrgUnitInput {
  @Field({ description: '机构代码（唯一）' })
  @IsString()
  @Matches(/^[0-9A-Za-z-]{1,20}$/, { message: '机构代码只能包含字母、数字和连字符（至多 20 位）' })
  code!: string;

  @Field({ description: '正式名称' })
  @IsString()
  @Length(2, 40)
  name!: string;

  @Field(() => OrgUnitKind)
  @IsEnum(OrgUnitKind)
  kind!: OrgUnitKind;

  @Field(() => ID, { description: '上级机构' })
  @IsUUID()
  parentId!: string;

  @Field(() => [String], { nullable: true, description: '简称' })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(2, 40, { each: true })
  aliases?: string[];
}

/** A unit as read: its id and the version an edit must carry. */
@InputType()
export class OrgUnitVersionInput {
  @Field(() => ID)
  @IsUUID()
  id!: string;

  @Field(() => Int, { description: '读取时的版本号' })
  @IsInt()
  @Min(1)
  version!: number;
}

/** Every field but id and version is optional: what is given changes. */
@InputType()
export class UpdateOrgUnitInput extends OrgUnitVersionInput {
  @Field({ nullable: true, description: '新名称；原名称自动成为曾用名' })
  @IsOptional()
  @IsString()
  @Length(2, 40)
  name?: string;

  @Field(() => OrgUnitKind, { nullable: true })
  @IsOptional()
  @IsEnum(OrgUnitKind)
  kind?: OrgUnitKind;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  parentId?: string;

  @Field(() => [String], { nullable: true, description: '简称与曾用名（整体替换）' })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(2, 40, { each: true })
  aliases?: string[];
}

@InputType()
export class MergeOrgUnitsInput {
  @Field(() => ID, { description: '被合并（撤销）的机构' })
  @IsUUID()
  fromId!: string;

  @Field(() => Int, { description: '被合并机构的版本号' })
  @IsInt()
  @Min(1)
  fromVersion!: number;

  @Field(() => ID, { description: '保留的机构' })
  @IsUUID()
  intoId!: string;

  @Field(() => Int, { description: '保留机构的版本号' })
  @IsInt()
  @Min(1)
  intoVersion!: number;
}

@ObjectType({ description: '机构合并的结果' })
export class OrgUnitMergeResult {
  @Field(() => OrgUnit, { description: '保留的机构' })
  into!: OrgUnit;

  @Field(() => OrgUnit, { description: '已撤销的机构' })
  from!: OrgUnit;

  @Field(() => Int, { description: '移交的在办分工数（含与保留机构同一任务、已合并的）' })
  movedShares!: number;

  @Field(() => Int, { description: '其中与保留机构同一任务而合并为一条的分工数' })
  mergedShares!: number;

  @Field(() => Int, { description: '移交的用户数' })
  movedUsers!: number;
}

@InputType()
export class SetLeaderPortfolioInput {
  @Field(() => ID)
  @IsUUID()
  leaderId!: string;

  @Field(() => [ID], { description: '分管的单位（整体替换；单位原分管领导随之改为此人）' })
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  orgUnitIds!: string[];
}

@ObjectType({ description: '区领导分管的单位' })
export class LeaderPortfolio {
  @Field(() => User)
  leader!: User;

  @Field(() => [OrgUnit])
  orgUnits!: OrgUnit[];
}
