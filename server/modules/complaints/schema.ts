import { boolean, doublePrecision, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { AttributeDefinition, DeadlineHours } from '../../../common/complaints/contracts.js';
import type { ComplaintKind, ComplaintStatus, RejectionReason, WorkflowActor } from '../../../common/complaints/workflow.js';
import { bytea } from '../../platform/auth/schema.js';

export const complaintSettings = pgTable('complaint_settings', {
  tenantId: uuid('tenant_id').primaryKey(),
  boundsSouth: doublePrecision('bounds_south').notNull(),
  boundsWest: doublePrecision('bounds_west').notNull(),
  boundsNorth: doublePrecision('bounds_north').notNull(),
  boundsEast: doublePrecision('bounds_east').notNull(),
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
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    disposedAt: timestamp('disposed_at', { withTimezone: true }),
    dueAt: timestamp('due_at', { withTimezone: true }),
    pausedHours: doublePrecision('paused_hours'),
    resumeStatus: text('resume_status').$type<ComplaintStatus>(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    rating: smallint('rating'),
    ratingComment: text('rating_comment'),
    ratedAt: timestamp('rated_at', { withTimezone: true }),
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
