import { Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, IdArg, type Actor } from '@zhezi/core';
import { AuditEvent } from './audit-event.entity';
import { AuditService } from './audit.service';

@Resolver(() => AuditEvent)
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @Query(() => [AuditEvent], { description: '操作留痕：某对象（任务含其全部分工）的变更记录，按时间先后' })
  auditTrail(@CurrentActor() actor: Actor, @IdArg('entityId') entityId: string) {
    return this.audit.trail(actor, entityId);
  }
}
