import { withBase } from './base';
import { currentLanguage, i18n } from './i18n';

/** One field error of an RFC 9457 problem response. */
export interface ProblemFieldError {
  field: string;
  code: string;
  message: string;
}

export interface Problem {
  type?: string;
  title: string;
  status: number;
  code?: string;
  detail?: string;
  errors?: ProblemFieldError[];
}

/** A failed API call: the problem's localized title plus its field errors, ready for forms. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fieldErrors: ProblemFieldError[];

  constructor(status: number, code: string, title: string, fieldErrors: ProblemFieldError[] = []) {
    super(title);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fieldErrors = fieldErrors;
  }

  /** Field errors keyed by field path (first message per field). */
  fieldMap(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.fieldErrors) if (!(e.field in out)) out[e.field] = e.message;
    return out;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/** A refusal as one sentence: the problem's message and its fields' messages, each once. */
export function problemText(e: unknown, fallback: string): string {
  if (!isApiError(e)) return fallback;
  return [e.message, ...e.fieldErrors.map((f) => f.message)].filter((m, i, a) => m && a.indexOf(m) === i).join(' ');
}

/** A refused form: messages by field (shown on the inputs), and the rest as one message or null. */
export function problemFields(e: unknown, fallback: string): { fields: Record<string, string>; general: string | null } {
  if (!isApiError(e)) return { fields: {}, general: fallback };
  const fields: Record<string, string> = {};
  for (const f of e.fieldErrors) if (f.field) fields[f.field] = f.message;
  const rest = e.fieldErrors.filter((f) => !f.field).map((f) => f.message);
  return { fields, general: rest.length ? rest.join(' ') : Object.keys(fields).length ? null : e.message };
}

let csrfToken: string | null = null;
/** Called when a request finds the session gone (401), so the app can forget the user. */
let onUnauthenticated: (() => void) | null = null;
/** Called after a CSRF failure to fetch a fresh token; resolves to the token or null. */
let refreshCsrf: (() => Promise<string | null>) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function configureApi(hooks: { onUnauthenticated?: () => void; refreshCsrf?: () => Promise<string | null> }): void {
  onUnauthenticated = hooks.onUnauthenticated ?? null;
  refreshCsrf = hooks.refreshCsrf ?? null;
}

type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export function apiUrl(path: string, query?: Query): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return withBase(path) + (s ? `?${s}` : '');
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function send(method: string, path: string, opts: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': currentLanguage(), ...opts.headers };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) body = opts.body;
  else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (UNSAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  try {
    return await fetch(apiUrl(path, opts.query), { method, headers, body, credentials: 'same-origin', signal: opts.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network', i18n.t('errors.network'));
  }
}

async function toError(res: Response): Promise<ApiError> {
  let problem: Partial<Problem> = {};
  try {
    problem = (await res.json()) as Problem;
  } catch {
    // Not JSON (a proxy's error page): use a generic message.
  }
  const title = typeof problem.title === 'string' && problem.title ? problem.title : i18n.t('errors.http', { status: res.status });
  return new ApiError(res.status, problem.code ?? `http_${res.status}`, title, Array.isArray(problem.errors) ? problem.errors : []);
}

/** Calls the API under this government's base path and returns the JSON body (or undefined for 204). */
export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  let res = await send(method, path, opts);
  if (res.status === 403 && UNSAFE.has(method) && refreshCsrf) {
    const err = await toError(res.clone());
    if (err.code === 'csrf_invalid') {
      const fresh = await refreshCsrf();
      if (fresh) res = await send(method, path, opts);
    }
  }
  if (!res.ok) {
    const err = await toError(res);
    if (err.status === 401 && path !== '/api/v1/me' && onUnauthenticated) onUnauthenticated();
    throw err;
  }
  if (res.status === 204 || res.headers.get('content-length') === '0') return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json')) return undefined as T;
  return (await res.json()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown, headers?: Record<string, string>) => request<T>('POST', path, { body, headers }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path, {}),
};

/** A cursor-paginated list as every Balai list endpoint returns it. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
