import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AuditService } from '@zhezi/audit';
import { badInput, conflict, notFound, transactional, type Actor } from '@zhezi/core';
import { ApprovalFlow, ApproverSource } from './approval-flow.entity';
import type { UpdateApprovalFlowInput } from './approval.types';

/** The flows requests copy when they open: read by all, changed by admins (open requests keep theirs). */
@Injectable()
export class ApprovalFlowService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    @InjectRepository(ApprovalFlow) private readonly flows: Repository<ApprovalFlow>,
  ) {}

  list(): Promise<ApprovalFlow[]> {
    return this.flows.find({ order: { kind: 'ASC' } });
  }

  update(actor: Actor, input: UpdateApprovalFlowInput): Promise<ApprovalFlow> {
    return transactional(this.dataSource, async (manager) => {
      const flow = await manager.findOne(ApprovalFlow, {
        where: { kind: input.kind },
        lock: { mode: 'pessimistic_write' },
      });
      if (!flow) throw notFound('审批流程', input.kind);
      if (flow.version !== input.version)
        throw conflict('流程已被他人修改，请刷新后重试', { currentVersion: flow.version });
      input.steps.forEach((step, i) => {
        if (step.source === ApproverSource.ROLE && !step.role)
          throw badInput(`steps.${i}.role`, '按角色审批须指定角色');
      });
      const before = { steps: flow.steps };
      flow.steps = input.steps.map((s) => ({ ...s }));
      const saved = await manager.save(flow);
      await this.audit.record(manager, actor, {
        action: 'approvalFlow.update',
        entityType: 'ApprovalFlow',
        entityId: flow.id,
        before,
        after: { steps: saved.steps },
      });
      return saved;
    });
  }
}
