import { useQuery } from '@apollo/client/react';
import { Result, Spin } from 'antd';
import { Navigate, useParams } from 'react-router';
import { classifyError } from '../../errors';
import { graphql } from '../../gql';
import { ForbiddenPage } from '../forbidden';

const NOTICE_SHARE = graphql(`
  query NoticeShare($id: ID!) {
    supervisionNotice(id: $id) {
      id
      assignmentId
    }
  }
`);

/**
 * A 督办单's address (a notification's, or a robot message's link): the unit answers it on its share's page, so
 * this forwards there.
 */
export default function NoticeRedirect() {
  const { id = '' } = useParams();
  const { data, error } = useQuery(NOTICE_SHARE, { variables: { id } });
  if (data) return <Navigate to={`/tasks/${data.supervisionNotice.assignmentId}`} replace />;
  if (error) {
    const mapped = classifyError(error);
    if (mapped.kind === 'forbidden') return <ForbiddenPage message={mapped.message} />;
    return <Result status="warning" title="无法载入该督办单" subTitle={mapped.message} />;
  }
  return <Spin />;
}
