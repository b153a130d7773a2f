import { doublePrecision, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bytea } from '../auth/schema.js';

export const files = pgTable(
  'files',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    sha256: text('sha256').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    width: integer('width'),
    height: integer('height'),
    thumbSha256: text('thumb_sha256'),
    originalName: text('original_name'),
    gpsLat: doublePrecision('gps_lat'),
    gpsLng: doublePrecision('gps_lng'),
    purpose: text('purpose').notNull(),
    visibility: text('visibility').$type<'public' | 'private'>().notNull().default('private'),
    uploadedBy: uuid('uploaded_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** sha256 of the download token handed to an anonymous uploader; cleared when claimed. */
    accessTokenHash: bytea('access_token_hash'),
    /** When a module took the file over (claimFiles); its registered policy decides from then on. */
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);
