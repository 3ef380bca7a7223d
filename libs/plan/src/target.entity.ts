import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { TargetLevel } from './target-level';

export { TargetLevel };

registerEnumType(TargetLevel, {
  name: 'TargetLevel',
  valuesMap: {
    PART: { description: '篇' },
    CHAPTER: { description: '章' },
    SECTION: { description: '节' },
    ITEM: { description: '条' },
    MEASURE: { description: '措施' },
  },
});

/** The zero-padded path of a target from the root: positions [1, 2] → "0001.0002", so ORDER BY path is document order. */
export function targetPath(positions: readonly number[]): string {
  return positions.map((p) => String(p).padStart(4, '0')).join('.');
}

/** Each level sits directly below the one before it. */
export const TARGET_LEVEL_ORDER: readonly TargetLevel[] = [
  TargetLevel.PART,
  TargetLevel.CHAPTER,
  TargetLevel.SECTION,
  TargetLevel.ITEM,
  TargetLevel.MEASURE,
];

@ObjectType('Target', { description: '规划目标树的节点：篇、章、节、条、措施' })
@Entity('target')
export class Target {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID)
  @Column('uuid')
  planId!: string;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  parentId!: string | null;

  @Field(() => TargetLevel)
  @Column({ type: 'varchar' })
  level!: TargetLevel;

  @Field({ description: '编号，如“第一章”“第二节”“一、”' })
  @Column({ default: '' })
  number!: string;

  @Field({ description: '文件自己对这一层的叫法：篇、章、节、条，或编号样式“一、”“（一）”“1.”；段落为空' })
  @Column({ default: '' })
  levelName!: string;

  @Field()
  @Column()
  title!: string;

  @Field()
  @Column({ default: '' })
  body!: string;

  @Field(() => Int, { description: '在同级中的次序' })
  @Column('int')
  position!: number;

  /** Zero-padded positions from the root ("0001.0003"), so one ORDER BY yields the tree in document order. */
  @Column()
  path!: string;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  dueAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
