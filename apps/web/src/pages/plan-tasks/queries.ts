import { graphql } from '../../gql';

/** A page of a plan's tasks, with what the list shows of each. */
export const PLAN_TASKS = graphql(`
  query PlanTasks($filter: TaskFilter, $orderBy: TaskOrder, $first: Int!, $after: String) {
    tasks(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo {
        ...PageCursor
      }
      edges {
        node {
          id
          code
          title
          dueAt
          status
          progressPercent
          updatedAt
          leadUnits {
            id
            name
          }
          supportUnits {
            id
            name
          }
          responsibleLeader {
            id
            displayName
          }
          assignments {
            id
            light
            daysOverdue
          }
        }
      }
    }
  }
`);

/** What the 新建任务 form offers: the plan's targets, the leaders, the escalation policies. */
export const TASK_FORM_OPTIONS = graphql(`
  query TaskFormOptions($planId: ID!) {
    plan(id: $planId) {
      id
      targets {
        id
        number
        title
        level
        dueAt
      }
    }
    leaderPortfolios {
      leader {
        id
        displayName
        title
      }
    }
    escalationPolicies {
      id
      name
      isDefault
    }
  }
`);

export const CREATE_TASK = graphql(`
  mutation CreatePlanTask($input: CreateTaskInput!) {
    createTask(input: $input) {
      id
      code
      title
    }
  }
`);

export const ASSIGN_TASK = graphql(`
  mutation AssignPlanTask($input: AssignTaskInput!) {
    assignTask(input: $input) {
      id
    }
  }
`);

/** A task's page: the task and every share the viewer may see, with the task's 调整 requests. */
export const PLAN_TASK = graphql(`
  query PlanTask($id: ID!) {
    task(id: $id) {
      id
      code
      title
      description
      dueAt
      status
      priority
      progressPercent
      version
      escalationPolicyId
      plan {
        id
        title
      }
      target {
        id
        number
        title
      }
      responsibleLeader {
        id
        displayName
        title
      }
      milestones {
        id
        title
        dueAt
      }
      assignments {
        id
        version
        role
        status
        dueAt
        originalDueAt
        extensionCount
        progressPercent
        light
        daysOverdue
        parentId
        orgUnit {
          id
          name
        }
      }
    }
    approvalRequests(taskId: $id, kind: ADJUSTMENT, first: 20) {
      edges {
        node {
          id
          status
          comment
          createdAt
          requestedBy {
            id
            displayName
          }
        }
      }
    }
  }
`);

export const SUSPEND_SHARE = graphql(`
  mutation SuspendPlanShare($input: AssignmentReasonInput!) {
    suspendAssignment(input: $input) {
      id
      status
      version
    }
  }
`);

export const RESUME_SHARE = graphql(`
  mutation ResumePlanShare($input: AssignmentReasonInput!) {
    resumeAssignment(input: $input) {
      id
      status
      version
    }
  }
`);

export const UNASSIGN_SHARE = graphql(`
  mutation UnassignPlanShare($assignmentId: ID!) {
    unassign(assignmentId: $assignmentId) {
      id
    }
  }
`);

export const REQUEST_ADJUSTMENT = graphql(`
  mutation RequestPlanTaskAdjustment($input: RequestAdjustmentInput!) {
    requestAdjustment(input: $input) {
      id
      status
    }
  }
`);

/** After a change on a task's page, the page and the list are read again. */
export const AFTER_TASK_CHANGE = { refetchQueries: ['PlanTask', 'PlanTasks'], awaitRefetchQueries: true };
