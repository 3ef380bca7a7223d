import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  ApprovalKind,
  ApprovalService,
  ApprovalStatus,
  type ApprovalKindHandler,
  type ApprovalOutcome,
  type ApprovalRequest,
  type RequestSubject,
} from '@zhezi/approval';
import { conflict, transactional, type Actor } from '@zhezi/core';
import { Assignment } from '../assignment.entity';
import { AssignmentAction, Taker, takersFor } from '../assignment.lifecycle';
import { AssignmentStateService } from '../assignment-state.service';
import { lockShareOf, openTaskRequest, taskSubject } from './task-request';
import type { RequestCloseOutInput } from './request.types';

/** 申请销号: the share waits in 销号审批中 while the request runs; approved it closes, rejected it goes back. */
@Injectable()
export class CloseOutRequests implements ApprovalKindHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly approvals: ApprovalService,
    private readonly assignments: AssignmentStateService,
  ) {}

  request(actor: Actor, input: RequestCloseOutInput): Promise<ApprovalRequest> {
    return transactional(this.dataSource, async (manager) => {
      const assignment = await this.assignments.lockForChange(
        manager,
        actor,
        input.assignmentId,
        input.version,
      );
      if (await manager.existsBy(Assignment, { parentId: assignment.id })) {
        throw conflict('该分工已分解给街镇，下级分工全部销号后自动销号', {
          currentStatus: assignment.status,
        });
      }
      await this.approvals.assertNoneOpen(manager, ApprovalKind.CLOSE_OUT, assignment.id);
      const takers = takersFor(actor, assignment.orgUnitId);
      await this.assignments.applyTransition(
        manager,
        actor,
        assignment,
        AssignmentAction.REQUEST_CLOSE_OUT,
        input.comment || undefined,
        takers,
      );
      const task = await this.assignments.lockTask(manager, assignment.taskId, 'assignmentId');
      return openTaskRequest(this.approvals, manager, actor, {
        kind: ApprovalKind.CLOSE_OUT,
        task,
        assignment,
        payload: {},
        comment: input.comment,
      });
    });
  }

  describe(manager: EntityManager, request: ApprovalRequest): Promise<RequestSubject> {
    return taskSubject(manager, request, this.assignments);
  }

  async settle(
    manager: EntityManager,
    actor: Actor,
    request: ApprovalRequest,
    outcome: ApprovalOutcome,
  ): Promise<void> {
    if (outcome === ApprovalStatus.WITHDRAWN) {
      const assignment = await manager.findOneByOrFail(Assignment, { id: request.assignmentId as string });
      const takers = takersFor(actor, assignment.orgUnitId);
      await this.assignments.applyTransition(
        manager,
        actor,
        assignment,
        AssignmentAction.WITHDRAW_CLOSE_OUT,
        undefined,
        takers,
      );
      return;
    }
    const assignment = (await lockShareOf(manager, request)) as Assignment;
    const task = await this.assignments.lockTask(manager, assignment.taskId, 'taskId');
    const action = outcome === ApprovalStatus.APPROVED ? AssignmentAction.CLOSE : AssignmentAction.RETURN;
    await this.assignments.applyTransition(manager, actor, assignment, action, undefined, [Taker.SYSTEM]);
    await this.assignments.settleTask(manager, actor, task);
  }
}
