import './app/mantine-styles';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { configureApi } from './app/api';
import { App } from './app/App';
import { fetchMe, meQuery } from './app/auth';
import { initI18n } from './app/i18n';
import { queryClient } from './app/queryClient';
import { tenantQuery } from './app/tenant';

configureApi({
  // The session ended elsewhere (expired, signed out on another device): forget the user.
  onUnauthenticated: () => queryClient.setQueryData(meQuery.queryKey, null),
  refreshCsrf: async () => {
    const me = await fetchMe();
    queryClient.setQueryData(meQuery.queryKey, me);
    return me?.csrfToken ?? null;
  },
});

// The government and the session are fetched while the language loads.
void queryClient.prefetchQuery(tenantQuery);
void queryClient.prefetchQuery(meQuery);

await initI18n();

// The app shell works offline (web/public/sw.js), so a report waiting on the device can be sent
// later; the worker never touches the API. Only in builds: the dev server serves modules unhashed.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  const register = () =>
    navigator.serviceWorker
      .register('/sw.js')
      .then(() => navigator.serviceWorker.ready)
      // The files this page loaded before the worker took over, for the next visit without a connection.
      .then((reg) => reg.active?.postMessage({ assets: performance.getEntriesByType('resource').map((e) => e.name) }))
      .catch(() => {});
  if (document.readyState === 'complete') void register();
  else window.addEventListener('load', () => void register(), { once: true });
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
