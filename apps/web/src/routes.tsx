import { useReactiveVar } from '@apollo/client/react';
import { Spin } from 'antd';
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
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

/** A page of the workbench, with a spinner while its code loads. */
const page = (element: ReactNode) => <Suspense fallback={<Spin />}>{element}</Suspense>;

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
          <Route path="forbidden" element={page(<ForbiddenPage />)} />
          <Route path="*" element={page(<NotFoundPage />)} />
        </Route>
      </Routes>
    </>
  );
}
