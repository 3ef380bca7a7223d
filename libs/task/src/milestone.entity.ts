import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType('Milestone', { description: '时间节点' })
@Entity('milestone')
export class Milestone {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  taskId!: string;

  @Field()
  @Column()
  title!: string;

  @Field()
  @Column({ type: 'timestamptz' })
  dueAt!: Date;

  @Field(() => Int)
  @Column('int')
  position!: number;
}
