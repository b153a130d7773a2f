import { z } from 'zod';
import type { AppInstance } from '../../../app.js';
import { Invalid } from '../../../platform/errors.js';
import { pageQuery } from '../../../../common/validators.js';
import { COMPLAINT_STATUSES } from '../../../../common/complaints/workflow.js';
import './messages.js';
import { MAX_ZOOM, parseBBox } from './grid.js';
import { listPublic, mapConfig, publicMap, STATUS_GROUPS } from './queries.js';
import { updateMapSettings } from './updateMapSettings.js';

/** Per-IP limit of the public map and list (a map pans and zooms: generous, but not unbounded). */
const MAP_RATE = { max: 600, timeWindow: '1 minute' };

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'field.date' });
const PublicFilterQuery = {
  category: z.uuid().optional(),
  /** Public status group: verified (waiting for disposition), in_progress, resolved (resolved or closed). */
  status: z.enum(STATUS_GROUPS).optional(),
  /** Kemendagri code of a kecamatan of the tenant (73.71.01). */
  kecamatan: z
    .string()
    .regex(/^\d{2}\.\d{2}\.\d{2}$/, { message: 'complaints.region_code' })
    .optional(),
  /** First day of the submission period (YYYY-MM-DD, the tenant's time zone). */
  from: date.optional(),
  /** Last day of the submission period, inclusive. */
  to: date.optional(),
};

function checkPeriod(q: { from?: string; to?: string }): void {
  if (q.from && q.to && q.from > q.to) throw Invalid.field('querystring.to', 'complaints.map_period');
  for (const k of ['from', 'to'] as const) {
    const v = q[k];
    if (v && Number.isNaN(Date.parse(`${v}T00:00:00Z`))) throw Invalid.field(`querystring.${k}`, 'field.date');
  }
}

const Region = z.object({ code: z.string(), name: z.string() }).nullable();
const StatusGroup = z.enum(STATUS_GROUPS);

export const MapView = z.object({
  mode: z.enum(['clusters', 'points']),
  /** Grid level of the clusters (a cell is one tile of that zoom); null for points. */
  level: z.number().nullable(),
  /** Reports in the covered cells (clusters) or in the box (points, counted up to the limit + 1). */
  total: z.number(),
  /** More reports are in the box than the points sent: zoom in. */
  truncated: z.boolean(),
  clusters: z.array(z.object({ lat: z.number(), lng: z.number(), count: z.number(), verified: z.number(), inProgress: z.number(), resolved: z.number() })),
  points: z.array(
    z.object({
      trackingCode: z.string(),
      lat: z.number(),
      lng: z.number(),
      status: z.enum(COMPLAINT_STATUSES),
      statusGroup: StatusGroup,
      categoryId: z.string(),
      categoryName: z.string(),
      categoryIcon: z.string(),
      submittedAt: z.string(),
    }),
  ),
});

export const PublicItem = z.object({
  trackingCode: z.string(),
  status: z.enum(COMPLAINT_STATUSES),
  statusGroup: StatusGroup,
  category: z.object({ id: z.string(), name: z.string(), icon: z.string() }),
  summary: z.string(),
  location: z.object({ lat: z.number(), lng: z.number() }).nullable(),
  kecamatan: Region,
  kelurahan: Region,
  submittedAt: z.string(),
  updatedAt: z.string(),
});

export const MapConfig = z.object({
  tileUrl: z.string(),
  attribution: z.string(),
  /** The tenant's report area (initial view of maps), null when not set up. */
  bounds: z.object({ south: z.number(), west: z.number(), north: z.number(), east: z.number() }).nullable(),
});

const MapSettingsBody = z
  .strictObject({
    tileUrl: z
      .string()
      .trim()
      .max(300)
      .refine((u) => /^https?:\/\/[^\s]+$/.test(u) && ['{z}', '{x}', '{y}'].every((p) => u.includes(p)), { message: 'complaints.map_tile_url' })
      .optional(),
    attribution: z.string().trim().min(1).max(300).optional(),
  })
  .refine((b) => b.tileUrl !== undefined || b.attribution !== undefined, { message: 'field.required' });

/** The public map and list of verified reports, and the tenant's map settings. */
export function complaintMapRoutes(app: AppInstance): void {
  const tags = ['complaints'];

  app.get(
    '/api/v1/complaints/map/config',
    {
      config: { access: { public: true } },
      schema: { tags, summary: 'Tile server, attribution and report area of the tenant’s maps', response: { 200: MapConfig } },
    },
    async (req) => mapConfig(req.ctx().db.orm, req.tenant.id),
  );

  app.get(
    '/api/v1/complaints/map',
    {
      config: { access: { public: true }, rateLimit: MAP_RATE },
      schema: {
        tags,
        summary:
          'Public map of verified reports in a bounding box: server-side clusters (count and centroid per quarter-tile cell) up to zoom 15, the reports themselves from zoom 16 when the screen can show them all (one pin per 32 × 32 px of the box at its zoom, 100 to 500), always from zoom 18 (the newest that many; `truncated` when there are more). Never unverified, hidden or private-category reports, never the reporter.',
        querystring: z.object({
          /** west,south,east,north in decimal degrees; at most 24 tiles of the zoom each way. */
          bbox: z.string().max(200),
          zoom: z.coerce.number().int().min(0).max(MAX_ZOOM),
          ...PublicFilterQuery,
        }),
        response: { 200: MapView },
      },
    },
    async (req) => {
      const { bbox, zoom, category, ...rest } = req.query;
      const box = parseBBox(bbox, zoom);
      checkPeriod(rest);
      return publicMap(req.ctx(), box, zoom, { ...rest, categoryId: category });
    },
  );

  app.get(
    '/api/v1/complaints/public',
    {
      config: { access: { public: true }, rateLimit: MAP_RATE },
      schema: {
        tags,
        summary: 'Public list of verified reports, newest first, with the map’s filters (no reporter, no internal notes)',
        querystring: z.object({ ...PublicFilterQuery, ...pageQuery }),
        response: { 200: z.object({ items: z.array(PublicItem), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const { category, ...rest } = req.query;
      checkPeriod(rest);
      return listPublic(req.ctx(), { ...rest, categoryId: category });
    },
  );

  app.patch(
    '/api/v1/admin/complaints/map-settings',
    {
      config: { access: { permission: 'complaints.categories.manage' } },
      schema: { tags, summary: 'Change the tile server (and its attribution) of the tenant’s maps', body: MapSettingsBody, response: { 200: MapConfig } },
    },
    async (req) => {
      await updateMapSettings(req.ctx(), req.body);
      return mapConfig(req.ctx().db.orm, req.tenant.id);
    },
  );
}
