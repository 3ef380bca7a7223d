import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '@zhezi/audit';
import { transactional, type Actor } from '@zhezi/core';
import { AssignmentStateService, type Task } from '@zhezi/task';
import { EscalationPolicyService } from './escalation-policy.service';

/** Which ladder a task's new assignments climb. */
@Injectable()
export class TaskPolicyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly policies: EscalationPolicyService,
    private readonly assignments: AssignmentStateService,
  ) {}

  setPolicy(actor: Actor, taskId: string, policyId: string): Promise<Task> {
    return transactional(this.dataSource, async (manager) => {
      const policy = await this.policies.get(policyId);
      const task = await this.assignments.lockTask(manager, taskId, 'taskId');
      const before = { escalationPolicyId: task.escalationPolicyId };
      task.escalationPolicyId = policy.id;
      const saved = await manager.save(task);
      await this.audit.record(manager, actor, {
        action: 'task.set_escalation_policy',
        entityType: 'Task',
        entityId: task.id,
        taskId: task.id,
        before,
        after: { escalationPolicyId: policy.id, policyName: policy.name },
      });
      return saved;
    });
  }
}
