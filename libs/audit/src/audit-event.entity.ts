import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { JsonScalar } from '@zhezi/core';

/**
 * One change, as it happened. Append-only: the database refuses UPDATE and DELETE on this table; each row
 * carries the hash of the one before it, so a change made behind the database's back shows (audit-chain.ts).
 */
@ObjectType('AuditEvent', { description: '操作日志' })
@Entity('audit_event')
export class AuditEvent {
  @Field(() => ID)
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Field()
  @Column({ type: 'timestamptz' })
  occurredAt!: Date;

  @Field(() => ID, { nullable: true, description: '操作人；系统任务为空' })
  @Column('uuid', { nullable: true })
  actorId!: string | null;

  @Field({ description: '操作人姓名（记录当时）' })
  @Column()
  actorName!: string;

  @Field({ description: '动作，如 task.create、assignment.split' })
  @Column()
  action!: string;

  @Field()
  @Column()
  entityType!: string;

  @Field(() => ID)
  @Column('uuid')
  entityId!: string;

  @Field(() => ID, { nullable: true, description: '所属任务，便于查看任务的完整留痕' })
  @Column('uuid', { nullable: true })
  taskId!: string | null;

  /** Units the change concerns; a unit user sees only events naming its unit, or naming none. */
  @Column('uuid', { array: true, default: () => "'{}'" })
  unitIds!: string[];

  @Field(() => JsonScalar, { nullable: true })
  @Column('jsonb', { nullable: true })
  before!: Record<string, unknown> | null;

  @Field(() => JsonScalar, { nullable: true })
  @Column('jsonb', { nullable: true })
  after!: Record<string, unknown> | null;

  @Field({ description: '前一条记录的哈希（首条为 64 个 0）' })
  @Column('char', { length: 64 })
  prevHash!: string;

  @Field({ description: '本条记录的 SHA-256 哈希，覆盖其全部内容与 prevHash' })
  @Column('char', { length: 64 })
  hash!: string;
}
