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

  @Column({ default: true })
  active!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
