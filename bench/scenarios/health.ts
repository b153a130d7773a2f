import pg from 'pg';
import { DEMO_PASSWORD } from '../../server/seed/demo.js';
import type { Scenario, ScenarioSetup } from './index.js';

/**
 * Scenarios of the health module (issue 5), on the run's generated patients and polis
 * (`--patients 200000 --polis 1000` in full mode), spread over two app processes on one database:
 *
 * - health-register-one-poli: 500 connections registering walk-ins (the counter of Puskesmas
 *   Batua, POST /api/v1/health/visits) for the same poli and day as fast as answers come back:
 *   ≥ 1,000 registrations/s; afterwards the day's numbers are checked: 1…N, no duplicate, none
 *   missing, and the counter at N.
 * - health-register-one-poli-1000: 500 clients offering 1,000 registrations a second together,
 *   each at its own moment (even pacing, up to 500 connections): p99 < 200 ms. (At saturation,
 *   500 clients that each wait for their answer queue for 500 / throughput seconds on average: a
 *   p99 under 200 ms there would need some 2,500 registrations/s, so latency is judged at the
 *   rate the target names.)
 * - health-register-spread: the same over the other generated polis, one patient per poli in turn:
 *   ≥ 0.5× the same run's baseline-insert.
 *
 * The visit date is the first day from tomorrow that the tenant's calendar does not close (the
 * generated polis open every day, in nine sessions of 00:00–23:59 with 20,000 places each). The
 * setup clears earlier runs' visits of the generated polis (the harness's own database).
 */

const COUNTER = 'loket.batua@makassarkota.go.id';

interface Prepared {
  cookie: string;
  csrf: string;
  date: string;
  polis: string[];
  patients: string[];
}
let prepared: Prepared | undefined;
let setupDone: Promise<void> | undefined;

async function signIn(appUrl: string, slug: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${appUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.254.0.2' },
    body: JSON.stringify({ login: COUNTER, password: DEMO_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${COUNTER} answered ${res.status}: ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`balai_${slug}=`));
  if (!cookie) throw new Error(`sign-in of ${COUNTER} set no session cookie`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie: cookie.split(';')[0], csrf: csrfToken };
}

function prepare(ctx: ScenarioSetup): Promise<void> {
  setupDone ??= (async () => {
    const client = new pg.Client({ connectionString: ctx.databaseUrl });
    await client.connect();
    try {
      const tenantId = ctx.data.tenant.id;
      const polis = (await client.query<{ id: string }>(`SELECT id::text FROM health_services WHERE tenant_id = $1 AND code LIKE 'bench\\_%' ORDER BY sort_order`, [tenantId])).rows.map((r) => r.id);
      if (polis.length < 2) throw new Error('the bench database has fewer than 2 generated polis (--polis)');
      const patients = (
        await client.query<{ id: string }>(`SELECT id::text FROM health_patients WHERE tenant_id = $1 AND owner_user_id IS NULL AND nik LIKE '737110%' ORDER BY nik`, [tenantId])
      ).rows.map((r) => r.id);
      if (patients.length < 1000) throw new Error('the bench database has fewer than 1,000 generated patients (--patients)');
      // Earlier runs' registrations of the generated polis go, so that every patient is free again.
      await client.query('BEGIN');
      await client.query(`DELETE FROM health_visits WHERE tenant_id = $1 AND service_id = ANY($2::uuid[])`, [tenantId, polis]);
      await client.query(`DELETE FROM health_queue_days WHERE tenant_id = $1 AND service_id = ANY($2::uuid[])`, [tenantId, polis]);
      await client.query('COMMIT');
      const { rows } = await client.query<{ day: string }>(
        `SELECT to_char(d, 'YYYY-MM-DD') AS day
           FROM generate_series((now() AT TIME ZONE (SELECT time_zone FROM tenants WHERE id = $1))::date + 1,
                                (now() AT TIME ZONE (SELECT time_zone FROM tenants WHERE id = $1))::date + 7, interval '1 day') AS d
          WHERE NOT EXISTS (SELECT 1 FROM calendar_days c WHERE c.tenant_id = $1 AND c.day = d::date AND c.kind <> 'extra_workday')
          ORDER BY d LIMIT 1`,
        [tenantId],
      );
      if (!rows[0]) throw new Error('no open day in the coming week');
      prepared = { ...(await signIn(ctx.appUrl, ctx.data.tenant.slug)), date: rows[0].day, polis, patients };
    } finally {
      await client.end();
    }
  })();
  return setupDone;
}

/**
 * What the queue fan-out measurement uses once the load is over: the counter's session, a generated
 * poli the one-poli load did not use, and patients from the middle of the list (the one-poli load
 * takes them from the front, the spread from the back).
 */
export function fanoutInputs(): { session: { cookie: string; csrf: string }; serviceId: string; patients: string[] } | undefined {
  if (!prepared) return undefined;
  const mid = Math.floor(prepared.patients.length / 2);
  return { session: { cookie: prepared.cookie, csrf: prepared.csrf }, serviceId: prepared.polis[1]!, patients: prepared.patients.slice(mid, mid + 200) };
}

function need(): Prepared {
  if (!prepared) throw new Error('health scenarios used before setup');
  return prepared;
}

/** Patients of the one-poli scenario come from the front of the list, the spread's from the back. */
let onePoliNext = 0;
let spreadNext = 0;

const register = (body: () => string) => {
  const p = need();
  return {
    method: 'POST' as const,
    path: '/api/v1/health/visits',
    headers: { cookie: p.cookie, 'x-csrf-token': p.csrf },
    body: body(),
    next: () => ({ body: body() }),
  };
};

/** The one poli's patients come from the front of the list, one per request. */
const onePoli = () =>
  register(() => {
    const p = need();
    const patientId = p.patients[onePoliNext++ % p.patients.length];
    return JSON.stringify({ serviceId: p.polis[0], patientId, date: p.date });
  });

/** The one poli's day after the load: numbers 1…N, no duplicate, none missing, the counter at N. */
async function verifyNumbers(ctx: ScenarioSetup): Promise<{ ok: boolean; note: string }> {
  const p = need();
  const client = new pg.Client({ connectionString: ctx.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number; distinct: number; max: number | null; last: number | null }>(
      `SELECT count(*)::int AS n, count(DISTINCT number)::int AS distinct, max(number) AS max,
              (SELECT last_number FROM health_queue_days WHERE tenant_id = $1 AND service_id = $2 AND day = $3::date) AS last
         FROM health_visits WHERE tenant_id = $1 AND service_id = $2 AND day = $3::date`,
      [ctx.data.tenant.id, p.polis[0], p.date],
    );
    const r = rows[0];
    const duplicates = r.n - r.distinct;
    const missing = (r.max ?? 0) - r.distinct;
    const ok = r.n > 0 && duplicates === 0 && missing === 0 && r.last === r.max;
    return { ok, note: `${r.n} visits numbered 1…${r.max ?? 0}: ${duplicates} duplicate, ${missing} missing, counter at ${r.last ?? '—'}` };
  } finally {
    await client.end();
  }
}

export const healthScenarios: Scenario[] = [
  {
    name: 'health-register-one-poli',
    description: '500 connections over two app processes registering walk-ins for the same poli and day',
    server: 'app',
    processes: 2,
    connections: 500,
    minReqPerSec: 1_000,
    targetSource: 'issue 5',
    setup: prepare,
    request: onePoli,
    verify: verifyNumbers,
  },
  {
    name: 'health-register-one-poli-1000',
    description: 'the same 500 clients offering 1,000 registrations/s together',
    server: 'app',
    processes: 2,
    connections: 500,
    rate: 1_000,
    pacing: 'even',
    maxP99Ms: 200,
    targetSource: 'issue 5',
    setup: prepare,
    request: onePoli,
    verify: verifyNumbers,
  },
  {
    name: 'health-register-spread',
    description: 'registrations spread over the generated polis (one patient per poli in turn), two app processes',
    server: 'app',
    processes: 2,
    baseline: 'baseline-insert',
    minRatio: 0.5,
    targetSource: 'issue 5',
    setup: prepare,
    request: () =>
      register(() => {
        const p = need();
        // Request k: poli 1 + k mod (polis − 1), patient from the back of the list, the next one
        // after every round over the polis: a patient never registers twice for one poli.
        const others = p.polis.length - 1;
        const k = spreadNext++;
        const serviceId = p.polis[1 + (k % others)];
        const patientId = p.patients[p.patients.length - 1 - (Math.floor(k / others) % p.patients.length)];
        return JSON.stringify({ serviceId, patientId, date: p.date });
      }),
  },
];
