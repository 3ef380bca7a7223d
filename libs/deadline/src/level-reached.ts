/**
 * The action of the highest level a share's ladder has fired in its current cycle, as SQL over an `assignment`
 * alias (NULL when none). A level the 督查室 skipped moves the ladder on (`escalation_state.last_level`) but was
 * never sent, so it is not a level reached.
 */
export const levelReachedSql = (a: string) =>
  `(SELECT e.action FROM escalation e
      JOIN escalation_state es ON es.assignment_id = e.assignment_id AND es.cycle = e.cycle
    WHERE e.assignment_id = ${a}.id AND e.outcome = 'FIRED' ORDER BY e.level DESC LIMIT 1)`;
