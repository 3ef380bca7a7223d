import { Injectable } from '@nestjs/common';
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
import { Clock, type Actor } from '@zhezi/core';
import { BoardCache } from './board.cache';
import { BoardService } from './board.service';

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
  /** Whether the operations seen so far (by query hash) are board queries of covered fields only. */
  private readonly shapes = new Map<string, boolean>();

  constructor(
    private readonly boards: BoardService,
    private readonly access: AccessPolicy,
    private readonly clock: Clock,
  ) {}

  /** A query of boards whose every field selected anywhere in the document is covered (`COVERED`). */
  answers(op: BoardOperation): boolean {
    const key = `${op.queryHash}|${op.operation.name?.value}`;
    let covered = this.shapes.get(key);
    if (covered === undefined) {
      covered = coveredShape(op);
      if (this.shapes.size >= 1000) this.shapes.delete(this.shapes.keys().next().value as string);
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
    if (!roots.length) return null;
    const scopes = await Promise.all(roots.map(({ field, args }) => this.scopeOf(actor, field, args)));
    const now = this.clock.now();
    const versions = await Promise.all(
      scopes.map(([planId, units]) => this.boards.readModelVersion(planId, units, now)),
    );
    const version = versions.map((v) => v.version).join('|');
    const validUntil = Math.min(...versions.map((v) => v.validUntil.getTime()));
    const key = [
      op.queryHash,
      op.operation.name?.value,
      JSON.stringify(op.variables ?? {}),
      actor.role,
      actor.orgUnitId,
    ].join('|');
    const hit = this.responses.peek(key, version, now);
    if (hit) return { hit: await hit };
    return {
      keep: (data) =>
        validUntil > now.getTime() && this.responses.put(key, version, validUntil, Promise.resolve(data)),
    };
  }

  /** The read model's rows a root field reads. */
  private async scopeOf(actor: Actor, field: string, args: Record<string, unknown>): Promise<Scope> {
    const filter = (args.filter ?? {}) as { planId?: string; orgUnitId?: string };
    if (field === 'leaderBoard')
      return [(args.planId as string | undefined) ?? null, await this.access.visibleUnitIds(actor)];
    if (field === 'unitBoard')
      return [filter.planId ?? null, [(args.orgUnitId as string | undefined) ?? actor.orgUnitId]];
    return [
      filter.planId ?? null,
      filter.orgUnitId ? [filter.orgUnitId] : await this.access.visibleUnitIds(actor),
    ];
  }
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
