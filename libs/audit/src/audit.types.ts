import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: '操作日志哈希链的校验结果' })
export class AuditChainReport {
  @Field({ description: '所校验的记录均未被篡改、删除或插入' })
  ok!: boolean;

  @Field(() => Int, { description: '已校验的记录数（含出错的一条）' })
  checked!: number;

  @Field(() => ID, { nullable: true, description: '第一条链接断开的记录' })
  firstBrokenId!: string | null;

  @Field(() => String, { nullable: true, description: '断开的原因' })
  reason!: string | null;

  @Field(() => ID, {
    nullable: true,
    description: '最后一条校验通过的记录；可作下次校验的起点（fromId 取其后）',
  })
  lastCheckedId!: string | null;

  @Field(() => String, {
    nullable: true,
    description: '最后一条校验通过的记录的哈希；另行留存，可发现对其后整段记录的改写',
  })
  lastHash!: string | null;
}
