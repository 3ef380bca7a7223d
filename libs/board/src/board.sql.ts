/** SQL the leader board and the share lists both use. */

/** The light's values as named parameters of a query builder (set from lightParams()). */
export const NAMED_LIGHT_PARAMS = {
  now: ':now',
  dayStart: ':dayStart',
  warningEnd: ':warningEnd',
  lagPoints: ':lagPoints',
};

/** Whether share `a` is under an open 督办单 (the light is red then). */
export const OPEN_NOTICE = (a: string) =>
  `EXISTS (SELECT 1 FROM supervision_notice n WHERE n.assignment_id = ${a}.id AND n.status <> 'CLOSED')`;
