import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** 进展报送: one per assignment and period; a resubmission replaces it, the old text kept as a revision. */
@ObjectType('ProgressReport', { description: '进展报送（月报 / 周报）' })
@Entity('progress_report')
export class ProgressReport {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID)
  @Column('uuid')
  assignmentId!: string;

  @Field({ description: '报送期：月报如“2026-11”，周报如“2026-W48”' })
  @Column()
  period!: string;

  @Field()
  @Column('text')
  text!: string;

  @Field(() => Int, { description: '进度（0–100）' })
  @Column('smallint')
  percent!: number;

  @Field(() => String, { nullable: true, description: '进度回调的原因' })
  @Column('text', { nullable: true })
  reason!: string | null;

  @Field(() => Int, { description: '第几次报送（含重报）' })
  @Column('int', { default: 1 })
  revision!: number;

  @Field(() => ID)
  @Column('uuid')
  submittedById!: string;

  @Field()
  @Column({ type: 'timestamptz' })
  submittedAt!: Date;
}

/** An earlier text of a report, kept when the unit resubmitted. */
@ObjectType('ProgressReportRevision', { description: '进展报送的历史版本' })
@Entity('progress_report_revision')
export class ProgressReportRevision {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  reportId!: string;

  @Field(() => Int)
  @Column('int')
  revision!: number;

  @Field()
  @Column('text')
  text!: string;

  @Field(() => Int)
  @Column('smallint')
  percent!: number;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  reason!: string | null;

  @Field(() => ID)
  @Column('uuid')
  submittedById!: string;

  @Field()
  @Column({ type: 'timestamptz' })
  submittedAt!: Date;
}
