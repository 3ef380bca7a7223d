import { Result } from 'antd';
import { Navigate } from 'react-router';
import { useSession } from '../auth';
import { UNIT_ROLES } from '../labels';

/** Where `/` leads: the unit's list for unit staff; the other roles' homes come with their pages. */
export default function HomePage() {
  const { viewer } = useSession();
  if (viewer && UNIT_ROLES.includes(viewer.role)) return <Navigate to="/tasks" replace />;
  if (viewer?.role === 'ADMIN') return <Navigate to="/system" replace />;
  if (viewer?.role === 'INSPECTOR') return <Navigate to="/supervision" replace />;
  return <Result status="info" title="本角色的页面即将上线" subTitle="目前可用的是街镇、部门的任务页面。" />;
}

export function NotFoundPage() {
  return <Result status="404" title="页面不存在" />;
}
