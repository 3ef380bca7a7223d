import { Route, Routes, useLocation } from 'react-router';
import { NotFoundPage } from '../home';
import IndicatorsPage from './indicators';
import OverviewPage from './overview';
import UnitBoardPage from './unit-board';

/**
 * 总览 (/overview), a unit's board (/units/:id) and 指标 (/indicators): one chunk (with ECharts), mounted by the
 * app under each of the three paths; which page is told by the path's first segment.
 */
export default function OverviewRoutes() {
  const [first] = useLocation().pathname.split('/').filter(Boolean);
  return (
    <Routes>
      {first === 'units' && <Route path=":id" element={<UnitBoardPage />} />}
      {first === 'overview' && <Route index element={<OverviewPage />} />}
      {first === 'indicators' && <Route index element={<IndicatorsPage />} />}
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
