import { useReactiveVar } from '@apollo/client/react';
import { Result, Spin } from 'antd';
import { lazy, Suspense, useEffect, type ComponentType, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation, useParams } from 'react-router';
import { sessionExpired } from './apollo';
import { useSession } from './auth';
import { AppLayout } from './layout';
import { UNIT_ROLES } from './labels';
import { ForbiddenPage } from './pages/forbidden';
import { SignInPage } from './pages/sign-in';

// Split by route: the sign-in page loads without the workbench's code.
const MyTasksPage = lazy(() => import('./pages/my-tasks'));
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

/** A page split off by route, with a spinner while its code loads. */
const suspended = (Page: ComponentType) => (
  <Suspense fallback={<Spin />}>
    <Page />
  </Suspense>
);

/** A 督办单 is worked on its own page by the 督查室; a unit answers it on its share's page. */
function NoticeRoute() {
  const { viewer } = useSession();
  return suspended(viewer?.role === 'INSPECTOR' ? SupervisionNoticePage : NoticeRedirect);
}

/** The address the API writes in robot messages for a share (`/assignments/:id`) is its page in 我的任务. */
function ShareRedirect() {
  const { id = '' } = useParams();
  return <Navigate to={`/tasks/${id}`} replace />;
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

function Home() {
  const { viewer } = useSession();
  if (viewer && UNIT_ROLES.includes(viewer.role)) return <Navigate to="/tasks" replace />;
  if (viewer?.role === 'ADMIN') return <Navigate to="/system" replace />;
  if (viewer?.role === 'INSPECTOR') return <Navigate to="/supervision" replace />;
  return <Result status="info" title="本角色的页面即将上线" subTitle="目前可用的是街镇、部门的任务页面。" />;
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
              <AppLayout />
            </RequireSession>
          }
        >
          <Route index element={<Home />} />
          <Route
            path="tasks"
            element={
              <Suspense fallback={<Spin />}>
                <MyTasksPage />
              </Suspense>
            }
          />
          <Route
            path="tasks/:id"
            element={
              <Suspense fallback={<Spin />}>
                <SharePage />
              </Suspense>
            }
          />
          <Route path="assignments/:id" element={<ShareRedirect />} />
          <Route path="approvals" element={suspended(ApprovalInboxPage)} />
          <Route path="approvals/:id" element={suspended(ApprovalRequestPage)} />
          <Route path="notifications" element={suspended(NotificationsPage)} />
          <Route path="supervision-notices/:id" element={<NoticeRoute />} />
          <Route path="system/*" element={suspended(AdminPages)} />
          <Route path="supervision" element={suspended(SupervisionBoardPage)} />
          <Route path="supervision-notices" element={suspended(SupervisionNoticesPage)} />
          <Route path="reports/missing" element={suspended(MissingReportsPage)} />
          <Route path="bulletin" element={suspended(BulletinPage)} />
          <Route path="forbidden" element={<ForbiddenPage />} />
          <Route path="*" element={<Result status="404" title="页面不存在" />} />
        </Route>
      </Routes>
    </>
  );
}
