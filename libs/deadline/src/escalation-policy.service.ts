import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '@zhezi/audit';
import {
  badInput,
  conflict,
  notFound,
  rowsByLoader,
  transactional,
  type Actor,
  type RequestContext,
} from '@zhezi/core';
import { offsetOf, parseDuration } from './escalation-ladder';
import { EscalationPolicy, EscalationPolicyVersion, type EscalationLevel } from './escalation-policy.entity';
import type {
  CreateEscalationPolicyInput,
  EscalationLevelInput,
  UpdateEscalationPolicyInput,
} from './escalation-policy.types';

/** Levels climb strictly in time and each names its timing one way; errors name the input path. */
export function checkLevels(levels: EscalationLevelInput[], field = 'levels'): EscalationLevel[] {
  levels.forEach((level, i) => {
    const at = `${field}.${i}`;
    const hasWorkdays = level.offsetWorkdays !== undefined && level.offsetWorkdays !== null;
    if (hasWorkdays === Boolean(level.offsetDuration)) {
      throw badInput(`${at}.offsetWorkdays`, '每一级须且只能指定 offsetWorkdays 或 offsetDuration 之一');
    }
    if (level.offsetDuration && parseDuration(level.offsetDuration) === null) {
      throw badInput(
        `${at}.offsetDuration`,
        `时长格式无效（应为 ISO 8601，如 PT30M）：${level.offsetDuration}`,
      );
    }
    if (level.repeatWorkdays && level.repeatDuration) {
      throw badInput(`${at}.repeatDuration`, '重复间隔只能指定工作日或时长之一');
    }
    if (level.repeatDuration && !((parseDuration(level.repeatDuration) ?? 0) >= 1000)) {
      throw badInput(
        `${at}.repeatDuration`,
        `重复间隔须为不少于 1 秒的 ISO 8601 时长：${level.repeatDuration}`,
      );
    }
    if (new Set(level.recipients).size !== level.recipients.length) {
      throw badInput(`${at}.recipients`, '接收对象重复');
    }
    if (i === 0) return;
    const previous = levels[i - 1];
    if (Boolean(previous.offsetDuration) !== Boolean(level.offsetDuration)) {
      throw badInput(`${at}.offsetDuration`, '同一流程的各级须统一按工作日或按时长计');
    }
    if (offsetOf(level) <= offsetOf(previous)) {
      throw badInput(`${at}.offsetWorkdays`, '各级时间须依次推后');
    }
  });
  return levels.map((l) => ({
    offsetWorkdays: l.offsetDuration ? null : l.offsetWorkdays,
    offsetDuration: l.offsetDuration || null,
    action: l.action,
    recipients: [...l.recipients],
    repeatWorkdays: l.repeatWorkdays ?? null,
    repeatDuration: l.repeatDuration || null,
  }));
}

@Injectable()
export class EscalationPolicyService {
  /** Versions never change once written, so they are cached for the life of the process. */
  private readonly versions = new Map<string, EscalationPolicyVersion>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  list(): Promise<EscalationPolicy[]> {
    return this.dataSource
      .getRepository(EscalationPolicy)
      .find({ order: { isDefault: 'DESC', name: 'ASC' } });
  }

  async get(id: string): Promise<EscalationPolicy> {
    const policy = await this.dataSource.getRepository(EscalationPolicy).findOneBy({ id });
    if (!policy) throw notFound('督办流程', id);
    return policy;
  }

  /** Each policy's versions, newest first, in one query per request level. */
  versionsLoader(ctx: RequestContext) {
    return rowsByLoader(
      ctx,
      'policy.versions',
      this.dataSource.getRepository(EscalationPolicyVersion),
      'policyId',
      {
        number: 'DESC',
      },
    );
  }

  async version(manager: EntityManager, id: string): Promise<EscalationPolicyVersion> {
    let version = this.versions.get(id);
    if (!version) {
      version = await manager.findOneByOrFail(EscalationPolicyVersion, { id });
      this.versions.set(id, version);
    }
    return version;
  }

  /**
   * The version a new assignment of each task starts with: the task's policy, else the default, as it is now;
   * task id → version, in one query.
   */
  async currentVersionsFor(
    manager: EntityManager,
    taskIds: readonly string[],
  ): Promise<Map<string, EscalationPolicyVersion>> {
    const ids = [...new Set(taskIds)];
    const rows = await manager.query<{ task_id: string; id: string }[]>(
      `SELECT t.id AS task_id, v.id FROM task t
       JOIN escalation_policy p ON p.id = COALESCE(t.escalation_policy_id, (SELECT id FROM escalation_policy WHERE is_default))
       JOIN escalation_policy_version v ON v.policy_id = p.id AND v.number = p.current_version
       WHERE t.id = ANY($1)`,
      [ids],
    );
    if (rows.length < ids.length) {
      throw new Error('no default escalation policy: the DeadlineEngine migration seeds one');
    }
    const versions = new Map<string, EscalationPolicyVersion>();
    for (const row of rows) versions.set(row.task_id, await this.version(manager, row.id));
    return versions;
  }

  create(actor: Actor, input: CreateEscalationPolicyInput): Promise<EscalationPolicy> {
    return transactional(this.dataSource, async (manager) => {
      const levels = checkLevels(input.levels);
      const policy = await manager.save(
        manager.create(EscalationPolicy, {
          name: input.name,
          description: input.description,
          isDefault: false,
        }),
      );
      await this.addVersion(manager, actor, policy, 1, levels, input.noticeResponseWorkdays);
      await this.audit.record(manager, actor, {
        action: 'escalationPolicy.create',
        entityType: 'EscalationPolicy',
        entityId: policy.id,
        after: { ...policy, levels, noticeResponseWorkdays: input.noticeResponseWorkdays },
      });
      return policy;
    });
  }

  update(actor: Actor, input: UpdateEscalationPolicyInput): Promise<EscalationPolicy> {
    return transactional(this.dataSource, async (manager) => {
      const policy = await manager.findOne(EscalationPolicy, {
        where: { id: input.id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!policy) throw notFound('督办流程', input.id);
      if (policy.version !== input.version) {
        throw conflict('督办流程已被他人修改，请刷新后重试', { currentVersion: policy.version });
      }
      if (input.isDefault === false && policy.isDefault) {
        throw badInput('isDefault', '须将另一流程设为默认，而不是取消默认');
      }
      const before = { ...policy };
      if (input.isDefault && !policy.isDefault) {
        await manager.update(EscalationPolicy, { isDefault: true }, { isDefault: false });
        policy.isDefault = true;
      }
      if (input.name !== undefined) policy.name = input.name;
      if (input.description !== undefined) policy.description = input.description;
      let levels: EscalationLevel[] | undefined;
      if (input.levels || input.noticeResponseWorkdays !== undefined) {
        const current = await manager.findOneByOrFail(EscalationPolicyVersion, {
          policyId: policy.id,
          number: policy.currentVersion,
        });
        levels = input.levels ? checkLevels(input.levels) : current.levels;
        policy.currentVersion += 1;
        const responseWorkdays = input.noticeResponseWorkdays ?? current.noticeResponseWorkdays;
        await this.addVersion(manager, actor, policy, policy.currentVersion, levels, responseWorkdays);
      }
      const saved = await manager.save(policy);
      await this.audit.record(manager, actor, {
        action: 'escalationPolicy.update',
        entityType: 'EscalationPolicy',
        entityId: policy.id,
        before,
        after: { ...saved, ...(levels && { levels }) },
      });
      return saved;
    });
  }

  private async addVersion(
    manager: EntityManager,
    actor: Actor,
    policy: EscalationPolicy,
    number: number,
    levels: EscalationLevel[],
    noticeResponseWorkdays: number,
  ): Promise<void> {
    await manager.save(
      manager.create(EscalationPolicyVersion, {
        policyId: policy.id,
        number,
        levels,
        noticeResponseWorkdays,
        createdById: actor.userId,
      }),
    );
  }
}
