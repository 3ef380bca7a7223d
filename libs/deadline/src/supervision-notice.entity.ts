import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';

export enum NoticeStatus {
  OPEN = 'OPEN',
  ANSWERED = 'ANSWERED',
  CLOSED = 'CLOSED',
}

registerEnumType(NoticeStatus, {
  name: 'SupervisionNoticeStatus',
  valuesMap: {
    OPEN: { description: '待答复' },
    ANSWERED: { description: '已答复，待督查室审核' },
    CLOSED: { description: '已办结' },
  },
});

/** 督办单: a formal notice the unit must answer with a 整改说明 and a new plan; the inspectorate accepts or returns it. */
@ObjectType('SupervisionNotice', { description: '督办单' })
@Entity('supervision_notice')
export class SupervisionNotice {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field({ description: '督办单编号，如“督〔2026〕12号”' })
  @Column()
  code!: string;

  @Field(() => ID)
  @Column('uuid')
  assignmentId!: string;

  @Field(() => ID, { nullable: true, description: '由督办流程自动开具时的那一级' })
  @Column('uuid', { nullable: true })
  escalationId!: string | null;

  @Field(() => NoticeStatus)
  @Column({ type: 'varchar' })
  status!: NoticeStatus;

  @Field({ description: '督办事由' })
  @Column('text')
  reason!: string;

  @Field(() => ID, { nullable: true, description: '手动开具的督查员（自动开具为空）' })
  @Column('uuid', { nullable: true })
  openedById!: string | null;

  @Field()
  @Column({ type: 'timestamptz' })
  openedAt!: Date;

  @Field({ description: '答复时限' })
  @Column({ type: 'timestamptz' })
  responseDueAt!: Date;

  @Field(() => Int, { description: '答复时限（工作日）；退回后自退回之日重新计算' })
  @Column('int')
  responseWorkdays!: number;

  @Field(() => String, { nullable: true, description: '整改说明' })
  @Column('text', { nullable: true })
  response!: string | null;

  @Field(() => String, { nullable: true, description: '新的推进计划' })
  @Column('text', { nullable: true })
  newPlan!: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  answeredAt!: Date | null;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  answeredById!: string | null;

  @Field(() => Int, { description: '被退回次数' })
  @Column('int', { default: 0 })
  returnCount!: number;

  @Field(() => String, { nullable: true, description: '最近一次退回的理由' })
  @Column('text', { nullable: true })
  returnReason!: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column('uuid', { nullable: true })
  closedById!: string | null;

  /** Set when the overdue answer has been escalated, so it is escalated once. */
  @Column({ type: 'timestamptz', nullable: true })
  overdueEscalatedAt!: Date | null;

  @Field(() => Int, { description: '乐观锁版本号' })
  @VersionColumn()
  version!: number;
}
