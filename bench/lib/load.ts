import autocannon, { type AutocannonRequest } from 'autocannon';

/** One HTTP request shape of a scenario; `next` varies it per request (rotating sessions, ids). */
export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Called for every request sent: returns the path and headers to use this time. */
  next?: () => { path?: string; headers?: Record<string, string> };
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
 * at saturation or at the offered `rate`.
 */
export async function runLoad(baseUrl: string, req: LoadRequest, opts: LoadOptions): Promise<LoadFigures> {
  const headers = { ...(req.headers ?? {}), ...(req.body ? { 'content-type': 'application/json' } : {}) };
  const request: AutocannonRequest = { method: req.method, path: req.path, headers, body: req.body };
  if (req.next) {
    const next = req.next;
    request.setupRequest = (r) => {
      const v = next();
      return { ...r, path: v.path ?? r.path, headers: v.headers ? { ...headers, ...v.headers } : r.headers };
    };
  }
  const latencies = new Latencies();
  const statusCodes: Record<string, number> = {};
  const instance = autocannon({ url: baseUrl, connections: opts.connections, duration: opts.durationS, timeout: 10, requests: [request], ...(opts.rate ? { overallRate: opts.rate } : {}) });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    latencies.add(responseTime);
    statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
  });
  const result = await instance;
  const status2xx = Object.entries(statusCodes).reduce((s, [code, n]) => (code.startsWith('2') ? s + n : s), 0);
  const requests = Object.values(statusCodes).reduce((s, n) => s + n, 0);
  return {
    reqPerSec: Math.round(requests / result.duration),
    requests,
    durationS: result.duration,
    latencyMs: latencies.summary(),
    status2xx,
    non2xx: requests - status2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
  };
}
