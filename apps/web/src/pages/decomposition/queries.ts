import { graphql } from '../../gql';

export const PLANS = graphql(`
  query DecompositionPlans {
    plans(first: 100) {
      totalCount
      edges {
        node {
          id
          title
          kind
          periodStart
          periodEnd
          createdAt
        }
      }
    }
  }
`);

export const INGEST_PLAN = graphql(`
  mutation IngestPlanDocument($input: IngestPlanInput!) {
    ingestPlan(input: $input) {
      plan {
        id
        title
      }
      chapterCount
      sectionCount
      itemCount
      measureCount
      indicatorCount
      draftTaskCount
    }
  }
`);

export const IMPORT_TASK_LIST = graphql(`
  mutation ImportTaskListFile($input: ImportTaskListInput!) {
    importTaskList(input: $input) {
      plan {
        id
        title
      }
      draftTaskCount
    }
  }
`);

export const PLAN_TREE = graphql(`
  query DecompositionPlanTree($id: ID!) {
    plan(id: $id) {
      id
      title
      kind
      periodStart
      periodEnd
      targets {
        id
        parentId
        level
        levelName
        number
        title
        body
        dueAt
        position
        indicators {
          id
          name
          kind
          phrase
          comparator
          targetValue
          targetYear
          unit
        }
      }
    }
  }
`);

export const DRAFT_ROW = graphql(`
  fragment DraftRow on DraftTask {
    id
    version
    position
    code
    title
    description
    dueAt
    taskId
    responsibleLeader {
      id
      displayName
    }
    units {
      orgUnitId
      role
      source
      orgUnit {
        id
        name
      }
    }
    suggestions {
      orgUnitId
      role
      score
      keywords
      orgUnit {
        id
        name
      }
    }
    issues {
      kind
      role
      phrase
      message
      candidates {
        id
        name
      }
    }
    targets {
      id
      number
      title
    }
  }
`);

export const DRAFTS = graphql(`
  query DecompositionDrafts($planId: ID!, $after: String) {
    draftTasks(planId: $planId, first: 50, after: $after) {
      totalCount
      pageInfo {
        ...PageCursor
      }
      edges {
        node {
          ...DraftRow
        }
      }
    }
  }
`);

export const LEADERS = graphql(`
  query DecompositionLeaders {
    leaderPortfolios {
      leader {
        id
        displayName
        title
      }
    }
  }
`);

export const UPDATE_DRAFT = graphql(`
  mutation UpdateDraftTask($input: UpdateDraftTaskInput!) {
    updateDraftTask(input: $input) {
      ...DraftRow
    }
  }
`);

export const MERGE_DRAFTS = graphql(`
  mutation MergeDraftTasks($input: MergeDraftTasksInput!) {
    mergeDraftTasks(input: $input) {
      id
    }
  }
`);

export const SPLIT_DRAFT = graphql(`
  mutation SplitDraftTask($input: SplitDraftTaskInput!) {
    splitDraftTask(input: $input) {
      id
    }
  }
`);

export const REMOVE_DRAFTS = graphql(`
  mutation RemoveDraftTasks($input: RemoveDraftTasksInput!) {
    removeDraftTasks(input: $input) {
      id
    }
  }
`);

/** A 分解审定 as the approval pages read it (steps, approvers, decisions), with the plan it is of. */
export const REVIEW_PROGRESS = graphql(`
  fragment ReviewProgress on ApprovalRequest {
    ...RequestDetail
    planId
  }
`);

/** The plans' 分解审定 requests, newest last read first by the page; only the latest is read in full. */
export const PLAN_REVIEWS = graphql(`
  query DecompositionReviews {
    approvalRequests(kind: DECOMPOSITION, first: 100) {
      edges {
        node {
          id
          planId
          status
          currentStep
          createdAt
        }
      }
    }
  }
`);

export const REVIEW = graphql(`
  query DecompositionReview($id: ID!) {
    approvalRequest(id: $id) {
      ...ReviewProgress
    }
  }
`);

export const SUBMIT = graphql(`
  mutation SubmitDecomposition($input: SubmitDecompositionInput!) {
    submitDecomposition(input: $input) {
      ...ReviewProgress
    }
  }
`);
