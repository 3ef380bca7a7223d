import { graphql } from '../gql';
import type { CreateTaskInput, TestAssignmentRefFragment, TestTaskRefFragment } from '../gql/graphql';
import type { GqlResult, TestApi } from './test-api';

/** What a request came to: 'ok', or the first error's `extensions.code`. */
export type Outcome = 'ok' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'CONFLICT';

export function outcomeOf(result: GqlResult<unknown>): string {
  return result.errors?.length ? result.errors[0].extensions.code : 'ok';
}

/** The data of a request that must succeed; a failure throws with the errors, so setup mistakes are loud. */
export function dataOf<T>(result: GqlResult<T>): T {
  if (result.errors?.length || !result.data)
    throw new Error(`request failed: ${JSON.stringify(result.errors)}`);
  return result.data;
}

graphql(`
  fragment TestTaskRef on Task {
    id
    code
    version
    status
    dueAt
  }
`);

graphql(`
  fragment TestAssignmentRef on Assignment {
    id
    role
    parentId
    orgUnitId
  }
`);

export type TaskRef = TestTaskRefFragment;
export type AssignmentRef = TestAssignmentRefFragment;

export interface UnitDue {
  orgUnitId: string;
  dueAt?: string;
}

export const CREATE_TASK = graphql(`
  mutation TestCreateTask($input: CreateTaskInput!) {
    createTask(input: $input) {
      ...TestTaskRef
    }
  }
`);
export const UPDATE_TASK = graphql(`
  mutation TestUpdateTask($input: UpdateTaskInput!) {
    updateTask(input: $input) {
      ...TestTaskRef
      title
    }
  }
`);
export const ASSIGN_TASK = graphql(`
  mutation TestAssignTask($input: AssignTaskInput!) {
    assignTask(input: $input) {
      ...TestAssignmentRef
    }
  }
`);
export const SPLIT_ASSIGNMENT = graphql(`
  mutation TestSplitAssignment($input: SplitAssignmentInput!) {
    splitAssignment(input: $input) {
      ...TestAssignmentRef
    }
  }
`);
export const UNASSIGN = graphql(`
  mutation TestUnassign($id: ID!) {
    unassign(assignmentId: $id) {
      ...TestTaskRef
    }
  }
`);
export const CREATE_PLAN = graphql(`
  mutation TestCreatePlan($input: CreatePlanInput!) {
    createPlan(input: $input) {
      id
      title
    }
  }
`);

/** Typed shortcuts for the setup steps the specs repeat; each throws if the API refuses. */
export function taskOps(api: TestApi) {
  return {
    async createPlan(token: string, title: string): Promise<string> {
      const input = {
        title,
        kind: 'TASK_LIST' as const,
        periodStart: '2025-12-31T16:00:00.000Z',
        periodEnd: '2030-12-31T15:59:59.000Z',
      };
      return dataOf(await api.gql(CREATE_PLAN, { input }, token)).createPlan.id;
    },

    async createTask(token: string, input: CreateTaskInput): Promise<TaskRef> {
      return dataOf(await api.gql(CREATE_TASK, { input }, token)).createTask;
    },

    async assignTask(token: string, taskId: string, leadUnits: UnitDue[], supportUnits: UnitDue[] = []) {
      const input = { taskId, leadUnits, supportUnits };
      return dataOf(await api.gql(ASSIGN_TASK, { input }, token)).assignTask;
    },

    async split(token: string, assignmentId: string, parts: UnitDue[]): Promise<AssignmentRef[]> {
      const input = { assignmentId, parts };
      return dataOf(await api.gql(SPLIT_ASSIGNMENT, { input }, token)).splitAssignment;
    },
  };
}

/** Rows in a table, for "nothing was left behind" checks. */
export async function countRows(api: TestApi, table: string, where = 'true', params: unknown[] = []) {
  const [{ count }] = await api.dataSource.query<{ count: string }[]>(
    `SELECT count(*) AS count FROM ${table} WHERE ${where}`,
    params,
  );
  return Number(count);
}

/** Uploads a file as evidence over plain HTTP (multipart field `file` unless told otherwise). */
export async function uploadEvidence(
  api: TestApi,
  assignmentId: string,
  file: { bytes: Buffer; name: string; type?: string } | null,
  user: string | null = 'zgcOfficer',
  field = 'file',
): Promise<{ status: number; body: unknown }> {
  const form = new FormData();
  if (file) form.append(field, new Blob([file.bytes], { type: file.type ?? 'application/pdf' }), file.name);
  else form.append('note', 'no file here');
  const response = await fetch(`${api.url.replace(/\/graphql$/, '')}/assignments/${assignmentId}/evidence`, {
    method: 'POST',
    headers: user ? { authorization: `Bearer ${await api.token(user)}` } : {},
    body: form,
  });
  return { status: response.status, body: await response.json() };
}
