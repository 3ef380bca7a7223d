import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';

export enum OrgUnitKind {
  GOVERNMENT = 'GOVERNMENT',
  DEPARTMENT = 'DEPARTMENT',
  SUBDISTRICT = 'SUBDISTRICT',
  TOWN = 'TOWN',
  INSPECTORATE = 'INSPECTORATE',
}

registerEnumType(OrgUnitKind, {
  name: 'OrgUnitKind',
  valuesMap: {
    GOVERNMENT: { description: '区政府' },
    DEPARTMENT: { description: '委办局' },
    SUBDISTRICT: { description: '街道' },
    TOWN: { description: '镇 / 地区办事处' },
    INSPECTORATE: { description: '区政府督查室' },
  },
});

/** Units that carry assignments on their own task list. */
export const ASSIGNABLE_KINDS: readonly OrgUnitKind[] = [
  OrgUnitKind.DEPARTMENT,
  OrgUnitKind.SUBDISTRICT,
  OrgUnitKind.TOWN,
];
/** Units a department may split its share among. */
export const LOCAL_KINDS: readonly OrgUnitKind[] = [OrgUnitKind.SUBDISTRICT, OrgUnitKind.TOWN];

@ObjectType('OrgUnit', { description: '组织机构：区政府、委办局、街道、镇、督查室' })
@Entity('org_unit')
export class OrgUnit {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field({ description: '机构代码（街镇为统计用区划代码）' })
  @Column()
  code!: string;

  @Field({ description: '正式名称' })
  @Column()
  name!: string;

  @Field(() => OrgUnitKind)
  @Column({ type: 'varchar' })
  kind!: OrgUnitKind;

  @Field(() => [String], { description: '简称与曾用名，如“区发改委”“区卫生计生委”' })
  @Column('text', { array: true, default: () => "'{}'" })
  aliases!: string[];

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  parentId!: string | null;

  @Column('int', { default: 0 })
  sortOrder!: number;

  @Field({ description: '在用；合并或撤销后为 false（历史记录仍显示其名称）' })
  @Column({ default: true })
  active!: boolean;

  @Field(() => ID, { nullable: true, description: '已并入的机构' })
  @Column('uuid', { nullable: true })
  mergedIntoId!: string | null;

  @Field(() => Int, { description: '版本号（修改时用于乐观锁）' })
  @VersionColumn()
  version!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
