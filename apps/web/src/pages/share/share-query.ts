import { graphql } from '../../gql';
import type { ShareQuery } from '../../gql/graphql';
import type { ShareAction } from './actions';

/** The share, its task and everything its timeline is made of, in one request. */
export const SHARE = graphql(`
  query Share($id: ID!) {
    assignment(id: $id) {
      id
      version
      status
      role
      light
      daysOverdue
      dueAt
      dueKind
      originalDueAt
      extensionCount
      progressPercent
      lastReportAt
      parentId
      parent {
        id
        dueAt
        dueKind
        orgUnit {
          id
          name
        }
      }
      nextEscalation {
        label
      }
      orgUnit {
        id
        name
        kind
      }
      children {
        id
        status
        dueAt
        dueKind
        createdAt
        progressPercent
        orgUnit {
          id
          name
        }
      }
      progressReports {
        id
        period
        percent
        text
        reason
        revision
        submittedAt
        submittedBy {
          id
          displayName
        }
        evidence {
          id
          fileName
          sizeBytes
        }
      }
      approvalRequests {
        id
        kind
        status
        comment
        payload
        createdAt
        closedAt
        currentStep
        requestedBy {
          id
          displayName
        }
        steps {
          id
          name
          position
          approvers {
            id
            displayName
          }
          decisions {
            id
            approverId
            decision
            comment
            decidedAt
          }
        }
      }
      escalations {
        id
        action
        outcome
        firedAt
        reason
      }
      supervisionNotices {
        id
        code
        status
        version
        reason
        openedAt
        openedById
        responseDueAt
        answeredAt
        response
        newPlan
        closedAt
        returnCount
        returnReason
      }
      task {
        id
        code
        title
        description
        dueAt
        dueKind
        recurrence
        priority
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
        leadUnits {
          id
          name
        }
        supportUnits {
          id
          name
        }
        assignments {
          id
          orgUnit {
            id
          }
        }
      }
    }
    auditTrail(entityId: $id) {
      id
      action
      actorName
      occurredAt
      before
      after
    }
  }
`);

export type Share = NonNullable<ShareQuery['assignment']>;

/** Every action reloads the share before it says it is done, so the page never shows the state before it. */
export const AFTER_CHANGE = { refetchQueries: ['Share'], awaitRefetchQueries: true };

/** What a form reports when it succeeded: what happened, and what may come next. */
export interface Outcome {
  message: string;
  next?: ShareAction;
}

/** What every form on the page is given. */
export interface ActionFormProps {
  share: Share;
  /** Fetches the share again (after a conflict the form stays open over fresh data). */
  reload: () => Promise<unknown>;
  onDone: (outcome: Outcome) => void;
  onCancel: () => void;
}
