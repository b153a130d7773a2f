import { createBrowserRouter, Outlet, type RouteObject, ScrollRestoration } from 'react-router';
import { PortalPage } from '../modules/portal/PortalPage';
import { PublicLayout } from '../modules/portal/PublicLayout';
import { NotFoundPage } from '../ui/NotFoundPage';
import { LoadingState } from '../ui/PageState';
import { RouteFocus } from '../ui/Page';
import { RouteError } from '../ui/RouteError';
import { basePath } from './base';

function Root() {
  return (
    <>
      <RouteFocus />
      <ScrollRestoration />
      <Outlet />
    </>
  );
}

/**
 * Routes. The portal is in the entry chunk; every other page is its own chunk, loaded on first
 * visit, so residents on a phone download only the public pages they open.
 */
export const routes: RouteObject[] = [
  {
    Component: Root,
    HydrateFallback: () => <LoadingState />,
    errorElement: <RouteError />,
    children: [
      {
        Component: PublicLayout,
        errorElement: <RouteError />,
        children: [
          { index: true, Component: PortalPage },
          { path: 'masuk', lazy: async () => ({ Component: (await import('../modules/auth/LoginPage')).LoginPage }) },
          { path: 'daftar', lazy: async () => ({ Component: (await import('../modules/auth/RegisterPage')).RegisterPage }) },
          { path: 'lupa-sandi', lazy: async () => ({ Component: (await import('../modules/auth/ForgotPasswordPage')).ForgotPasswordPage }) },
          { path: 'reset-password', lazy: async () => ({ Component: (await import('../modules/auth/ResetPasswordPage')).ResetPasswordPage }) },
          { path: 'akun', lazy: async () => ({ Component: (await import('../modules/account/AccountPage')).CitizenAccountPage }) },
          { path: 'lapor', lazy: async () => ({ Component: (await import('../modules/complaints/ReportPage')).ReportPage }) },
          { path: 'lapor/lacak', lazy: async () => ({ Component: (await import('../modules/complaints/TrackPage')).TrackFormPage }) },
          { path: 'lapor/lacak/:code', lazy: async () => ({ Component: (await import('../modules/complaints/TrackPage')).TrackPage }) },
          { path: '*', Component: NotFoundPage },
        ],
      },
      {
        // The staff workspace: its own pages under /kerja, and the pages of the navigation at the
        // paths the server lists them (/admin/…, and each module's own), as in e-mailed links.
        lazy: async () => ({ Component: (await import('../modules/workspace/WorkspaceLayout')).WorkspaceLayout }),
        errorElement: <RouteError />,
        children: [
          { path: 'kerja', lazy: async () => ({ Component: (await import('../modules/workspace/WorkspaceHome')).WorkspaceHome }) },
          { path: 'kerja/akun', lazy: async () => ({ Component: (await import('../modules/account/AccountPage')).StaffAccountPage }) },
          { path: 'kerja/notifikasi', lazy: async () => ({ Component: (await import('../modules/workspace/NotificationsPage')).NotificationsPage }) },
          { path: 'kerja/*', Component: NotFoundPage },
          { path: 'admin/units', lazy: async () => ({ Component: (await import('../modules/admin/units/UnitsPage')).UnitsPage }) },
          { path: 'admin/users', lazy: async () => ({ Component: (await import('../modules/admin/users/UsersPage')).UsersPage }) },
          { path: 'admin/users/:id', lazy: async () => ({ Component: (await import('../modules/admin/users/UserDetailPage')).UserDetailPage }) },
          { path: 'admin/settings', lazy: async () => ({ Component: (await import('../modules/admin/settings/SettingsPage')).SettingsPage }) },
          { path: 'admin/calendar', lazy: async () => ({ Component: (await import('../modules/admin/calendar/CalendarPage')).CalendarPage }) },
          { path: 'admin/audit', lazy: async () => ({ Component: (await import('../modules/admin/audit/AuditPage')).AuditPage }) },
          { path: 'admin/outbox', lazy: async () => ({ Component: (await import('../modules/admin/outbox/OutboxPage')).OutboxPage }) },
          { path: 'admin/outbox/:id', lazy: async () => ({ Component: (await import('../modules/admin/outbox/OutboxPage')).OutboxDetailPage }) },
          { path: 'staf/pengaduan', lazy: async () => ({ Component: (await import('../modules/complaints/InboxPage')).InboxPage }) },
          { path: 'admin/*', Component: NotFoundPage },
        ],
      },
    ],
  },
];

export const router = createBrowserRouter(routes, { basename: basePath || '/' });
