import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';

export enum PlanKind {
  OUTLINE = 'OUTLINE',
  TASK_LIST = 'TASK_LIST',
}

registerEnumType(PlanKind, {
  name: 'PlanKind',
  valuesMap: {
    OUTLINE: { description: '规划纲要' },
    TASK_LIST: { description: '折子工程 / 重点工作任务分工' },
  },
});

@ObjectType('Plan', { description: '规划纲要或折子工程' })
@Entity('plan')
export class Plan {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field()
  @Column()
  title!: string;

  @Field(() => PlanKind)
  @Column({ type: 'varchar' })
  kind!: PlanKind;

  @Field({ description: '规划期起' })
  @Column({ type: 'timestamptz' })
  periodStart!: Date;

  @Field({ description: '规划期止；未写明时限的措施以此为完成时限' })
  @Column({ type: 'timestamptz' })
  periodEnd!: Date;

  @Field()
  @Column({ default: '' })
  description!: string;

  @Column('uuid', { nullable: true })
  createdById!: string | null;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @Field(() => Int, { description: '乐观锁版本号：修改时须回传' })
  @VersionColumn()
  version!: number;
}
