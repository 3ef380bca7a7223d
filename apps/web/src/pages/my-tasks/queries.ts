import { graphql } from '../../gql';
import type { MyBoardQuery } from '../../gql/graphql';

graphql(`
  fragment ShareRow on Assignment {
    id
    status
    light
    daysOverdue
    dueAt
    dueKind
    progressPercent
    lastReportAt
    updatedAt
    role
    nextEscalation {
      label
    }
    task {
      id
      code
      title
    }
  }
`);

/** The board's columns (counts by status, for the status filter and the kanban's headers). */
export const BOARD = graphql(`
  query MyBoard($orgUnitId: ID, $filter: UnitBoardFilter) {
    unitBoard(orgUnitId: $orgUnitId, filter: $filter) {
      orgUnit {
        id
        name
      }
      columns {
        status
        count
      }
    }
  }
`);

/** A page of the list: the table's, or one kanban column's. */
export const SHARE_ITEMS = graphql(`
  query ShareItems(
    $orgUnitId: ID
    $filter: UnitBoardFilter
    $status: AssignmentStatus
    $orderBy: UnitBoardOrder!
    $direction: SortDirection!
    $first: Int!
    $after: String
  ) {
    unitBoard(orgUnitId: $orgUnitId, filter: $filter) {
      items(status: $status, orderBy: $orderBy, direction: $direction, first: $first, after: $after) {
        totalCount
        pageInfo {
          endCursor
          hasNextPage
        }
        edges {
          node {
            ...ShareRow
          }
        }
      }
    }
  }
`);

export type StatusCount = MyBoardQuery['unitBoard']['columns'][number];
