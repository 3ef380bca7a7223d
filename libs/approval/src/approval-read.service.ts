import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { AccessPolicy, type SqlCondition } from '@zhezi/access';
import {
  forbidden,
  groupByKey,
  notFound,
  paginate,
  requestLoader,
  tableRef,
  rowsByLoader,
  type Actor,
  type Connection,
  type PageArgs,
  type RequestContext,
} from '@zhezi/core';
import type { ApprovalKind } from './approval-flow.entity';
import { ApprovalDecision, ApprovalRequest, ApprovalStatus, ApprovalStep } from './approval-request.entity';
import type { ApprovalFilterArgs } from './approval.types';

/** Requests as their readers see them: the inbox, lists and a request's steps, only what the caller may see. */
@Injectable()
export class ApprovalReadService {
  constructor(
    private readonly access: AccessPolicy,
    @InjectRepository(ApprovalRequest) private readonly requests: Repository<ApprovalRequest>,
    @InjectRepository(ApprovalStep) private readonly steps: Repository<ApprovalStep>,
    @InjectRepository(ApprovalDecision) private readonly decisions: Repository<ApprovalDecision>,
  ) {}

  inbox(actor: Actor, page: PageArgs): Promise<Connection<ApprovalRequest>> {
    const qb = this.requests
      .createQueryBuilder('r')
      .innerJoin(ApprovalStep, 's', 's.request_id = r.id AND s.position = r.current_step')
      .where('r.status = :pending', { pending: ApprovalStatus.PENDING })
      .andWhere(':me = ANY(s.approver_ids)', { me: actor.userId })
      .andWhere(
        'NOT EXISTS (SELECT 1 FROM approval_decision d WHERE d.step_id = s.id AND d.approver_id = :me)',
      );
    return paginate(qb, page, 'r.created_at', (r) => r.createdAt);
  }

  async getRequest(actor: Actor, id: string): Promise<ApprovalRequest> {
    const request = await this.requests.findOneBy({ id });
    if (!request) throw notFound('审批申请', id);
    const visible = this.visibleCondition(actor);
    if (visible) {
      const qb = this.requests
        .createQueryBuilder('r')
        .where('r.id = :id', { id })
        .andWhere(visible.sql, visible.params);
      if (!(await qb.getExists())) throw forbidden('无权查看该审批申请');
    }
    return request;
  }

  list(actor: Actor, filter: ApprovalFilterArgs, page: PageArgs): Promise<Connection<ApprovalRequest>> {
    const qb = this.requests.createQueryBuilder('r');
    if (filter.kind) qb.andWhere('r.kind = :kind', { kind: filter.kind });
    if (filter.status) qb.andWhere('r.status = :status', { status: filter.status });
    if (filter.taskId) qb.andWhere('r.task_id = :taskId', { taskId: filter.taskId });
    const visible = this.visibleCondition(actor);
    if (visible) qb.andWhere(visible.sql, visible.params);
    return paginate(qb, page, 'r.created_at', (r) => r.createdAt);
  }

  /** Requests of a kind and status about each assignment, in the order given (the due-date history). */
  byAssignmentOfKindLoader(ctx: RequestContext, kind: ApprovalKind, status: ApprovalStatus) {
    return requestLoader<string, ApprovalRequest[]>(ctx, `assignment.${kind}.${status}`, async (ids) => {
      const rows = await this.requests.find({
        where: { assignmentId: In([...ids]), kind, status },
        order: { closedAt: 'ASC', createdAt: 'ASC' },
      });
      return groupByKey(ids, rows, (r) => r.assignmentId as string);
    });
  }

  /** Requests about each assignment, newest first, as far as the caller may see them. */
  byAssignmentLoader(ctx: RequestContext) {
    const visible = this.visibleCondition(ctx.actor as Actor);
    return requestLoader<string, ApprovalRequest[]>(ctx, 'assignment.approvalRequests', async (ids) => {
      const qb = this.requests
        .createQueryBuilder('r')
        .where('r.assignment_id IN (:...ids)', { ids: [...ids] })
        .orderBy('r.created_at', 'DESC')
        .addOrderBy('r.id', 'DESC');
      if (visible) qb.andWhere(visible.sql, visible.params);
      return groupByKey(ids, await qb.getMany(), (r) => r.assignmentId as string);
    });
  }

  stepsLoader(ctx: RequestContext) {
    return rowsByLoader(ctx, 'approval.steps', this.steps, 'requestId', { position: 'ASC' });
  }

  decisionsLoader(ctx: RequestContext) {
    return rowsByLoader(ctx, 'approval.decisions', this.decisions, 'stepId', { decidedAt: 'ASC' });
  }

  private visibleCondition(actor: Actor): SqlCondition | null {
    return this.access.approvalRequestCondition(actor, tableRef('approval_request', 'r'));
  }
}
