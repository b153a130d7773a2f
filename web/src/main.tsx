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

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
