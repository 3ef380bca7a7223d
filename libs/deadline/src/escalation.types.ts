import { Field, Int, ObjectType } from '@nestjs/graphql';
import { EscalationAction } from './escalation-policy.entity';

@ObjectType('NextEscalation', { description: '下一步督办' })
export class NextEscalation {
  @Field(() => Int)
  level!: number;

  @Field(() => Int, { description: '第几次（重复催办时大于 0）' })
  occurrence!: number;

  @Field(() => EscalationAction)
  action!: EscalationAction;

  @Field({ description: '计划时间' })
  at!: Date;

  @Field(() => Int, { description: '距今的工作日数（今天为 0）' })
  workdaysFromNow!: number;

  @Field({ description: '如“下一步：3个工作日后催办”' })
  label!: string;

  @Field({ description: '计划时间所在日期的节假日安排是否为暂定' })
  provisional!: boolean;
}
