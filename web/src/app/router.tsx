import { Component, type ComponentType, lazy, type ReactNode, Suspense, useLayoutEffect } from 'react';
import { BrowserRouter, Outlet, type RouteObject, useLocation, useNavigationType, useRoutes } from 'react-router';
import { PublicLayout } from '../modules/portal/PublicLayout';
import { LoadingState } from '../ui/PageState';
import { RouteFocus } from '../ui/Page';
import { RouteError } from '../ui/RouteError';
import { basePath } from './base';
import { ensureLocale } from './i18n';

/** Also a chunk of its own: most visits never need it. */
const NotFoundPage = lazy(async () => ({ default: (await import('../ui/NotFoundPage')).NotFoundPage }));
import { RouteErrorContext } from './routeError';

/** Sections of the language files a route shows; routes that do not say get all of them. */
export interface RouteHandle {
  locales?: string[];
}

/** A new page starts at the top; back and forward keep the browser's own scroll position. */
function ScrollToTop() {
  const { pathname } = useLocation();
  const type = useNavigationType();
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every change of page, by design
  useLayoutEffect(() => {
    if (type !== 'POP') window.scrollTo(0, 0);
  }, [pathname]);
  return null;
}

function Root() {
  return (
    <>
      <RouteFocus />
      <ScrollToTop />
      <Outlet />
    </>
  );
}

/**
 * Routes. Every page is its own chunk, loaded on first visit with the sections of the language
 * files it names in `handle.locales` (all of them when it does not), so residents on a phone
 * download only the public pages they open. Rendered by React Router in declarative mode (see
 * `AppRouter`): its data router alone would add some 17 KB of gzipped JavaScript to every page.
 */
export const routes: RouteObject[] = [
  {
    Component: Root,
    errorElement: <RouteError />,
    children: [
      // The waiting-room TV: full screen, without the portal's header and footer.
      {
        path: 'antrean/:facilityId',
        errorElement: <RouteError />,
        handle: { locales: ['health'] },
        lazy: async () => ({ Component: (await import('../modules/health/QueueDisplayPage')).QueueDisplayPage }),
      },
      {
        Component: PublicLayout,
        errorElement: <RouteError />,
        children: [
          { index: true, handle: { locales: [] }, lazy: async () => ({ Component: (await import('../modules/portal/PortalPage')).PortalPage }) },
          { path: 'masuk', lazy: async () => ({ Component: (await import('../modules/auth/LoginPage')).LoginPage }) },
          { path: 'daftar', lazy: async () => ({ Component: (await import('../modules/auth/RegisterPage')).RegisterPage }) },
          { path: 'lupa-sandi', lazy: async () => ({ Component: (await import('../modules/auth/ForgotPasswordPage')).ForgotPasswordPage }) },
          { path: 'reset-password', lazy: async () => ({ Component: (await import('../modules/auth/ResetPasswordPage')).ResetPasswordPage }) },
          { path: 'akun', lazy: async () => ({ Component: (await import('../modules/account/AccountPage')).CitizenAccountPage }) },
          { path: 'akun/laporan', lazy: async () => ({ Component: (await import('../modules/complaints/MyReportsPage')).MyReportsPage }) },
          { path: 'lapor', handle: { locales: ['report', 'complaintKind'] }, lazy: async () => ({ Component: (await import('../modules/complaints/ReportPage')).ReportPage }) },
          { path: 'lapor/peta', handle: { locales: ['publicMap', 'complaintStatus'] }, lazy: async () => ({ Component: (await import('../modules/complaints/PublicMapPage')).PublicMapPage }) },
          { path: 'lapor/transparansi', lazy: async () => ({ Component: (await import('../modules/complaints/TransparencyPage')).TransparencyPage }) },
          { path: 'lapor/lacak', lazy: async () => ({ Component: (await import('../modules/complaints/TrackPage')).TrackFormPage }) },
          { path: 'lapor/lacak/:code', lazy: async () => ({ Component: (await import('../modules/complaints/TrackPage')).TrackPage }) },
          { path: 'sehat', handle: { locales: ['health'] }, lazy: async () => ({ Component: (await import('../modules/health/HealthHomePage')).HealthHomePage }) },
          { path: 'sehat/rawat-inap', handle: { locales: ['health'] }, lazy: async () => ({ Component: (await import('../modules/health/InpatientRequestPage')).InpatientRequestPage }) },
          { path: 'sehat/tempat-tidur', handle: { locales: ['health'] }, lazy: async () => ({ Component: (await import('../modules/health/BedsPage')).BedsPage }) },
          { path: 'sehat/:facilityId/dokter', handle: { locales: ['health'] }, lazy: async () => ({ Component: (await import('../modules/health/OnDutyPage')).OnDutyPage }) },
          { path: 'sehat/:facilityId', handle: { locales: ['health'] }, lazy: async () => ({ Component: (await import('../modules/health/RegisterVisitPage')).RegisterVisitPage }) },
          { path: 'akun/kunjungan', handle: { locales: ['health'] }, lazy: async () => ({ Component: (await import('../modules/health/VisitPage')).MyVisitsPage }) },
          { path: 'akun/kunjungan/:id', handle: { locales: ['health'] }, lazy: async () => ({ Component: (await import('../modules/health/VisitPage')).VisitPage }) },
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
          { path: 'admin/pengaduan', lazy: async () => ({ Component: (await import('../modules/complaints/admin/CategoriesPage')).CategoriesPage }) },
          { path: 'staf/pengaduan', lazy: async () => ({ Component: (await import('../modules/complaints/InboxPage')).InboxPage }) },
          { path: 'staf/pengaduan/statistik', lazy: async () => ({ Component: (await import('../modules/complaints/StatsPage')).StatsPage }) },
          { path: 'staf/pengaduan/masuk', lazy: async () => ({ Component: (await import('../modules/complaints/IntakeQueuePage')).IntakeQueuePage }) },
          { path: 'staf/call-centre', lazy: async () => ({ Component: (await import('../modules/complaints/CallCentrePage')).CallCentrePage }) },
          { path: 'staf/antrean', lazy: async () => ({ Component: (await import('../modules/health/QueueConsolePage')).QueueConsolePage }) },
          { path: 'staf/rawat-inap', lazy: async () => ({ Component: (await import('../modules/health/InpatientPage')).InpatientPage }) },
          { path: 'staf/layanan-kesehatan', lazy: async () => ({ Component: (await import('../modules/health/ServicesPage')).ServicesPage }) },
          { path: 'staf/jadwal-dokter', lazy: async () => ({ Component: (await import('../modules/health/RosterPage')).RosterPage }) },
          { path: 'staf/farmasi', lazy: async () => ({ Component: (await import('../modules/health/PharmacyPage')).PharmacyPage }) },
          { path: 'staf/pengaduan/:id', lazy: async () => ({ Component: (await import('../modules/complaints/DetailPage')).DetailPage }) },
          { path: 'admin/*', Component: NotFoundPage },
        ],
      },
    ],
  },
];

type LazyRoute = () => Promise<{ Component?: ComponentType | null }>;

class Boundary extends Component<{ fallback: ReactNode; resetKey: string; children: ReactNode }, { error: unknown; failed: boolean; key: string }> {
  override state = { error: undefined as unknown, failed: false, key: this.props.resetKey };
  static getDerivedStateFromError(error: unknown) {
    return { error, failed: true };
  }
  static getDerivedStateFromProps(props: { resetKey: string }, state: { key: string }) {
    // Another page: try rendering again (e.g. after a failed chunk load on a flaky connection).
    return props.resetKey === state.key ? null : { error: undefined, failed: false, key: props.resetKey };
  }
  override render() {
    return this.state.failed ? <RouteErrorContext.Provider value={this.state.error}>{this.props.fallback}</RouteErrorContext.Provider> : this.props.children;
  }
}

function RouteBoundary({ fallback, children }: { fallback: ReactNode; children: ReactNode }) {
  const { pathname } = useLocation();
  return (
    <Boundary fallback={fallback} resetKey={pathname}>
      {children}
    </Boundary>
  );
}

/** A route object of the list above as React Router's declarative mode renders it. */
function toElementRoute(r: RouteObject): RouteObject {
  let element: ReactNode =
    r.element ??
    (r.Component ? (
      <Suspense fallback={<LoadingState />}>
        <r.Component />
      </Suspense>
    ) : undefined);
  if (element === undefined && typeof r.lazy === 'function') {
    const load = r.lazy as LazyRoute;
    const sections = (r.handle as RouteHandle | undefined)?.locales;
    const Page = lazy(async () => {
      const [mod] = await Promise.all([load(), ensureLocale(sections ?? 'all')]);
      return { default: mod.Component ?? (() => null) };
    });
    element = (
      <Suspense fallback={<LoadingState />}>
        <Page />
      </Suspense>
    );
  }
  if (element === undefined && r.children) element = <Outlet />;
  if (r.errorElement) element = <RouteBoundary fallback={r.errorElement}>{element}</RouteBoundary>;
  return { path: r.path, index: r.index, caseSensitive: r.caseSensitive, element, children: r.children?.map(toElementRoute) } as RouteObject;
}

const elementRoutes = routes.map(toElementRoute);

function AppRoutes() {
  return useRoutes(elementRoutes);
}

/** The app's pages under this government's base path. */
export function AppRouter() {
  return (
    <BrowserRouter basename={basePath || '/'}>
      <AppRoutes />
    </BrowserRouter>
  );
}
