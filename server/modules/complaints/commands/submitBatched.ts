import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Database } from '../../../db/client.js';
import { GroupCommitter } from '../../../platform/db/groupCommit.js';
import { withTx } from '../../../db/tx.js';
import type { Ctx } from '../../../platform/context.js';
import { Invalid } from '../../../platform/errors.js';
import { IDEMPOTENCY_TTL_MS, IDEMPOTENCY_KEY_RE, type IdempotencyRequest, type IdempotentOutcome } from '../../../platform/idempotency/idempotency.js';
import { nextDeadline } from '../deadlines.js';
import { dropReferenceSnapshot, referenceSnapshot, referenceVersionSql } from './intakeReference.js';
import {
  checkSubmission,
  type FilingOptions,
  hashAccessToken,
  newTrackingCode,
  type SubmitComplaintInput,
  type SubmittedComplaint,
} from './submitComplaint.js';

/**
 * The batched way of filing a resident's report (web, PWA, Open311: no photos to claim, not filed on
 * someone's behalf). The report is checked against the process's snapshot of the tenant's reference
 * data (no reads), then written together with the reports that arrived meanwhile: one transaction,
 * one multi-row statement for the reports, their first timeline entries, audit events and
 * `complaint.submitted` events, and one for their idempotency keys (see GroupCommitter).
 *
 * It writes exactly what the one-by-one way (fileComplaint) writes, and whatever it cannot decide
 * alone goes that way instead, where fresh reads give the authoritative answer:
 * - the snapshot finds the report invalid (maybe the snapshot is old): the one-by-one way answers;
 * - the database's reference data changed since the snapshot (the batch statement compares the
 *   versions): the report is not written in the batch, the snapshot is dropped;
 * - its idempotency key is already taken (a retry, or a key reused with another body);
 * - its tracking code collided;
 * - the batch failed as a whole.
 * The responsible unit is chosen by the batch statement itself from the routing rules as they are.
 */

type Outcome = IdempotentOutcome<SubmittedComplaint>;
type OneByOne = () => Promise<Outcome>;

export interface Item {
  ctx: Ctx;
  idempotency: IdempotencyRequest | null;
  /** The one-by-one way for this report. */
  single: OneByOne;
  record: ReportRecord;
  body: SubmittedComplaint;
}

/** One report as the batch statement reads it (jsonb_to_recordset, see INSERT_SQL). */
export interface ReportRecord {
  tenant_id: string;
  ref_version: string;
  category_version: string;
  id: string;
  tracking_code: string;
  category_id: string;
  kind: string;
  description: string;
  lat: number | null;
  lng: number | null;
  kecamatan_code: string | null;
  kelurahan_code: string | null;
  address: string | null;
  attributes: Record<string, string | number>;
  reporter_user_id: string | null;
  reporter_name: string | null;
  reporter_phone: string | null;
  reporter_email: string | null;
  access_token_hash: string | null;
  submitted_at: string;
  due_at: string | null;
  warn_at: string | null;
  channel: string;
  event_id: string;
  event_actor_user_id: string | null;
  audit_id: string;
  domain_event_id: string;
  actor_id: string | null;
  actor_kind: string;
  actor_name: string | null;
  ip: string | null;
  request_id: string | null;
  facts: Record<string, unknown>;
  idem_scope: string | null;
  idem_key: string | null;
  idem_hash: string | null;
  /** The stored response of the key: what a retry with the same key gets. */
  idem_response: { body: SubmittedComplaint } | null;
}

/** Files the report in a batch when it can, else the one-by-one way (`single`). */
export async function submitBatched(ctx: Ctx, input: SubmitComplaintInput, idempotency: IdempotencyRequest | null, options: FilingOptions, single: OneByOne): Promise<Outcome> {
  const item = await prepareBatchItem(ctx, input, idempotency, options, single);
  if (item) return committerFor(ctx.db).submit(item);
  const outcome = await single();
  // The snapshot found invalid what fresh reads accepted: it is out of date.
  if (!outcome.replayed) dropReferenceSnapshot(ctx.db, ctx.tenant.id);
  return outcome;
}

/**
 * Checks the report against the snapshot and prepares its rows; null when the snapshot finds it
 * invalid (the one-by-one way then gives the authoritative answer).
 */
export async function prepareBatchItem(
  ctx: Ctx,
  input: SubmitComplaintInput,
  idempotency: IdempotencyRequest | null,
  options: FilingOptions,
  single: OneByOne,
): Promise<Item | null> {
  if (idempotency && !IDEMPOTENCY_KEY_RE.test(idempotency.key)) throw new RangeError('invalid idempotency key');
  const snapshot = await referenceSnapshot(ctx.db, ctx.tenant);
  let checked: Awaited<ReturnType<typeof checkSubmission>>;
  try {
    checked = await checkSubmission(ctx, snapshot, input, options);
  } catch (e) {
    if (e instanceof Invalid) return null;
    throw e;
  }
  const { category, kecamatan, kelurahan } = checked;
  const now = ctx.clock.now();
  const signedIn = ctx.actor.kind === 'user';
  const accessToken = signedIn ? undefined : randomBytes(32).toString('base64url');
  const { dueAt, warnAt } = nextDeadline(snapshot.calendar(), category.deadline_hours, null, 'submitted', now, { dueAt: null, pausedHours: null });
  const id = uuidv7();
  const trackingCode = newTrackingCode();
  const channel = options.channel ?? 'web';
  const body: SubmittedComplaint = { id, trackingCode, ...(accessToken ? { accessToken } : {}), status: 'submitted', submittedAt: now.toISOString() };
  const record: ReportRecord = {
    tenant_id: ctx.tenant.id,
    ref_version: snapshot.version,
    category_version: snapshot.categoryVersion(category.id) ?? '',
    id,
    tracking_code: trackingCode,
    category_id: category.id,
    kind: input.kind ?? category.kind,
    description: input.description,
    lat: input.location?.lat ?? null,
    lng: input.location?.lng ?? null,
    kecamatan_code: kecamatan,
    kelurahan_code: kelurahan,
    address: input.address || null,
    attributes: input.attributes,
    reporter_user_id: signedIn ? ctx.actor.id! : null,
    reporter_name: input.reporter?.name ?? null,
    reporter_phone: input.reporter?.phone ?? null,
    reporter_email: input.reporter?.email ?? null,
    access_token_hash: accessToken ? hashAccessToken(accessToken).toString('hex') : null,
    submitted_at: body.submittedAt,
    due_at: dueAt?.toISOString() ?? null,
    warn_at: warnAt?.toISOString() ?? null,
    channel,
    event_id: uuidv7(),
    event_actor_user_id: signedIn ? ctx.actor.id! : null,
    audit_id: uuidv7(),
    domain_event_id: uuidv7(),
    actor_id: ctx.actor.id ?? null,
    actor_kind: ctx.actor.kind,
    actor_name: ctx.actor.name ?? null,
    ip: ctx.ip ?? null,
    request_id: ctx.requestId ?? null,
    // unitId is added by the statement, which routes the report.
    facts: { trackingCode, categoryId: category.id, status: 'submitted', kecamatanCode: kecamatan, photos: 0, anonymous: !signedIn, channel },
    idem_scope: idempotency?.scope ?? null,
    idem_key: idempotency?.key ?? null,
    idem_hash: idempotency?.requestHash ?? null,
    idem_response: idempotency ? { body } : null,
  };
  return { ctx, idempotency, single, record, body };
}

const committers = new WeakMap<Database, GroupCommitter<Item, Outcome>>();

function committerFor(db: Database): GroupCommitter<Item, Outcome> {
  let c = committers.get(db);
  if (!c) {
    c = new GroupCommitter<Item, Outcome>({
      flush: (items) => flushBatch(db, items),
      single: (item) => item.single(),
      // A pino-shaped line on stderr: the batch's reports are still filed, one by one.
      onFlushError: (e) => console.error(JSON.stringify({ level: 50, time: Date.now(), msg: 'complaints: batch filing failed, filing one by one', err: String(e) })),
      keyOf: (item) => (item.idempotency ? `${item.record.tenant_id}|${item.idempotency.scope}|${item.idempotency.key}` : null),
      // The embedded database has one connection; a server's pool has room for a few batches.
      concurrency: db.kind === 'pglite' ? 1 : 2,
      maxBatch: 128,
    });
    committers.set(db, c);
  }
  return c;
}

const ROUTE_SQL = (regionExpr: string) => `(SELECT r.unit_id FROM complaint_routing_rules r
      JOIN units u ON u.tenant_id = r.tenant_id AND u.id = r.unit_id AND u.active
     WHERE r.tenant_id = ok.tenant_id AND r.category_id = ok.category_id AND r.region_code = ${regionExpr})`;

/**
 * The batch statement (one statement, so one plan and one round trip for the whole batch).
 * - `ref` is the reference version of each tenant in the batch, computed once per tenant
 *   (MATERIALIZED: inlined, it was computed again for every report);
 * - `ok` keeps the reports whose reference versions still match the database;
 * - `k` claims their idempotency keys with the response already stored: the key row, the report
 *   and the response commit together, as runIdempotent's do. A key held by another request
 *   (unexpired) is not claimed and its report not written: it goes the one-by-one way, which
 *   replays or refuses;
 * - `c` writes the reports, routed like routeComplaint (a rule for the kelurahan, else the
 *   kecamatan, else the category's default unit; rules to inactive units do not count); a tracking
 *   code already taken skips its report (ON CONFLICT DO NOTHING);
 * - timeline, audit and outbox rows follow the reports actually written.
 * Returns which reports passed `ok`, which keys were claimed and which reports were written.
 */
export const INSERT_SQL = `
WITH x AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
    tenant_id uuid, ref_version text, category_version text, id uuid, tracking_code text, category_id uuid, kind text,
    description text, lat double precision, lng double precision, kecamatan_code text, kelurahan_code text, address text,
    attributes jsonb, reporter_user_id uuid, reporter_name text, reporter_phone text, reporter_email text,
    access_token_hash text, submitted_at timestamptz, due_at timestamptz, warn_at timestamptz, channel text,
    event_id uuid, event_actor_user_id uuid, audit_id uuid, domain_event_id uuid, actor_id uuid, actor_kind text,
    actor_name text, ip text, request_id text, facts jsonb, idem_scope text, idem_key text, idem_hash text, idem_response jsonb)
),
ref AS MATERIALIZED (
  SELECT tn.id AS tenant_id, ${referenceVersionSql('tn.id')} AS version
    FROM tenants tn WHERE tn.id IN (SELECT DISTINCT tenant_id FROM x)
),
ok AS (
  SELECT x.*, cat.default_unit_id
    FROM x
    JOIN ref ON ref.tenant_id = x.tenant_id AND ref.version = x.ref_version
    JOIN complaint_categories cat ON cat.tenant_id = x.tenant_id AND cat.id = x.category_id
     AND cat.xmin::text = x.category_version AND cat.active AND cat.public
),
k AS (
  INSERT INTO idempotency_keys AS k (tenant_id, scope, key, request_hash, created_at, status_code, response)
  SELECT ok.tenant_id, ok.idem_scope, ok.idem_key, ok.idem_hash, ok.submitted_at, 201, ok.idem_response FROM ok WHERE ok.idem_key IS NOT NULL
  ON CONFLICT (tenant_id, scope, key) DO UPDATE
    SET request_hash = excluded.request_hash, status_code = excluded.status_code, response = excluded.response, created_at = excluded.created_at
    WHERE k.created_at <= excluded.created_at - make_interval(secs => $2)
  RETURNING tenant_id, scope, key
),
c AS (
  INSERT INTO complaints (tenant_id, id, tracking_code, category_id, kind, status, description, lat, lng, kecamatan_code,
                          kelurahan_code, address, attributes, unit_id, reporter_user_id, reporter_name, reporter_phone,
                          reporter_email, access_token_hash, submitted_at, due_at, warn_at, updated_at, channel)
  SELECT ok.tenant_id, ok.id, ok.tracking_code, ok.category_id, ok.kind, 'submitted', ok.description, ok.lat, ok.lng, ok.kecamatan_code,
         ok.kelurahan_code, ok.address, ok.attributes,
         COALESCE(${ROUTE_SQL('ok.kelurahan_code')}, ${ROUTE_SQL('ok.kecamatan_code')}, ok.default_unit_id),
         ok.reporter_user_id, ok.reporter_name, ok.reporter_phone, ok.reporter_email, decode(ok.access_token_hash, 'hex'),
         ok.submitted_at, ok.due_at, ok.warn_at, ok.submitted_at, ok.channel
    FROM ok
   WHERE ok.idem_key IS NULL OR EXISTS (SELECT 1 FROM k WHERE k.tenant_id = ok.tenant_id AND k.scope = ok.idem_scope AND k.key = ok.idem_key)
  ON CONFLICT (tenant_id, tracking_code) DO NOTHING
  RETURNING tenant_id, id, unit_id
),
ev AS (
  INSERT INTO complaint_events (tenant_id, id, complaint_id, action, from_status, to_status, unit_id, actor_user_id, actor_kind, at)
  SELECT x.tenant_id, x.event_id, x.id, 'submit', NULL, 'submitted', c.unit_id, x.event_actor_user_id, 'reporter', x.submitted_at
    FROM c JOIN x ON x.tenant_id = c.tenant_id AND x.id = c.id
),
au AS (
  INSERT INTO audit_events (tenant_id, id, occurred_at, actor_id, actor_kind, actor_name, action, entity_type, entity_id, unit_id, data, ip, request_id)
  SELECT x.tenant_id, x.audit_id, x.submitted_at, x.actor_id, x.actor_kind, x.actor_name, 'complaint.submitted', 'complaint', x.id::text,
         c.unit_id, x.facts || jsonb_build_object('unitId', c.unit_id), x.ip, x.request_id
    FROM c JOIN x ON x.tenant_id = c.tenant_id AND x.id = c.id
),
de AS (
  INSERT INTO domain_events (tenant_id, id, type, aggregate_type, aggregate_id, unit_id, payload, occurred_at)
  SELECT x.tenant_id, x.domain_event_id, 'complaint.submitted', 'complaint', x.id::text, c.unit_id,
         x.facts || jsonb_build_object('unitId', c.unit_id), x.submitted_at
    FROM c JOIN x ON x.tenant_id = c.tenant_id AND x.id = c.id
)
SELECT 'ok' AS what, ok.id::text AS id, ok.idem_key AS key FROM ok
UNION ALL
SELECT 'claimed', x.id::text, x.idem_key FROM k JOIN x ON x.tenant_id = k.tenant_id AND x.idem_scope = k.scope AND x.idem_key = k.key
UNION ALL
SELECT 'written', c.id::text, NULL FROM c`;

/** Exported for the tests that hand it prepared batches. */
export async function flushBatch(db: Database, items: Item[]): Promise<Array<{ ok: Outcome } | 'retry'>> {
  const result = await withTx(db, async (q) => {
    const rows: { what: 'ok' | 'claimed' | 'written'; id: string }[] = await q(
      INSERT_SQL,
      [JSON.stringify(items.map((i) => i.record)), IDEMPOTENCY_TTL_MS / 1000],
      'complaints_batch_insert',
    );
    const sets = { ok: new Set<string>(), claimed: new Set<string>(), written: new Set<string>() };
    for (const r of rows) sets[r.what].add(r.id);
    // A key claimed for a report that was not written (its tracking code was taken) must not
    // answer for it: give the key back before commit.
    const orphans = items.filter((i) => sets.claimed.has(i.record.id) && !sets.written.has(i.record.id));
    if (orphans.length) {
      await q(
        `DELETE FROM idempotency_keys k USING unnest($1::uuid[], $2::text[], $3::text[]) AS o(tenant_id, scope, key)
          WHERE k.tenant_id = o.tenant_id AND k.scope = o.scope AND k.key = o.key`,
        [orphans.map((i) => i.record.tenant_id), orphans.map((i) => i.record.idem_scope), orphans.map((i) => i.record.idem_key)],
      );
    }
    return sets;
  });
  const stale = new Set<string>();
  const outcomes = items.map((i): { ok: Outcome } | 'retry' => {
    if (result.written.has(i.record.id)) return { ok: { status: 201, body: i.body, replayed: false } };
    // Not past `ok`: the tenant's reference data or the category changed since the snapshot.
    if (!result.ok.has(i.record.id)) stale.add(i.record.tenant_id);
    return 'retry';
  });
  for (const tenantId of stale) dropReferenceSnapshot(db, tenantId);
  if (result.written.size > 0) {
    const hooks = new Set(items.filter((i) => result.written.has(i.record.id)).map((i) => i.ctx.afterCommit));
    for (const h of hooks) {
      h?.eventsWritten();
      h?.auditWritten();
    }
  }
  return outcomes;
}
