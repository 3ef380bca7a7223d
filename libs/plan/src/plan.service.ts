import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AuditService } from '@zhezi/audit';
import {
  badInput,
  notFound,
  paginate,
  rowByIdLoader,
  rowsByLoader,
  transactional,
  type Actor,
  type Connection,
  type PageArgs,
  type RequestContext,
} from '@zhezi/core';
import { Indicator } from './indicator.entity';
import { Plan } from './plan.entity';
import { TARGET_LEVEL_ORDER, Target, targetPath } from './target.entity';
import type { CreatePlanInput, CreateTargetInput } from './plan.types';

@Injectable()
export class PlanService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    @InjectRepository(Plan) private readonly plans: Repository<Plan>,
    @InjectRepository(Target) private readonly targets: Repository<Target>,
    @InjectRepository(Indicator) private readonly indicators: Repository<Indicator>,
  ) {}

  listPlans(args: PageArgs): Promise<Connection<Plan>> {
    return paginate(this.plans.createQueryBuilder('p'), args, 'p.created_at', (p) => p.createdAt);
  }

  async getPlan(id: string): Promise<Plan> {
    const plan = await this.plans.findOneBy({ id });
    if (!plan) throw notFound('规划', id);
    return plan;
  }

  createPlan(actor: Actor, input: CreatePlanInput): Promise<Plan> {
    if (input.periodEnd <= input.periodStart) throw badInput('periodEnd', '规划期止须晚于规划期起');
    return transactional(this.dataSource, async (manager) => {
      const plan = await manager.save(
        manager.create(Plan, { ...input, description: input.description ?? '', createdById: actor.userId }),
      );
      await this.audit.record(manager, actor, {
        action: 'plan.create',
        entityType: 'Plan',
        entityId: plan.id,
        after: plan,
      });
      return plan;
    });
  }

  createTarget(actor: Actor, input: CreateTargetInput): Promise<Target> {
    return transactional(this.dataSource, async (manager) => {
      // Locking the plan serialises sibling numbering, so two writers never take the same position.
      const plan = await manager.findOne(Plan, {
        where: { id: input.planId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!plan) throw badInput('planId', `规划不存在：${input.planId}`);
      let parent: Target | null = null;
      if (input.parentId) {
        parent = await manager.findOneBy(Target, { id: input.parentId });
        if (!parent || parent.planId !== plan.id) throw badInput('parentId', '上级节点不存在或不属于该规划');
        if (TARGET_LEVEL_ORDER.indexOf(input.level) <= TARGET_LEVEL_ORDER.indexOf(parent.level)) {
          throw badInput('level', '节点层级须低于上级节点');
        }
      }
      const { max } = (await manager
        .createQueryBuilder(Target, 't')
        .select('MAX(t.position)', 'max')
        .where('t.plan_id = :planId', { planId: plan.id })
        .andWhere(parent ? 't.parent_id = :parentId' : 't.parent_id IS NULL', { parentId: parent?.id })
        .getRawOne<{ max: number | null }>()) ?? { max: null };
      const position = (max ?? 0) + 1;
      const segment = targetPath([position]);
      const target = await manager.save(
        manager.create(Target, {
          planId: plan.id,
          parentId: parent?.id ?? null,
          level: input.level,
          number: input.number ?? '',
          title: input.title,
          body: input.body ?? '',
          dueAt: input.dueAt ?? null,
          position,
          path: parent ? `${parent.path}.${segment}` : segment,
        }),
      );
      const indicators = await manager.save(
        (input.indicators ?? []).map((i, position) =>
          manager.create(Indicator, { ...i, targetId: target.id, position }),
        ),
      );
      await this.audit.record(manager, actor, {
        action: 'target.create',
        entityType: 'Target',
        entityId: target.id,
        after: { ...target, indicators },
      });
      return target;
    });
  }

  /** Each plan's targets in document order, in one query per request level. */
  planTargetsLoader(ctx: RequestContext) {
    return rowsByLoader(ctx, 'plan.targets', this.targets, 'planId', { path: 'ASC' });
  }

  targetLoader(ctx: RequestContext) {
    return rowByIdLoader(ctx, 'target.byId', this.targets);
  }

  childTargetsLoader(ctx: RequestContext) {
    return rowsByLoader(ctx, 'target.children', this.targets, 'parentId', { path: 'ASC' });
  }

  indicatorsLoader(ctx: RequestContext) {
    return rowsByLoader(ctx, 'target.indicators', this.indicators, 'targetId', {
      position: 'ASC',
      name: 'ASC',
    });
  }

  planLoader(ctx: RequestContext) {
    return rowByIdLoader(ctx, 'plan.byId', this.plans);
  }
}
