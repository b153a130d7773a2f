import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { type Ctx, inTransaction, type TxCtx } from '../context.js';
import { AppError, Conflict } from '../errors.js';
import { rowsOf } from '../org/sql.js';
import type { Actor } from '../policies/actor.js';

/** How long a key is remembered; a key older than this counts as new. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** What a client may send in `Idempotency-Key` (a UUID is the usual choice). */
export const IDEMPOTENCY_KEY_RE = /^[A-Za-z0-9_\-:.]{1,100}$/;

/** The response of a command, stored with its key and replayed to retries. */
export interface CommandResponse<B = unknown> {
  status: number;
  /** Anything JSON can carry; stored and returned as JSON (dates become ISO strings). */
  body: B;
  /** Extra response headers to replay too, e.g. `location`. */
  headers?: Record<string, string>;
}

export interface IdempotentOutcome<B = unknown> extends CommandResponse<B> {
  /** True when this is a stored response of an earlier request with the same key. */
  replayed: boolean;
}

/** A key as sent by a client, with its scope and the fingerprint of the request. */
export interface IdempotencyRequest {
  /** Route key and actor, see idempotencyScope(). */
  scope: string;
  key: string;
  /** sha256 of the canonical request (requestHash()). */
  requestHash: string;
}

/**
 * The scope of a key: the route key plus the signed-in user or API key, so that two callers can
 * use the same key without meeting. Anonymous callers share the route's scope; their keys must be
 * unguessable (random UUIDs), as the key is the only thing that ties a retry to its first request.
 */
export function idempotencyScope(route: string, actor: Actor): string {
  return (actor.kind === 'user' || actor.kind === 'apikey') && actor.id ? `${route}|${actor.kind}:${actor.id}` : route;
}

/** JSON with object keys sorted at every level, so that key order does not change the hash. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : v,
  );
}

/** sha256 (hex) of the canonical JSON of a request's parsed content. */
export function requestHash(content: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(content) ?? 'null')
    .digest('hex');
}

/** What a stored response row holds in `response`. */
interface StoredResponse {
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * Runs a command once per idempotency key.
 *
 * Without a key (`request` null) it is simply `inTransaction(ctx, command)`. With one, in ONE
 * transaction: claim the key (insert its row, or take over an expired one), run the command, store
 * its status and body on the key row, commit. The change and the stored response therefore commit
 * together or not at all: a crash or an error in the command leaves neither, and the retry runs
 * the command again. A command that throws (validation, not found, …) stores nothing.
 *
 * When the key is already taken:
 * - same request hash and a stored response → that response, `replayed: true`, nothing run;
 * - a different request hash → 422 `idempotency_mismatch`, nothing run;
 * - no stored response → 409 `idempotency_in_progress` (not produced by this function, whose rows
 *   are only visible with their response; kept for rows of any other writer).
 *
 * Concurrent duplicates on PostgreSQL: the second request's insert waits for the first's
 * transaction (unique index), then replays its response, or runs the command itself if the first
 * rolled back. So a retry racing the original never creates a second record and never fails.
 */
export async function runIdempotent<B>(
  ctx: Ctx,
  request: IdempotencyRequest | null,
  command: (tx: TxCtx) => Promise<CommandResponse<B>>,
): Promise<IdempotentOutcome<B>> {
  if (!request) return { ...(await inTransaction(ctx, command)), replayed: false };
  return inTransaction(ctx, async (tx) => {
    const replay = await claimIdempotencyKey<B>(tx, request);
    if (replay) return replay;
    return { ...(await storeIdempotentResponse(tx, request, await command(tx))), replayed: false };
  });
}

/**
 * The first half of runIdempotent, for a command that opens its own transaction: call it first
 * inside that transaction. Null means the key is now claimed by this transaction: run the command,
 * then storeIdempotentResponse() before commit. Otherwise it returns the stored response to send
 * (`replayed: true`), or throws 422 `idempotency_mismatch` / 409 `idempotency_in_progress`.
 */
export async function claimIdempotencyKey<B = unknown>(tx: TxCtx, request: IdempotencyRequest): Promise<IdempotentOutcome<B> | null> {
  if (!IDEMPOTENCY_KEY_RE.test(request.key)) throw new RangeError('invalid idempotency key');
  const now = tx.clock.now();
  const expired = new Date(now.getTime() - IDEMPOTENCY_TTL_MS);
  const claimed = await rowsOf<{ ok: number }>(
    tx.tx,
    sql`INSERT INTO idempotency_keys AS k (tenant_id, scope, key, request_hash, created_at)
        VALUES (${tx.tenant.id}, ${request.scope}, ${request.key}, ${request.requestHash}, ${now.toISOString()})
        ON CONFLICT (tenant_id, scope, key) DO UPDATE
          SET request_hash = excluded.request_hash, status_code = NULL, response = NULL, created_at = excluded.created_at
          WHERE k.created_at <= ${expired.toISOString()}
        RETURNING 1 AS ok`,
  );
  if (claimed.length > 0) return null;
  const [row] = await rowsOf<{ request_hash: string; status_code: number | null; response: StoredResponse | null }>(
    tx.tx,
    sql`SELECT request_hash, status_code, response FROM idempotency_keys
        WHERE tenant_id = ${tx.tenant.id} AND scope = ${request.scope} AND key = ${request.key}`,
  );
  if (row && row.request_hash !== request.requestHash) throw new AppError(422, 'idempotency_mismatch');
  if (!row || row.status_code == null) throw new Conflict('idempotency_in_progress');
  const stored = row.response ?? { body: null };
  return { status: row.status_code, body: stored.body as B, ...(stored.headers ? { headers: stored.headers } : {}), replayed: true };
}

/**
 * The second half: stores the command's response on the claimed key, in the command's
 * transaction. Returns the response as a replay will send it (the body through JSON).
 */
export async function storeIdempotentResponse<B>(tx: TxCtx, request: IdempotencyRequest, response: CommandResponse<B>): Promise<CommandResponse<B>> {
  const body = (response.body === undefined ? null : JSON.parse(JSON.stringify(response.body))) as B;
  const stored: StoredResponse = { body, ...(response.headers ? { headers: response.headers } : {}) };
  const updated = await rowsOf<{ ok: number }>(
    tx.tx,
    sql`UPDATE idempotency_keys SET status_code = ${response.status}, response = ${JSON.stringify(stored)}::jsonb
        WHERE tenant_id = ${tx.tenant.id} AND scope = ${request.scope} AND key = ${request.key} AND status_code IS NULL
        RETURNING 1 AS ok`,
  );
  if (updated.length !== 1) throw new Error('storeIdempotentResponse without a key claimed by this transaction');
  return { status: response.status, body, ...(response.headers ? { headers: response.headers } : {}) };
}

/**
 * Deletes keys older than IDEMPOTENCY_TTL_MS, in batches (served by idempotency_keys_created_idx).
 * Expired keys are already ignored when a request arrives; this only keeps the table small. The
 * background workers call it every hour (server/background.ts). Returns how many were deleted.
 */
export async function expireIdempotencyKeys(db: Database, now: Date, batch = 10_000): Promise<number> {
  const cutoff = new Date(now.getTime() - IDEMPOTENCY_TTL_MS).toISOString();
  let total = 0;
  for (;;) {
    const rows = await db.query<{ n: number }>(
      `WITH gone AS (
         DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE created_at <= $1 LIMIT $2)
         RETURNING 1
       ) SELECT count(*)::int AS n FROM gone`,
      [cutoff, batch],
    );
    const n = rows[0]?.n ?? 0;
    total += n;
    if (n < batch) return total;
  }
}
