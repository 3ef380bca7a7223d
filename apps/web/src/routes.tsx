import { useReactiveVar } from '@apollo/client/react';
import { Spin } from 'antd';
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation, useParams } from 'react-router';
import { sessionExpired } from './apollo';
import { useSession } from './auth';
import { SignInPage } from './pages/sign-in';

// Split by route: the sign-in page loads without the workbench's code (nor the antd components only it uses).
const Workbench = lazy(() => import('./workbench'));
const HomePage = lazy(() => import('./pages/home'));
const NotFoundPage = lazy(() => import('./pages/home').then((m) => ({ default: m.NotFoundPage })));
const ForbiddenPage = lazy(() => import('./pages/forbidden').then((m) => ({ default: m.ForbiddenPage })));
const MyTasksPage = lazy(() => import('./pages/my-tasks'));
const UnitPage = lazy(() => import('./pages/unit'));
const SharePage = lazy(() => import('./pages/share'));
const ApprovalInboxPage = lazy(() => import('./pages/approvals/inbox'));
const ApprovalRequestPage = lazy(() => import('./pages/approvals/request'));
const NotificationsPage = lazy(() => import('./pages/notifications/notifications'));
const NoticeRedirect = lazy(() => import('./pages/notifications/notice-redirect'));
const SupervisionBoardPage = lazy(() => import('./pages/inspector/supervision-board'));
const SupervisionNoticesPage = lazy(() => import('./pages/inspector/notices'));
const SupervisionNoticePage = lazy(() => import('./pages/inspector/notice'));
const MissingReportsPage = lazy(() => import('./pages/inspector/missing-reports'));
const BulletinPage = lazy(() => import('./pages/inspector/bulletin'));
const AdminPages = lazy(() => import('./pages/admin/routes'));
const OverviewPages = lazy(() => import('./pages/overview/routes'));
const PlanTaskPages = lazy(() => import('./pages/plan-tasks/routes'));
const DecompositionPages = lazy(() => import('./pages/decomposition/routes'));

/** A page of the workbench, with a spinner while its code loads. */
const page = (element: ReactNode) => <Suspense fallback={<Spin />}>{element}</Suspense>;

/** The address the API writes in robot messages for a share (`/assignments/:id`) is its page in 我的任务. */
function ShareRedirect() {
  const { id = '' } = useParams();
  return <Navigate to={`/tasks/${id}`} replace />;
}

/** A 督办单 is worked on its own page by the 督查室; a unit answers it on its share's page. */
function NoticeRoute() {
  const { viewer } = useSession();
  return page(viewer?.role === 'INSPECTOR' ? <SupervisionNoticePage /> : <NoticeRedirect />);
}

function RequireSession({ children }: { children: ReactNode }) {
  const { viewer, loading } = useSession();
  const location = useLocation();
  if (loading && !viewer) return <Spin fullscreen tip="正在载入…" />;
  if (!viewer) {
    const from = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?from=${encodeURIComponent(from)}`} replace />;
  }
  return children;
}

/** An expired session (any request answered UNAUTHENTICATED) drops the session: the guard sends to sign-in. */
function SessionWatcher() {
  const expired = useReactiveVar(sessionExpired);
  const { viewer, signOut } = useSession();
  useEffect(() => {
    if (expired && viewer) {
      void signOut();
    }
  }, [expired, viewer, signOut]);
  return null;
}

export function AppRoutes() {
  return (
    <>
      <SessionWatcher />
      <Routes>
        <Route path="/login" element={<SignInPage />} />
        <Route
          element={
            <RequireSession>
              <Suspense fallback={<Spin fullscreen tip="正在载入…" />}>
                <Workbench />
              </Suspense>
            </RequireSession>
          }
        >
          <Route index element={page(<HomePage />)} />
          <Route path="tasks" element={page(<MyTasksPage />)} />
          <Route path="tasks/:id" element={page(<SharePage />)} />
          <Route path="unit" element={page(<UnitPage />)} />
          <Route path="assignments/:id" element={<ShareRedirect />} />
          <Route path="approvals" element={page(<ApprovalInboxPage />)} />
          <Route path="approvals/:id" element={page(<ApprovalRequestPage />)} />
          <Route path="notifications" element={page(<NotificationsPage />)} />
          <Route path="supervision" element={page(<SupervisionBoardPage />)} />
          <Route path="supervision-notices" element={page(<SupervisionNoticesPage />)} />
          <Route path="supervision-notices/:id" element={<NoticeRoute />} />
          <Route path="reports/missing" element={page(<MissingReportsPage />)} />
          <Route path="bulletin" element={page(<BulletinPage />)} />
          <Route path="system/*" element={page(<AdminPages />)} />
          {/* 总览 (/overview), a unit's board (/units/:id) and 指标 (/indicators) share one chunk. */}
          {['overview/*', 'units/*', 'indicators/*'].map((path) => (
            <Route key={path} path={path} element={page(<OverviewPages />)} />
          ))}
          <Route path="plan-tasks/*" element={page(<PlanTaskPages />)} />
          <Route path="decomposition/*" element={page(<DecompositionPages />)} />
          <Route path="forbidden" element={page(<ForbiddenPage />)} />
          <Route path="*" element={page(<NotFoundPage />)} />
        </Route>
      </Routes>
    </>
  );
}
