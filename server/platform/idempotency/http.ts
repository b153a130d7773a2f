import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { TxCtx } from '../context.js';
import { Invalid } from '../errors.js';
import { type CommandResponse, IDEMPOTENCY_KEY_RE, type IdempotencyRequest, type IdempotentOutcome, idempotencyScope, requestHash, runIdempotent } from './idempotency.js';

/** The header, as Fastify exposes it (lower case). */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** Set on a response that repeats the stored response of an earlier request. */
export const REPLAYED_HEADER = 'idempotent-replayed';

/**
 * For a route's `schema.headers`, to document the header in OpenAPI (optional; `idempotent()`
 * checks it either way).
 */
export const IdempotencyHeaders = z.object({
  [IDEMPOTENCY_HEADER]: z
    .string()
    .regex(IDEMPOTENCY_KEY_RE, { message: 'field.idempotency_key' })
    .optional()
    .describe('1–100 characters of A–Z a–z 0–9 _ - : . (a random UUID per logical request); a retry with the same key and body returns the first response, with header Idempotent-Replayed: true, for 24 hours.'),
});

export interface IdempotentOptions {
  /** Refuse requests without the header (400). Default false: without it the command simply runs. */
  required?: boolean;
  /**
   * What identifies "the same request", hashed with sha256 over canonical JSON. Default: the
   * route params and the parsed body. Give it for bodies that are not plain JSON (multipart).
   */
  fingerprint?: unknown;
}

/** The key of a request: null when absent; 400 when malformed, repeated, or absent but required. */
export function readIdempotencyKey(req: FastifyRequest, required = false): string | null {
  const raw = req.headers[IDEMPOTENCY_HEADER];
  if (raw === undefined) {
    if (required) throw Invalid.field(`headers.${IDEMPOTENCY_HEADER}`, 'field.idempotency_key_required');
    return null;
  }
  if (typeof raw !== 'string' || !IDEMPOTENCY_KEY_RE.test(raw)) throw Invalid.field(`headers.${IDEMPOTENCY_HEADER}`, 'field.idempotency_key');
  return raw;
}

/**
 * The key, scope and request hash of a request; null without the header (400 when malformed, or
 * absent but required). For commands that open their own transaction and call
 * claimIdempotencyKey/storeIdempotentResponse themselves; most routes use idempotent().
 */
export function idempotencyRequest(req: FastifyRequest, route: string, opts: IdempotentOptions = {}): IdempotencyRequest | null {
  const key = readIdempotencyKey(req, opts.required);
  if (!key) return null;
  return {
    scope: idempotencyScope(route, req.ctx().actor),
    key,
    requestHash: requestHash(opts.fingerprint !== undefined ? opts.fingerprint : { params: req.params ?? null, body: req.body ?? null }),
  };
}

/** Sends a command's (possibly replayed) response, with `Idempotent-Replayed: true` on a replay. */
export function sendIdempotent(reply: FastifyReply, outcome: IdempotentOutcome<unknown>): FastifyReply {
  if (outcome.replayed) reply.header(REPLAYED_HEADER, 'true');
  for (const [name, value] of Object.entries(outcome.headers ?? {})) reply.header(name, value);
  reply.code(outcome.status);
  return outcome.body === null && outcome.status === 204 ? reply.send() : reply.send(outcome.body);
}

/**
 * Runs a citizen-facing POST's command once per `Idempotency-Key` and sends its response
 * (ARCHITECTURE rule 6). The command gets the open transaction and returns what to answer; the
 * key row, the command's writes and the stored response commit together (see runIdempotent).
 *
 *     app.post('/api/v1/reports', { config: { access: { public: true } }, schema: { headers: IdempotencyHeaders, … } },
 *       (req, reply) => idempotent(req, reply, 'complaints.submit', async (tx) => {
 *         const id = await submitReport(tx, req.body);
 *         return { status: 201, body: await reportView(tx, id) };
 *       }));
 *
 * `route` names the operation (stable across URL changes); the scope adds the signed-in actor.
 * A retry gets the stored status and body with `Idempotent-Replayed: true`; the same key with
 * another body gets 422 `idempotency_mismatch`. Without the header the command simply runs.
 */
export async function idempotent<B>(
  req: FastifyRequest,
  reply: FastifyReply,
  route: string,
  command: (tx: TxCtx) => Promise<CommandResponse<B>>,
  opts: IdempotentOptions = {},
): Promise<FastifyReply> {
  const request = idempotencyRequest(req, route, opts);
  return sendIdempotent(reply, await runIdempotent(req.ctx(), request, command));
}
