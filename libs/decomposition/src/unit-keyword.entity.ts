import { Field, Float, ID, ObjectType } from '@nestjs/graphql';
import { decimal } from '@zhezi/plan';
import { Column, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@ObjectType('UnitKeyword', { description: '关键词 → 承办单位词典的一条' })
@Entity('unit_keyword')
export class UnitKeyword {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID)
  @Column('uuid')
  orgUnitId!: string;

  @Field({ description: '关键词，如“污水”“上庄”' })
  @Column()
  keyword!: string;

  @Field(() => Float, { description: '权重：1 为一般，2 为决定性，0.5 为弱' })
  @Column('numeric', { transformer: decimal })
  weight!: number;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
