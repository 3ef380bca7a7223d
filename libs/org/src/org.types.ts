import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsOptional, IsUUID } from 'class-validator';
import { OrgUnitKind } from './org-unit.entity';

@ArgsType()
export class OrgUnitsArgs {
  @Field(() => OrgUnitKind, { nullable: true })
  @IsOptional()
  @IsEnum(OrgUnitKind)
  kind?: OrgUnitKind;

  @Field(() => ID, { nullable: true, description: '只列出该机构的下级' })
  @IsOptional()
  @IsUUID()
  parentId?: string;

  @Field({ nullable: true, description: '包括已停用、已合并的机构' })
  @IsOptional()
  @IsBoolean()
  includeInactive?: boolean;
}
