import { sql } from 'drizzle-orm';
import { boolean, customType, doublePrecision, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { AttributeDefinition, DeadlineHours } from '../../../common/complaints/contracts.js';
import type { ComplaintKind, ComplaintStatus, RejectionReason, WorkflowActor } from '../../../common/complaints/workflow.js';
import { bytea } from '../../platform/auth/schema.js';
import type { ComplaintChannel, IntakeChannel, IntakeStatus } from '../../../common/complaints/intake.js';

/** PostgreSQL full-text vector (read-only here: the search column is generated). */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const complaintSettings = pgTable('complaint_settings', {
  tenantId: uuid('tenant_id').primaryKey(),
  boundsSouth: doublePrecision('bounds_south').notNull(),
  boundsWest: doublePrecision('bounds_west').notNull(),
  boundsNorth: doublePrecision('bounds_north').notNull(),
  boundsEast: doublePrecision('bounds_east').notNull(),
  /** Raster tile URL of the tenant's maps and its attribution (migration 0012, see map/). */
  mapTileUrl: text('map_tile_url').notNull().default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
  mapAttribution: text('map_attribution').notNull().default('© OpenStreetMap contributors'),
  /** Days after which a resolved report the reporter neither confirmed nor reopened is closed. */
  autoCloseDays: integer('auto_close_days').notNull().default(7),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const complaintCategories = pgTable(
  'complaint_categories',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    icon: text('icon').notNull(),
    kind: text('kind').$type<ComplaintKind>().notNull(),
    defaultUnitId: uuid('default_unit_id').notNull(),
    public: boolean('public').notNull(),
    active: boolean('active').notNull(),
    sortOrder: integer('sort_order').notNull(),
    deadlineHours: jsonb('deadline_hours').$type<DeadlineHours>().notNull(),
    attributes: jsonb('attributes').$type<AttributeDefinition[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const complaintRoutingRules = pgTable(
  'complaint_routing_rules',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    categoryId: uuid('category_id').notNull(),
    regionCode: text('region_code').notNull(),
    unitId: uuid('unit_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const complaints = pgTable(
  'complaints',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    trackingCode: text('tracking_code').notNull(),
    categoryId: uuid('category_id').notNull(),
    kind: text('kind').$type<ComplaintKind>().notNull(),
    status: text('status').$type<ComplaintStatus>().notNull(),
    description: text('description').notNull(),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    kecamatanCode: text('kecamatan_code'),
    kelurahanCode: text('kelurahan_code'),
    address: text('address'),
    attributes: jsonb('attributes').$type<Record<string, string | number>>().notNull(),
    unitId: uuid('unit_id').notNull(),
    rejectionReason: text('rejection_reason').$type<RejectionReason>(),
    reporterUserId: uuid('reporter_user_id'),
    reporterName: text('reporter_name'),
    reporterPhone: text('reporter_phone'),
    reporterEmail: text('reporter_email'),
    accessTokenHash: bytea('access_token_hash'),
    hidden: boolean('hidden').notNull().default(false),
    /** The primary report this one was merged into (rejected as duplicate; migration 0011). */
    mergedIntoId: uuid('merged_into_id'),
    /** Rows of complaint_supporters (migration 0011). */
    supportersCount: integer('supporters_count').notNull().default(0),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    disposedAt: timestamp('disposed_at', { withTimezone: true }),
    dueAt: timestamp('due_at', { withTimezone: true }),
    pausedHours: doublePrecision('paused_hours'),
    warnAt: timestamp('warn_at', { withTimezone: true }),
    warnedAt: timestamp('warned_at', { withTimezone: true }),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    resumeStatus: text('resume_status').$type<ComplaintStatus>(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    rating: smallint('rating'),
    ratingComment: text('rating_comment'),
    ratedAt: timestamp('rated_at', { withTimezone: true }),
    /** Where the report came in (migration 0013). */
    channel: text('channel').$type<ComplaintChannel>().notNull().default('web'),
    /** Public answers (public notes, resolution answer), kept by a trigger (migration 0014). */
    searchAnswers: text('search_answers'),
    /** Whether the last resolution came after its due time; set by a trigger (migration 0014). */
    resolvedLate: boolean('resolved_late'),
    /** Indonesian full-text vector of description, address and answers (generated, migration 0014). */
    searchVector: tsvector('search_vector').generatedAlwaysAs(
      sql`setweight(to_tsvector('indonesian', description), 'A') || setweight(to_tsvector('indonesian', coalesce(address, '')), 'B') || setweight(to_tsvector('indonesian', coalesce(search_answers, '')), 'C')`,
    ),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const complaintPhotos = pgTable(
  'complaint_photos',
  {
    tenantId: uuid('tenant_id').notNull(),
    fileId: uuid('file_id').notNull(),
    complaintId: uuid('complaint_id').notNull(),
    position: smallint('position').notNull(),
    hidden: boolean('hidden').notNull().default(false),
    /** Hidden by moderation (migration 0011); only such photos may be shown again. */
    moderated: boolean('moderated').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.fileId] })],
);

export const complaintEvents = pgTable(
  'complaint_events',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    complaintId: uuid('complaint_id').notNull(),
    action: text('action').notNull(),
    fromStatus: text('from_status').$type<ComplaintStatus>(),
    toStatus: text('to_status').$type<ComplaintStatus>(),
    note: text('note'),
    internal: boolean('internal').notNull().default(false),
    unitId: uuid('unit_id'),
    actorUserId: uuid('actor_user_id'),
    actorKind: text('actor_kind').$type<WorkflowActor>().notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/** Response templates of the staff workspace (migration 0010). */
export const complaintResponseTemplates = pgTable(
  'complaint_response_templates',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    categoryId: uuid('category_id'),
    active: boolean('active').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/** Messages of the intake webhook waiting in the triage queue (migration 0013). */
export const complaintIntake = pgTable(
  'complaint_intake',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    channel: text('channel').$type<IntakeChannel>().notNull(),
    externalId: text('external_id'),
    text: text('text').notNull(),
    sender: jsonb('sender').$type<{ name?: string; handle?: string; phone?: string }>().notNull(),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    address: text('address'),
    media: jsonb('media').$type<{ id: string; mime: string }[]>().notNull(),
    status: text('status').$type<IntakeStatus>().notNull(),
    complaintId: uuid('complaint_id'),
    discardReason: text('discard_reason'),
    apiKeyId: uuid('api_key_id'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    handledBy: uuid('handled_by'),
    handledAt: timestamp('handled_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/** Residents supporting a report, and the reporters/supporters of reports merged into it (migration 0011). */
export const complaintSupporters = pgTable(
  'complaint_supporters',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    complaintId: uuid('complaint_id').notNull(),
    userId: uuid('user_id'),
    email: text('email'),
    viaComplaintId: uuid('via_complaint_id'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/** Originals of moderated (redacted) texts, readable with audit.read only (migration 0011). */
export const complaintRedactions = pgTable(
  'complaint_redactions',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    complaintId: uuid('complaint_id').notNull(),
    eventId: uuid('event_id'),
    original: text('original').notNull(),
    redacted: text('redacted').notNull(),
    reason: text('reason').notNull(),
    actorUserId: uuid('actor_user_id'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/** Figures of the public transparency page per tenant and period, recomputed when stale (migration 0014). */
export const complaintTransparencyCache = pgTable(
  'complaint_transparency_cache',
  {
    tenantId: uuid('tenant_id').notNull(),
    days: integer('days').notNull(),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull(),
    body: jsonb('body').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.days] })],
);
