import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Role } from '@zhezi/core';

@ObjectType('User', { description: '用户' })
@Entity('app_user')
export class User {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field()
  @Column()
  username!: string;

  @Field({ description: '姓名' })
  @Column()
  displayName!: string;

  @Field(() => String, { nullable: true, description: '职务，如“副区长”' })
  @Column('varchar', { nullable: true })
  title!: string | null;

  @Column({ select: false })
  passwordHash!: string;

  @Field(() => Role)
  @Column({ type: 'varchar' })
  role!: Role;

  @Field(() => ID)
  @Column('uuid')
  orgUnitId!: string;

  @Field({ description: '停用的账号不能登录，其令牌即时失效' })
  @Column({ default: true })
  active!: boolean;

  // Contact details for notifications; the API shows them to the user, admins and the unit's head only.
  @Column('varchar', { nullable: true })
  email!: string | null;

  @Column('varchar', { nullable: true })
  phone!: string | null;

  /** Every token carries it; bumping it revokes the tokens issued before (password change, disabling…). */
  @Column('int', { default: 0 })
  sessionVersion!: number;

  @Field({ description: '须先修改临时密码，之后才能使用其他功能' })
  @Column({ default: false })
  mustChangePassword!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
