import { ApprovalKind, type ApprovalRequest } from '@zhezi/approval';

/**
 * What the task module keeps in a request's JSON payload, by kind. Dates are ISO text so they survive the
 * column; every read checks the shape, so a malformed row fails loudly instead of acting on `undefined`.
 */
export interface ExtensionPayload {
  newDueAt: string;
  previousDueAt: string;
  reason: string;
}

export interface AdjustmentChanges {
  title?: string;
  description?: string;
  dueAt?: string;
  milestones?: { title: string; dueAt: string }[];
  addSupportUnits?: { orgUnitId: string; dueAt?: string }[];
  removeAssignmentIds?: string[];
}

export interface AdjustmentPayload {
  changes: AdjustmentChanges;
  reason: string;
}

type Json = Record<string, unknown>;

const isText = (v: unknown): v is string => typeof v === 'string';
const isDateText = (v: unknown): v is string => isText(v) && !Number.isNaN(Date.parse(v));
const optional = (v: unknown, check: (v: unknown) => boolean) => v === undefined || check(v);
const listOf = (v: unknown, check: (item: Json) => boolean) =>
  Array.isArray(v) && v.every((item) => typeof item === 'object' && item !== null && check(item as Json));

function payloadOf(request: ApprovalRequest, kind: ApprovalKind): Json {
  if (request.kind !== kind) throw new Error(`request ${request.id} is ${request.kind}, not ${kind}`);
  return request.payload;
}

function malformed(request: ApprovalRequest): never {
  throw new Error(`the payload of ${request.kind} request ${request.id} is malformed`);
}

export function readExtension(request: ApprovalRequest): ExtensionPayload {
  const p = payloadOf(request, ApprovalKind.EXTENSION);
  if (!isDateText(p.newDueAt) || !isDateText(p.previousDueAt) || !isText(p.reason)) malformed(request);
  return { newDueAt: p.newDueAt, previousDueAt: p.previousDueAt, reason: p.reason };
}

export function readAdjustment(request: ApprovalRequest): AdjustmentPayload {
  const p = payloadOf(request, ApprovalKind.ADJUSTMENT);
  const c = p.changes as Json | undefined;
  const valid =
    isText(p.reason) &&
    typeof c === 'object' &&
    c !== null &&
    optional(c.title, isText) &&
    optional(c.description, isText) &&
    optional(c.dueAt, isDateText) &&
    optional(c.milestones, (v) => listOf(v, (m) => isText(m.title) && isDateText(m.dueAt))) &&
    optional(c.addSupportUnits, (v) =>
      listOf(v, (u) => isText(u.orgUnitId) && optional(u.dueAt, isDateText)),
    ) &&
    optional(c.removeAssignmentIds, (v) => Array.isArray(v) && v.every(isText));
  if (!valid) malformed(request);
  return { changes: c as AdjustmentChanges, reason: p.reason as string };
}
