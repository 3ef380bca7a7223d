import { Navigate, Route, Routes } from 'react-router';
import { useSession } from '../../auth';
import { ForbiddenPage } from '../forbidden';
import ApprovalFlowsPage from './approval-flows';
import CalendarPage from './calendar';
import ChannelsPage from './channels';
import EscalationPage from './escalation';
import AdminHome from './index';
import KeywordsPage from './keywords';
import QueuesPage from './queues';
import UnitsPage from './units';
import UsersPage from './users';
import './admin.css';

/** The 系统管理 pages under /system: admins only, but for a unit head's own robots (通知渠道). */
export default function AdminRoutes() {
  const { viewer } = useSession();
  const head = viewer?.role === 'DEPARTMENT_HEAD' || viewer?.role === 'SUBDISTRICT_HEAD';
  if (viewer?.role !== 'ADMIN') {
    return (
      <Routes>
        {head && <Route path="channels" element={<ChannelsPage />} />}
        <Route path="*" element={<ForbiddenPage message="系统管理仅管理员可用" />} />
      </Routes>
    );
  }
  return (
    <Routes>
      <Route index element={<AdminHome />} />
      <Route path="users" element={<UsersPage />} />
      <Route path="units" element={<UnitsPage />} />
      <Route path="calendar" element={<CalendarPage />} />
      <Route path="escalation" element={<EscalationPage />} />
      <Route path="approval-flows" element={<ApprovalFlowsPage />} />
      <Route path="keywords" element={<KeywordsPage />} />
      <Route path="channels" element={<ChannelsPage />} />
      <Route path="queues" element={<QueuesPage />} />
      <Route path="*" element={<Navigate to="/system" replace />} />
    </Routes>
  );
}
