import { useReactiveVar } from '@apollo/client/react';
import { Result, Spin } from 'antd';
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { sessionExpired } from './apollo';
import { useSession } from './auth';
import { AppLayout } from './layout';
import { UNIT_ROLES } from './labels';
import { ForbiddenPage } from './pages/forbidden';
import { SignInPage } from './pages/sign-in';

// Split by route: the sign-in page loads without the workbench's code.
const MyTasksPage = lazy(() => import('./pages/my-tasks'));
const SharePage = lazy(() => import('./pages/share'));
const SupervisionBoardPage = lazy(() => import('./pages/inspector/supervision-board'));
const SupervisionNoticesPage = lazy(() => import('./pages/inspector/notices'));
const SupervisionNoticePage = lazy(() => import('./pages/inspector/notice'));
const MissingReportsPage = lazy(() => import('./pages/inspector/missing-reports'));
const BulletinPage = lazy(() => import('./pages/inspector/bulletin'));

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
          {[
            { path: 'supervision', Page: SupervisionBoardPage },
            { path: 'supervision-notices', Page: SupervisionNoticesPage },
            { path: 'supervision-notices/:id', Page: SupervisionNoticePage },
            { path: 'reports/missing', Page: MissingReportsPage },
            { path: 'bulletin', Page: BulletinPage },
          ].map(({ path, Page }) => (
            <Route
              key={path}
              path={path}
              element={
                <Suspense fallback={<Spin />}>
                  <Page />
                </Suspense>
              }
            />
          ))}
          <Route path="forbidden" element={<ForbiddenPage />} />
          <Route path="*" element={<Result status="404" title="页面不存在" />} />
        </Route>
      </Routes>
    </>
  );
}
