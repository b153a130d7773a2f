import type { Scenario } from './index.js';
import { rotate } from './index.js';

/** The platform's scenarios and the baselines they are compared with. */
export const platformScenarios: Scenario[] = [
  {
    name: 'baseline-bare',
    description: 'bare Fastify route, no database',
    server: 'baseline',
    request: () => ({ method: 'GET', path: '/bare' }),
  },
  {
    name: 'healthz',
    description: 'GET /healthz through the full app (hooks, helmet, tenant, metrics)',
    server: 'app',
    request: () => ({ method: 'GET', path: '/healthz' }),
    baseline: 'baseline-bare',
  },
  {
    name: 'baseline-select',
    description: 'bare Fastify route + one primary-key SELECT of a user',
    server: 'baseline',
    request: (data) => {
      const next = rotate(data.userIds);
      return { method: 'GET', path: `/users/${data.userIds[0]}`, next: () => ({ path: `/users/${next()}` }) };
    },
  },
  {
    name: 'me',
    description: 'GET /api/v1/me, signed in (cookie rotating over the generated sessions)',
    server: 'app',
    request: (data) => {
      const next = rotate(data.sessionTokens);
      const cookie = (t: string) => ({ cookie: `balai_${data.tenant.slug}=${t}` });
      return { method: 'GET', path: '/api/v1/me', headers: cookie(data.sessionTokens[0]), next: () => ({ headers: cookie(next()) }) };
    },
    baseline: 'baseline-select',
    minRatio: 0.6,
    targetSource: 'issue 3',
  },
  {
    name: 'baseline-insert',
    description: 'bare Fastify route + one INSERT (modules compare their writes with it)',
    server: 'baseline',
    request: () => ({ method: 'POST', path: '/writes', body: JSON.stringify({ kind: 'bench', text: 'Jalan berlubang di depan Pasar Terong, Kec. Bontoala' }) }),
  },
];
