import { Route, Routes } from 'react-router';
import { useSession } from '../../auth';
import { ForbiddenPage } from '../forbidden';
import ExcelImportPage from './excel-import';
import PlanPage from './plan-page';
import PlansPage from './plans';
import './decomposition.css';

/** 任务分解 under /decomposition: for those who assign tasks (区领导, 管理员). */
export default function DecompositionRoutes() {
  const { viewer } = useSession();
  if (viewer?.role !== 'LEADER' && viewer?.role !== 'ADMIN') {
    return <ForbiddenPage message="任务分解仅区领导和管理员可用" />;
  }
  return (
    <Routes>
      <Route index element={<PlansPage />} />
      <Route path="import" element={<ExcelImportPage />} />
      <Route path=":planId" element={<PlanPage />} />
    </Routes>
  );
}
