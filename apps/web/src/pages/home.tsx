import { Result } from 'antd';
import { Navigate } from 'react-router';
import { useSession } from '../auth';
import { UNIT_ROLES } from '../labels';

/** Where `/` leads: each role's home (UI.md). */
export default function HomePage() {
  const { viewer } = useSession();
  if (viewer && UNIT_ROLES.includes(viewer.role)) return <Navigate to="/tasks" replace />;
  if (viewer?.role === 'ADMIN') return <Navigate to="/system" replace />;
  if (viewer?.role === 'INSPECTOR') return <Navigate to="/supervision" replace />;
  if (viewer?.role === 'LEADER') return <Navigate to="/overview" replace />;
  return null;
}

export function NotFoundPage() {
  return <Result status="404" title="页面不存在" />;
}
