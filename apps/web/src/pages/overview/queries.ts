import { graphql } from '../../gql';

graphql(`
  fragment UnitRank on UnitFigures {
    orgUnitId
    orgUnit {
      id
      name
    }
    score
    rank
    assigned
    closed
    closedOnTime
    open
    overdue
    onTimeRate
    red
    yellow
    green
    openNotices
  }
`);

/** Up to 100 units of each kind: a district has some 60 departments and 29 subdistricts and towns. */
export const LEADER_OVERVIEW = graphql(`
  query LeaderOverview($planId: ID) {
    leaderBoard(planId: $planId) {
      asOf
      totals {
        assigned
        closed
        closedOnTime
        open
        overdue
        onTimeRate
        openNotices
      }
      departments: units(kind: "DEPARTMENT", first: 100) {
        totalCount
        edges {
          node {
            ...UnitRank
          }
        }
      }
      locals: units(kind: "LOCAL", first: 100) {
        totalCount
        edges {
          node {
            ...UnitRank
          }
        }
      }
      trend(weeks: 12) {
        week
        due
        closed
        dueToDate
        closedToDate
      }
    }
  }
`);
