import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, IdArg, Role, Roles, type Actor } from '@zhezi/core';
import { AuditEvent } from './audit-event.entity';
import { AuditService } from './audit.service';
import { AuditChainReport } from './audit.types';

@Resolver(() => AuditEvent)
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @Query(() => [AuditEvent], { description: '操作留痕：某对象（任务含其全部分工）的变更记录，按时间先后' })
  auditTrail(@CurrentActor() actor: Actor, @IdArg('entityId') entityId: string) {
    return this.audit.trail(actor, entityId);
  }

  @Roles(Role.ADMIN, Role.INSPECTOR)
  @Query(() => AuditChainReport, {
    description: '校验操作日志哈希链，报告第一条被篡改、删除或插入的记录（管理员、督查员）',
  })
  verifyAuditChain(
    @Args('fromId', { type: () => ID, nullable: true, description: '从该记录起校验；缺省从头' })
    fromId?: string,
    @Args('limit', { type: () => Int, nullable: true, description: '最多校验的记录数；缺省校验全部' })
    limit?: number,
  ): Promise<AuditChainReport> {
    return this.audit.verifyChain({ fromId, limit });
  }
}
