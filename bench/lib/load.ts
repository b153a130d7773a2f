import { Agent, request as httpRequest } from 'node:http';
import autocannon, { type AutocannonRequest } from 'autocannon';

/** One HTTP request shape of a scenario; `next` varies it per request (rotating sessions, ids). */
export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Called for every request sent: returns the path, headers and body to use this time. */
  next?: () => { path?: string; headers?: Record<string, string>; body?: string };
}

export interface LoadFigures {
  /** Completed requests per second over the measured window. */
  reqPerSec: number;
  requests: number;
  durationS: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  status2xx: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

/** Exact percentiles over every response time recorded (autocannon's own histogram has no p95). */
class Latencies {
  private data = new Float64Array(1 << 16);
  private n = 0;
  add(ms: number): void {
    if (this.n === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.n++] = ms;
  }
  summary(): LoadFigures['latencyMs'] {
    if (this.n === 0) return { p50: 0, p95: 0, p99: 0, max: 0, mean: 0 };
    const sorted = this.data.slice(0, this.n).sort();
    const at = (q: number) => sorted[Math.min(this.n - 1, Math.ceil(q * this.n) - 1)];
    let sum = 0;
    for (let i = 0; i < this.n; i++) sum += sorted[i];
    const r = (x: number) => Math.round(x * 100) / 100;
    return { p50: r(at(0.5)), p95: r(at(0.95)), p99: r(at(0.99)), max: r(sorted[this.n - 1]), mean: r(sum / this.n) };
  }
}

export interface LoadOptions {
  connections: number;
  durationS: number;
  /**
   * Offered load in requests per second over all connections (autocannon's `overallRate`, the
   * `-R` of its command line); without it every connection sends as fast as answers come back.
   */
  rate?: number;
}

/**
 * Drives `connections` keep-alive connections against one request shape for `durationS` seconds,
 * at saturation or at the offered `rate`. Given several base URLs (app processes behind a load
 * balancer), the connections and the rate are split evenly between them and the figures are those
 * of all responses together (exact percentiles over every response).
 */
export async function runLoad(baseUrls: string | string[], req: LoadRequest, opts: LoadOptions): Promise<LoadFigures> {
  const urls = Array.isArray(baseUrls) ? baseUrls : [baseUrls];
  const headers = { ...(req.headers ?? {}), ...(req.body ? { 'content-type': 'application/json' } : {}) };
  const request: AutocannonRequest = { method: req.method, path: req.path, headers, body: req.body };
  if (req.next) {
    const next = req.next;
    request.setupRequest = (r) => {
      const v = next();
      return { ...r, path: v.path ?? r.path, headers: v.headers ? { ...headers, ...v.headers } : r.headers, ...(v.body !== undefined ? { body: v.body } : {}) };
    };
  }
  const latencies = new Latencies();
  const statusCodes: Record<string, number> = {};
  const results = await Promise.all(
    urls.map((url, k) => {
      const share = (total: number) => Math.floor(total / urls.length) + (k < total % urls.length ? 1 : 0);
      const instance = autocannon({
        url,
        connections: Math.max(1, share(opts.connections)),
        duration: opts.durationS,
        timeout: 10,
        requests: [request],
        ...(opts.rate ? { overallRate: Math.max(1, share(opts.rate)) } : {}),
      });
      instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
        latencies.add(responseTime);
        statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
      });
      return instance;
    }),
  );
  const duration = Math.max(...results.map((r) => r.duration));
  const status2xx = Object.entries(statusCodes).reduce((s, [code, n]) => (code.startsWith('2') ? s + n : s), 0);
  const requests = Object.values(statusCodes).reduce((s, n) => s + n, 0);
  return {
    reqPerSec: Math.round(requests / duration),
    requests,
    durationS: duration,
    latencyMs: latencies.summary(),
    status2xx,
    non2xx: requests - status2xx,
    errors: results.reduce((s, r) => s + r.errors, 0),
    timeouts: results.reduce((s, r) => s + r.timeouts, 0),
    statusCodes,
  };
}

/**
 * An open-loop load at an even pace: one request every 1/rate seconds, whether earlier answers
 * have come back or not, spread over up to `connections` keep-alive connections (per base URL,
 * split evenly). autocannon's rate limit lets each connection send its share at the start of
 * every second, so 500 connections at 1,000 req/s arrive as one burst of 1,000 each second; this
 * models 500 residents pressing the button at their own moments instead.
 */
export async function runPaced(baseUrls: string | string[], req: LoadRequest, opts: LoadOptions & { rate: number }): Promise<LoadFigures> {
  const urls = Array.isArray(baseUrls) ? baseUrls : [baseUrls];
  const agents = urls.map(() => new Agent({ keepAlive: true, maxSockets: Math.max(1, Math.ceil(opts.connections / urls.length)) }));
  const latencies = new Latencies();
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  let timeouts = 0;
  const baseHeaders = { ...(req.headers ?? {}), ...(req.body ? { 'content-type': 'application/json' } : {}) };
  const send = (k: number): Promise<void> =>
    new Promise((resolve) => {
      const v = req.next?.() ?? {};
      const body = v.body ?? req.body;
      const url = new URL(v.path ?? req.path, urls[k % urls.length]);
      const started = performance.now();
      const r = httpRequest(url, { method: req.method, agent: agents[k % urls.length], headers: { ...baseHeaders, ...(v.headers ?? {}) }, timeout: 10_000 }, (res) => {
        res.on('data', () => {});
        res.on('end', () => {
          latencies.add(performance.now() - started);
          statusCodes[res.statusCode ?? 0] = (statusCodes[res.statusCode ?? 0] ?? 0) + 1;
          resolve();
        });
      });
      r.on('timeout', () => {
        timeouts++;
        r.destroy();
      });
      r.on('error', () => {
        errors++;
        resolve();
      });
      r.end(body);
    });
  const inFlight: Promise<void>[] = [];
  const interval = 1000 / opts.rate;
  const start = performance.now();
  const total = Math.floor(opts.durationS * opts.rate);
  for (let k = 0; k < total; k++) {
    const due = start + k * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(send(k));
  }
  await Promise.all(inFlight);
  const durationS = (performance.now() - start) / 1000;
  for (const a of agents) a.destroy();
  const status2xx = Object.entries(statusCodes).reduce((s, [code, n]) => (code.startsWith('2') ? s + n : s), 0);
  const requests = Object.values(statusCodes).reduce((s, n) => s + n, 0);
  return {
    reqPerSec: Math.round(requests / durationS),
    requests,
    durationS,
    latencyMs: latencies.summary(),
    status2xx,
    non2xx: requests - status2xx,
    errors,
    timeouts,
    statusCodes,
  };
}
