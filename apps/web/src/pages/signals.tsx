import { useQuery } from '@apollo/client/react';
import { Tag, Typography } from 'antd';
import { graphql } from '../gql';
import type { AssignmentStatus, DueKind, Light } from '../gql/graphql';
import { formatDue, LIGHT_COLOR, lightWord, STATUS_LABEL } from '../labels';
import { shortDate, workdaysLeft, type SpecialDay } from '../workdays';

const CALENDAR = graphql(`
  query WorkCalendar($year: Int!, $next: Int!) {
    thisYear: workCalendar(year: $year) {
      specialDays {
        day
        workday
      }
    }
    nextYear: workCalendar(year: $next) {
      specialDays {
        day
        workday
      }
    }
  }
`);

/** The holidays and make-up workdays of this year and the next: enough to count working days to a due date. */
export function useWorkCalendar(): SpecialDay[] | undefined {
  const year = new Date().getFullYear();
  const { data } = useQuery(CALENDAR, { variables: { year, next: year + 1 } });
  return data ? [...data.thisYear.specialDays, ...data.nextYear.specialDays] : undefined;
}

/** A dot plus its word, never colour alone. */
export function LightLabel({ assignment }: { assignment: { light?: Light | null; daysOverdue: number } }) {
  const { light, daysOverdue } = assignment;
  return (
    <span className="light">
      <span
        className="light-dot"
        style={{ background: light ? LIGHT_COLOR[light] : '#bfbfbf' }}
        aria-hidden
      />
      {lightWord(light, daysOverdue)}
    </span>
  );
}

/** 2026-12-31 with 剩余 5 个工作日 / 逾期 3 天 beside it. */
export function DueDate({
  assignment,
  calendar,
}: {
  assignment: { dueAt: string; dueKind?: DueKind | null; daysOverdue: number; status: string };
  calendar: SpecialDay[] | undefined;
}) {
  const { dueAt, daysOverdue, status } = assignment;
  let hint: string | null = null;
  // An ongoing duty (长期) has no date to count down to.
  if (status === 'CLOSED' || assignment.dueKind === 'ONGOING') hint = null;
  else if (daysOverdue > 0) hint = `逾期 ${daysOverdue} 天`;
  else if (calendar) hint = `剩余 ${workdaysLeft(new Date(), new Date(dueAt), calendar)} 个工作日`;
  return (
    <span>
      {formatDue(assignment, shortDate)}
      {hint && (
        <Typography.Text
          type={daysOverdue > 0 ? 'danger' : 'secondary'}
          style={{ marginLeft: 8, fontSize: 12 }}
        >
          {hint}
        </Typography.Text>
      )}
    </span>
  );
}

/** The status in the schema's words, in colours that keep their contrast. */
export function StatusTag({ status }: { status: AssignmentStatus }) {
  return <Tag className={`status status-${status}`}>{STATUS_LABEL[status]}</Tag>;
}
