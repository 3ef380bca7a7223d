/**
 * What a deadline is: a date, an ongoing duty (长期坚持, 持续推进) or a recurring one (每季度, 每月). Apart from
 * the entities so that reading a document needs no GraphQL or TypeORM; registered for GraphQL in
 * due-kind.graphql.ts.
 */
export enum DueKind {
  /** Done by a date (完成时限 2026年6月底). */
  DATE = 'DATE',
  /** 长期坚持, 持续推进: no due date, reported on every period, never overdue; shown as 长期. */
  ONGOING = 'ONGOING',
  /** 每季度, 每月…: a milestone at the end of each period, the share due at the last one. */
  RECURRING = 'RECURRING',
}

/** How often a RECURRING deadline comes round. */
export enum Recurrence {
  MONTHLY = 'MONTHLY',
  QUARTERLY = 'QUARTERLY',
  HALF_YEARLY = 'HALF_YEARLY',
  YEARLY = 'YEARLY',
}
