import { createHash, randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { AttributeDefinition, SubmitComplaintBody } from '../../../../common/complaints/contracts.js';
import { type Ctx, inTransaction, type TxCtx } from '../../../platform/context.js';
import { claimIdempotencyKey, type IdempotencyRequest, type IdempotentOutcome, storeIdempotentResponse } from '../../../platform/idempotency/idempotency.js';
import { Forbidden, Invalid } from '../../../platform/errors.js';
import type { ComplaintChannel } from '../../../../common/complaints/intake.js';
import { can } from '../../../platform/policies/actor.js';
import { trackingCode } from '../../../platform/numbering/format.js';
import { claimFiles } from '../../../platform/files/commands/claimFiles.js';
import type { FieldError } from '../../../platform/errors.js';
import { nextDeadline } from '../deadlines.js';
import { routeComplaint } from '../queries.js';
import type { CategoryRow } from '../presenters.js';
import { submitBatched } from './submitBatched.js';
import { freshReference, type SubmissionReference } from './intakeReference.js';
import { complaintEvents, complaintPhotos, complaints } from '../schema.js';

/** Purpose under which report photos are claimed; its download policy is registered by the module. */
export const PHOTO_PURPOSE = 'complaint.photo';

/** Tracking codes: "ADU-" + 3 groups of 4 Crockford base32 symbols (60 random bits), e.g. ADU-7H3K-9QXA-M2PT. */
export const TRACKING_PREFIX = 'ADU';
export const TRACKING_GROUPS = 3;

export function newTrackingCode(): string {
  return trackingCode(TRACKING_PREFIX, TRACKING_GROUPS);
}

export function hashAccessToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

export type SubmitComplaintInput = SubmitComplaintBody;

export interface SubmittedComplaint {
  id: string;
  trackingCode: string;
  /** Key of the private link, returned once to an anonymous reporter. */
  accessToken?: string;
  status: 'submitted';
  submittedAt: string;
}

/** How a report is filed besides its content (call centre, intake queue; see intake/). */
export interface FilingOptions {
  /** Where the report came in; `web` when not given. */
  channel?: ComplaintChannel;
  /**
   * Triage staff file the report for a caller or a message's sender: `reporter` is that person
   * (not the signed-in actor), who gets a private link key; the staff member is recorded as the
   * one who filed it in the timeline and the audit trail.
   */
  onBehalf?: boolean;
}

function checkAttributes(defs: AttributeDefinition[], values: Record<string, string | number>): FieldError[] {
  const errors: FieldError[] = [];
  for (const code of Object.keys(values)) {
    if (!defs.some((d) => d.code === code)) errors.push({ field: `attributes.${code}`, code: 'field.unknown', params: { key: code } });
  }
  for (const d of defs) {
    const v = values[d.code];
    const field = `attributes.${d.code}`;
    if (v === undefined || v === '') {
      if (d.required) errors.push({ field, code: 'field.required', params: {} });
      continue;
    }
    if (d.datatype === 'number' && typeof v !== 'number') errors.push({ field, code: 'field.type', params: { expected: 'number' } });
    if (d.datatype === 'string' && typeof v !== 'string') errors.push({ field, code: 'field.type', params: { expected: 'string' } });
    if (d.datatype === 'singlevaluelist' && !d.values?.some((o) => o.key === v)) {
      errors.push({ field, code: 'field.enum', params: { options: (d.values ?? []).map((o) => o.key) } });
    }
  }
  return errors;
}

/**
 * A resident (signed in or anonymous) files a report: the category must be active and public,
 * the place inside the tenant (coordinates within its bounds, region code below its region),
 * required attributes present and photos their own. The report is routed to a unit, gets a
 * tracking code (and a private link key when anonymous), and is written with its photos, first
 * timeline entry, audit event and `complaint.submitted` event in one transaction: a report without
 * photos in a transaction shared with the reports that arrive meanwhile (submitBatched.ts).
 */
export async function submitComplaint(
  ctx: Ctx,
  input: SubmitComplaintInput,
  idempotency: IdempotencyRequest | null = null,
  options: FilingOptions = {},
): Promise<IdempotentOutcome<SubmittedComplaint>> {
  const oneByOne = () => submitOneByOne(ctx, input, idempotency, options);
  // Photos are claimed and checked one by one; so are reports filed on a caller's behalf.
  if (input.photos.length === 0 && options.onBehalf !== true) return submitBatched(ctx, input, idempotency, options, oneByOne);
  return oneByOne();
}

/** The one-by-one way: its own transaction, fresh reads (see submitBatched for the batched way). */
async function submitOneByOne(
  ctx: Ctx,
  input: SubmitComplaintInput,
  idempotency: IdempotencyRequest | null,
  options: FilingOptions,
): Promise<IdempotentOutcome<SubmittedComplaint>> {
  return inTransaction(ctx, async (tx) => {
    // A retry with the same Idempotency-Key gets the first answer (its private link key included,
    // kept on the key row until the key expires) and writes nothing.
    if (idempotency) {
      const replay = await claimIdempotencyKey<SubmittedComplaint>(tx, idempotency);
      if (replay) return replay;
    }
    const body = await fileComplaint(tx, input, options);
    const response = { status: 201, body };
    if (idempotency) await storeIdempotentResponse(tx, idempotency, response);
    return { ...response, replayed: false };
  });
}

/** What checkSubmission found out about a valid report. */
export interface CheckedSubmission {
  category: CategoryRow;
  kecamatan: string | null;
  kelurahan: string | null;
}

/**
 * The rules a report must pass before anything is written: the category active and public, the
 * place inside the tenant (coordinates within its bounds, region code below its region), required
 * attributes present, a reporter contact only from anonymous reporters. Throws 422 with every
 * field error at once. Shared by the one-by-one path (fresh reads) and the batched path (snapshot).
 */
export async function checkSubmission(ctx: Ctx, ref: SubmissionReference, input: SubmitComplaintInput, options: FilingOptions = {}): Promise<CheckedSubmission> {
  const onBehalf = options.onBehalf === true;
  const errors: FieldError[] = [];
  const category = await ref.category(input.categoryId);
  if (!category?.active || !category.public) throw Invalid.field('categoryId', 'complaints.category_unknown');

  if (input.location) {
    const b = await ref.bounds();
    const { lat, lng } = input.location;
    if (b && (lat < b.south || lat > b.north || lng < b.west || lng > b.east)) errors.push({ field: 'location', code: 'complaints.location_outside', params: {} });
  }
  let kecamatan: string | null = null;
  let kelurahan: string | null = null;
  if (input.regionCode) {
    const region = input.regionCode.startsWith(`${ctx.tenant.regionCode}.`) ? await ref.region(input.regionCode) : undefined;
    if (!region) errors.push({ field: 'regionCode', code: 'field.region_outside_tenant', params: { code: input.regionCode, tenant: ctx.tenant.name } });
    else if (region.level === 4) {
      kelurahan = region.code;
      kecamatan = region.parent_code;
    } else kecamatan = region.code;
  } else if (!input.location) {
    errors.push({ field: 'regionCode', code: 'complaints.place_required', params: {} });
  }
  errors.push(...checkAttributes(category.attributes, input.attributes));
  if (!onBehalf && ctx.actor.kind !== 'anonymous' && input.reporter) errors.push({ field: 'reporter', code: 'complaints.reporter_anonymous_only', params: {} });
  if (!onBehalf && ctx.actor.kind !== 'anonymous' && ctx.actor.kind !== 'user') errors.push({ field: 'reporter', code: 'complaints.reporter_anonymous_only', params: {} });
  if (errors.length) throw new Invalid('validation', {}, errors);
  return { category, kecamatan, kelurahan };
}

/** The filing itself, inside the caller's transaction (the intake queue converts through it too). */
export async function fileComplaint(tx: TxCtx, input: SubmitComplaintInput, options: FilingOptions = {}): Promise<SubmittedComplaint> {
  const ctx = tx;
  const onBehalf = options.onBehalf === true;
  if (onBehalf && !(ctx.actor.kind === 'user' && can(ctx.actor, 'complaints.triage'))) throw new Forbidden();
  const ex = tx.tx;
  const ref = freshReference(ex, ctx.tenant);
  const { category, kecamatan, kelurahan } = await checkSubmission(ctx, ref, input, options);

  const unitId = await routeComplaint(ex, ctx.tenant.id, category, kecamatan, kelurahan);
  const id = uuidv7();
  const now = ctx.clock.now();
  const signedIn = ctx.actor.kind === 'user' && !onBehalf;
  const accessToken = signedIn ? undefined : randomBytes(32).toString('base64url');
  const { dueAt, warnAt } = nextDeadline(await ref.calendar(), category.deadline_hours, null, 'submitted', now, { dueAt: null, pausedHours: null });

  const trackingCode = await insertWithFreshCode(tx, {
    tenantId: ctx.tenant.id,
    id,
    categoryId: category.id,
    kind: input.kind ?? category.kind,
    status: 'submitted',
    description: input.description,
    lat: input.location?.lat ?? null,
    lng: input.location?.lng ?? null,
    kecamatanCode: kecamatan,
    kelurahanCode: kelurahan,
    address: input.address || null,
    attributes: input.attributes,
    unitId,
    reporterUserId: signedIn ? ctx.actor.id! : null,
    reporterName: input.reporter?.name ?? null,
    reporterPhone: input.reporter?.phone ?? null,
    reporterEmail: input.reporter?.email ?? null,
    accessTokenHash: accessToken ? hashAccessToken(accessToken) : null,
    submittedAt: now,
    dueAt,
    warnAt,
    updatedAt: now,
    channel: options.channel ?? 'web',
  });
  if (input.photos.length) {
    const claimed = await claimFiles(tx, { files: input.photos, purpose: PHOTO_PURPOSE, field: 'photos' });
    const notImages = input.photos.flatMap((p, i) => (claimed.find((f) => f.id === p.id)?.mime.startsWith('image/') ? [] : [{ field: `photos.${i}`, code: 'complaints.photo_not_image', params: {} }]));
    if (notImages.length) throw new Invalid('validation', {}, notImages);
    await tx.tx.insert(complaintPhotos).values(input.photos.map((p, i) => ({ tenantId: ctx.tenant.id, fileId: p.id, complaintId: id, position: i })));
  }
  await tx.tx.insert(complaintEvents).values({
    tenantId: ctx.tenant.id,
    id: uuidv7(),
    complaintId: id,
    action: 'submit',
    fromStatus: null,
    toStatus: 'submitted',
    unitId,
    actorUserId: signedIn || onBehalf ? ctx.actor.id! : null,
    actorKind: onBehalf ? 'triage' : 'reporter',
    at: now,
  });
  const facts = { trackingCode, categoryId: category.id, status: 'submitted', unitId, kecamatanCode: kecamatan, photos: input.photos.length, anonymous: !signedIn, channel: options.channel ?? 'web' };
  await tx.audit({ action: 'complaint.submitted', entityType: 'complaint', entityId: id, unitId, data: facts });
  await tx.emit({ type: 'complaint.submitted', aggregateType: 'complaint', aggregateId: id, unitId, payload: facts });
  return { id, trackingCode, ...(accessToken ? { accessToken } : {}), status: 'submitted', submittedAt: now.toISOString() };
}

/** Attempts at a free tracking code: with 60 random bits a second one is already a rarity. */
const TRACKING_CODE_ATTEMPTS = 5;

/**
 * Inserts the report under a new random tracking code, drawing another when the code is taken
 * (ON CONFLICT DO NOTHING keeps the transaction usable). Returns the code it got.
 */
export async function insertWithFreshCode(
  tx: TxCtx,
  values: Omit<typeof complaints.$inferInsert, 'trackingCode'>,
  nextCode: () => string = newTrackingCode,
): Promise<string> {
  for (let attempt = 0; attempt < TRACKING_CODE_ATTEMPTS; attempt++) {
    const code = nextCode();
    const inserted = await tx.tx
      .insert(complaints)
      .values({ ...values, trackingCode: code })
      .onConflictDoNothing({ target: [complaints.tenantId, complaints.trackingCode] })
      .returning({ id: complaints.id });
    if (inserted.length) return code;
  }
  throw new Error('no free tracking code after several attempts');
}
