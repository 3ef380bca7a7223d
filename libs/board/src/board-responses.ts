import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import {
  getArgumentValues,
  getVariableValues,
  Kind,
  OperationTypeNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  BREAK,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { AccessPolicy } from '@zhezi/access';
import { BoundedMap, Clock, DEPARTMENT_ROLES, type Actor } from '@zhezi/core';
import { BoardCache } from './board.cache';
import { BoardReadModel } from './board-read-model';

const fields = (...names: string[]): ReadonlySet<string> => new Set(['__typename', ...names]);
const FIGURES = [
  'assigned',
  'byStatus',
  'closed',
  'closedOnTime',
  'green',
  'missedReports',
  'onTimeRate',
  'open',
  'openNotices',
  'overdue',
  'overdueDaysMax',
  'overdueDaysSum',
  'red',
  'yellow',
];

/**
 * What a kept board response may hold, per type: fields computed from the shares of the (plan, unit) rows of
 * the read model the board reads, whose revisions move with every change to them — figures, statuses, dates,
 * lights, a share's last report and level reached, its task's code and title (and contents, which text searches
 * read), a unit's name (migrations
 * Boards and BoardResponseCoverage) — and which hold until the rows' `valid_until` (midnight or the next
 * deadline). Anything else (the next escalation's date, a user, an approval) makes the operation run as usual.
 */
const COVERED: Record<string, ReadonlySet<string>> = {
  Query: fields('leaderBoard', 'unitBoard', 'inspectorBoard'),
  LeaderBoard: fields('asOf', 'planId', 'totals', 'units', 'trend'),
  BoardFigures: fields(...FIGURES),
  UnitFigures: fields(...FIGURES, 'kind', 'orgUnit', 'orgUnitId', 'rank', 'score'),
  StatusCount: fields('count', 'status'),
  BoardWeek: fields('closed', 'closedToDate', 'due', 'dueToDate', 'week'),
  UnitFiguresConnection: fields('edges', 'pageInfo', 'totalCount'),
  UnitFiguresEdge: fields('cursor', 'node'),
  UnitBoard: fields('columns', 'items', 'nextDeadlines', 'orgUnit', 'orgUnitId'),
  KanbanColumn: fields('count', 'status'),
  AssignmentConnection: fields('edges', 'pageInfo', 'totalCount'),
  AssignmentEdge: fields('cursor', 'node'),
  PageInfo: fields('endCursor', 'hasNextPage'),
  Assignment: fields(
    'closedAt',
    'createdAt',
    'daysOverdue',
    'dueAt',
    'dueKind',
    'id',
    'lastReportAt',
    'levelReached',
    'light',
    'orgUnitId',
    'progressPercent',
    'status',
    'supervisionNotices',
    'task',
    'taskId',
  ),
  SupervisionNotice: fields('answeredAt', 'closedAt', 'code', 'id', 'openedAt', 'returnCount', 'status'),
  Task: fields('code', 'id', 'title'),
  OrgUnit: fields('active', 'code', 'id', 'kind', 'name', 'parentId'),
};

/** The question an operation asks, as the cache needs it. */
export interface BoardOperation {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** Apollo's hash of the query text. */
  queryHash: string;
  variables: Record<string, unknown> | undefined;
}

export type BoardResponse = Record<string, unknown>;

/** A kept response, or what to call with the response the operation is about to get. */
export type BoardLookup = { hit: BoardResponse } | { keep: (data: BoardResponse) => void };

/** Scopes of the read model, as (plan or all, units or all). */
type Scope = [planId: string | null, unitIds: string[] | null];

/**
 * Whole responses of board operations, kept per (operation, variables, the caller's role and unit — all that
 * the boards' visibility reads of a caller) and valid while the read-model rows under them are unchanged and
 * their figures hold, so a hit runs no resolver at all. Per process, bounded, oldest out first.
 */
@Injectable()
export class BoardResponses {
  private readonly responses = new BoardCache<BoardResponse>(500);
  /** The units each department was last found to split work to (see visibleUnits). */
  private readonly splitUnits = new BoundedMap<string, string[]>(10_000);
  /** Whether the operations seen so far (by query hash) are board queries of covered fields only. */
  private readonly shapes = new BoundedMap<string, boolean>(1000);

  constructor(
    private readonly readModel: BoardReadModel,
    private readonly access: AccessPolicy,
    private readonly clock: Clock,
  ) {}

  /** A query of boards whose every field selected anywhere in the document is covered (`COVERED`). */
  answers(op: BoardOperation): boolean {
    const key = `${op.queryHash}|${op.operation.name?.value}`;
    let covered = this.shapes.get(key);
    if (covered === undefined) {
      covered = coveredShape(op);
      this.shapes.set(key, covered);
    }
    return covered;
  }

  /** For an operation it `answers`: a kept response, or what to call with the response about to be sent. */
  async lookup(actor: Actor, op: BoardOperation): Promise<BoardLookup | null> {
    const { coerced } = getVariableValues(
      op.schema,
      op.operation.variableDefinitions ?? [],
      op.variables ?? {},
    );
    if (!coerced) return null;
    const query = op.schema.getQueryType()!.getFields();
    // The boards asked for: a `__typename` beside them reads nothing.
    const roots = (op.operation.selectionSet.selections as FieldNode[])
      .filter((node) => node.name.value in query)
      .map((node) => ({
        field: node.name.value,
        args: getArgumentValues(query[node.name.value], node, coerced),
      }));
    // An id the resolvers will refuse: let them say so, without asking the database first.
    if (!roots.length || !roots.every(({ args }) => idsWellFormed(args))) return null;
    const now = this.clock.now();
    let { version, validUntil } = await this.versionOf(actor, roots, now, false);
    const key = [
      op.queryHash,
      op.operation.name?.value,
      JSON.stringify(op.variables ?? {}),
      actor.role,
      actor.orgUnitId,
    ].join('|');
    const hit = this.responses.peek(key, version, now);
    if (hit) return { hit: await hit };
    // Kept only with the units a department splits work to as they are now.
    if (DEPARTMENT_ROLES.includes(actor.role))
      ({ version, validUntil } = await this.versionOf(actor, roots, now, true));
    return {
      keep: (data) =>
        validUntil > now.getTime() && this.responses.put(key, version, validUntil, Promise.resolve(data)),
    };
  }

  /**
   * The version of the read-model rows the roots read (with the units they were taken over) and until when
   * their figures hold. `fresh`: ask a department's split-off units again rather than take the last ones.
   */
  private async versionOf(
    actor: Actor,
    roots: { field: string; args: Record<string, unknown> }[],
    now: Date,
    fresh: boolean,
  ): Promise<{ version: string; validUntil: number }> {
    const scopes = await Promise.all(roots.map(({ field, args }) => this.scopeOf(actor, field, args, fresh)));
    const versions = await Promise.all(
      scopes.map(async ([planId, units]) => {
        const { version, validUntil } = await this.readModel.version(planId, units, now);
        return { version: `${units?.join(',') ?? '*'}/${version}`, validUntil };
      }),
    );
    return {
      version: versions.map((v) => v.version).join('|'),
      validUntil: Math.min(...versions.map((v) => v.validUntil.getTime())),
    };
  }

  /**
   * The units whose lists the actor sees. A department's are the last it was found to split work to: they
   * change only with a split, which moves the revision of the department's own rows (migration
   * BoardTouchesSplittingUnit), so an answer kept over them is checked without asking again — 2,000 index
   * lookups for a department with 1,000 shares.
   */
  private async visibleUnits(actor: Actor, fresh: boolean): Promise<string[] | null> {
    if (!DEPARTMENT_ROLES.includes(actor.role)) return this.access.visibleUnitIds(actor);
    const last = this.splitUnits.get(actor.orgUnitId);
    if (last && !fresh) return last;
    const units = await this.access.visibleUnitIds(actor);
    this.splitUnits.set(actor.orgUnitId, units ?? []);
    return units;
  }

  /** The read model's rows a root field reads. */
  private async scopeOf(
    actor: Actor,
    field: string,
    args: Record<string, unknown>,
    fresh: boolean,
  ): Promise<Scope> {
    const filter = (args.filter ?? {}) as { planId?: string; orgUnitId?: string };
    if (field === 'leaderBoard')
      return [(args.planId as string | undefined) ?? null, await this.visibleUnits(actor, fresh)];
    if (field === 'unitBoard')
      return [filter.planId ?? null, [(args.orgUnitId as string | undefined) ?? actor.orgUnitId]];
    return [
      filter.planId ?? null,
      filter.orgUnitId ? [filter.orgUnitId] : await this.visibleUnits(actor, fresh),
    ];
  }
}

/** The plan and unit ids a board's arguments name (its version statement casts them to uuid) are UUIDs. */
function idsWellFormed(args: Record<string, unknown>): boolean {
  const filter = (args.filter ?? {}) as Record<string, unknown>;
  return [args.planId, args.orgUnitId, filter.planId, filter.orgUnitId].every(
    (id) => id === undefined || id === null || (typeof id === 'string' && isUUID(id)),
  );
}

function coveredShape({ schema, document, operation }: BoardOperation): boolean {
  if (operation.operation !== OperationTypeNode.QUERY) return false;
  let covered = operation.selectionSet.selections.every((root) => root.kind === Kind.FIELD);
  const types = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(types, {
      Field(node) {
        if (!COVERED[types.getParentType()?.name ?? '']?.has(node.name.value)) covered = false;
        return covered ? undefined : BREAK;
      },
    }),
  );
  return covered;
}
