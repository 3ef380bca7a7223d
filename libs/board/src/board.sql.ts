/** SQL the leader board and the share lists both use. */

/** The light's values as named parameters of a query builder (set from lightParams()). */
export const NAMED_LIGHT_PARAMS = {
  now: ':now',
  dayStart: ':dayStart',
  warningEnd: ':warningEnd',
  lagPoints: ':lagPoints',
};
