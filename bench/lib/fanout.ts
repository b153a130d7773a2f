import { request } from 'node:http';
import pg from 'pg';

/**
 * How fast a queue call reaches the waiting-room TVs and patients' pages (issue 5): `clients`
 * Server-Sent-Events streams on a facility's public queue topic, spread over the app processes
 * (each client behind its own address, as phones and TVs behind a proxy are); then, `calls` times,
 * a walk-in is registered for today and called with POST …/queue/call-next, and every client's
 * receipt of that call is timed from the moment the call was sent. A client that has not seen a
 * call 5 s later counts as missed.
 */

export interface FanoutResult {
  clients: number;
  calls: number;
  processes: number;
  deliveries: number;
  missed: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /** Why it did not run (e.g. today is a holiday: no queue to call). */
  skipped?: string;
}

interface Client {
  close(): void;
  /** Resolves with the receipt time (performance.now()) of the next call event of `queueCode`. */
  next(queueCode: string): Promise<number | null>;
}

function openStream(url: string, ip: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const waiting = new Map<string, (t: number) => void>();
    const seen = new Map<string, number>();
    let buffer = '';
    const req = request(url, { agent: false, headers: { accept: 'text/event-stream', 'x-forwarded-for': ip } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`stream answered ${res.statusCode}`));
        res.resume();
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = performance.now();
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
          if (!frame.includes('event: health.visit.call')) continue;
          const data = frame.split('\n').find((l) => l.startsWith('data: '));
          const code = data ? (JSON.parse(data.slice(6)) as { payload?: { queueCode?: string } }).payload?.queueCode : undefined;
          if (!code) continue;
          const w = waiting.get(code);
          if (w) {
            waiting.delete(code);
            w(at);
          } else seen.set(code, at);
        }
      });
      resolve({
        close: () => req.destroy(),
        next: (queueCode) =>
          new Promise((done) => {
            const already = seen.get(queueCode);
            if (already !== undefined) return done(already);
            const timer = setTimeout(() => {
              waiting.delete(queueCode);
              done(null);
            }, 5_000);
            waiting.set(queueCode, (t) => {
              clearTimeout(timer);
              done(t);
            });
          }),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function measureQueueFanout(opts: {
  appUrls: string[];
  databaseUrl: string;
  tenantId: string;
  /** The counter's session at the generated polis' facility. */
  session: { cookie: string; csrf: string };
  serviceId: string;
  patients: string[];
  clients: number;
  calls: number;
}): Promise<FanoutResult> {
  const db = new pg.Client({ connectionString: opts.databaseUrl });
  await db.connect();
  const base = { clients: opts.clients, calls: opts.calls, processes: opts.appUrls.length, deliveries: 0, missed: 0, latencyMs: { p50: 0, p95: 0, p99: 0, max: 0 } };
  let facilityId: string;
  let today: string;
  try {
    const { rows } = await db.query<{ facility_id: string; closed: boolean; today: string }>(
      `SELECT s.facility_id::text AS facility_id,
              to_char((now() AT TIME ZONE (SELECT time_zone FROM tenants WHERE id = s.tenant_id))::date, 'YYYY-MM-DD') AS today,
              EXISTS (SELECT 1 FROM calendar_days c WHERE c.tenant_id = s.tenant_id AND c.kind <> 'extra_workday'
                       AND c.day = (now() AT TIME ZONE (SELECT time_zone FROM tenants WHERE id = s.tenant_id))::date) AS closed
         FROM health_services s WHERE s.tenant_id = $1 AND s.id = $2`,
      [opts.tenantId, opts.serviceId],
    );
    if (!rows[0]) return { ...base, skipped: 'the generated poli is missing' };
    if (rows[0].closed) return { ...base, skipped: 'today is a holiday in the tenant calendar: no queue to call' };
    facilityId = rows[0].facility_id;
    today = rows[0].today;
  } finally {
    await db.end();
  }

  const headers = { cookie: opts.session.cookie, 'x-csrf-token': opts.session.csrf, 'content-type': 'application/json', 'x-forwarded-for': '10.254.0.2' };
  const streams: Client[] = [];
  try {
    // Opened a batch at a time, alternating between the processes.
    for (let i = 0; i < opts.clients; i += 50) {
      const batch = [];
      for (let j = i; j < Math.min(opts.clients, i + 50); j++) {
        const url = `${opts.appUrls[j % opts.appUrls.length]}/api/v1/public/events/stream?topic=${encodeURIComponent(`queue.${facilityId}`)}`;
        batch.push(openStream(url, `10.210.${(j >> 8) & 255}.${j & 255}`));
      }
      streams.push(...(await Promise.all(batch)));
    }
    // Let the hubs register every stream before the first call.
    await new Promise((r) => setTimeout(r, 500));
    const latencies: number[] = [];
    let missed = 0;
    let patient = 0;
    for (let call = 0; call < opts.calls; call++) {
      // A walk-in for today (skipping patients the load already registered at this poli).
      let registered = false;
      while (!registered && patient < opts.patients.length) {
        const res = await fetch(`${opts.appUrls[0]}/api/v1/health/visits`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ serviceId: opts.serviceId, patientId: opts.patients[patient++], date: today }),
        });
        if (res.status === 201) registered = true;
        else if (res.status !== 409) throw new Error(`walk-in registration answered ${res.status}: ${await res.text()}`);
      }
      if (!registered) throw new Error('no patient left to register for the fan-out calls');
      const sent = performance.now();
      const res = await fetch(`${opts.appUrls[call % opts.appUrls.length]}/api/v1/health/services/${opts.serviceId}/queue/call-next`, { method: 'POST', headers, body: '{}' });
      if (res.status !== 200) throw new Error(`call-next answered ${res.status}: ${await res.text()}`);
      const { visit } = (await res.json()) as { visit: { queueCode: string } | null };
      if (!visit) throw new Error('call-next found nobody waiting');
      const arrivals = await Promise.all(streams.map((s) => s.next(visit.queueCode)));
      for (const at of arrivals) {
        if (at === null) missed++;
        else latencies.push(Math.max(0, at - sent));
      }
      // The next call's events must not be mistaken for this one's: they carry their own number.
      await new Promise((r) => setTimeout(r, 200));
    }
    latencies.sort((a, b) => a - b);
    const round = (n: number) => Math.round(n * 10) / 10;
    return {
      ...base,
      deliveries: latencies.length,
      missed,
      latencyMs: { p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)), p99: round(percentile(latencies, 99)), max: round(latencies.at(-1) ?? 0) },
    };
  } finally {
    for (const s of streams) s.close();
  }
}
