import { z } from 'zod';
import type { AppInstance } from '../../../app.js';
import { addProblemMessages } from '../../../../common/i18n/problems.js';
import { ComplaintStatusEnum } from '../../../../common/complaints/contracts.js';
import { BULK_MAX, bulkTriage } from './bulkTriage.js';
import { exportInboxCsv } from './exportCsv.js';
import { SEARCH_MAX_LENGTH } from './search.js';
import { cachedTransparency, TRANSPARENCY_PERIODS, unitStats } from './stats.js';
import { MAX_ZOOM, parseBBox } from '../map/grid.js';
import { InboxItem, presentInboxItem } from '../presenters.js';
import { INBOX_MAP_MAX, listInboxMap } from '../queries.js';

addProblemMessages({
  'complaints.stats_period': {
    id: 'Periode tidak valid: tanggal awal harus sebelum tanggal akhir, paling lama 2 tahun.',
    en: 'Invalid period: the start must come before the end, at most 2 years.',
  },
  'complaints.bulk_duplicate': { id: 'Setiap laporan hanya boleh disebut sekali.', en: 'Each report may be listed only once.' },
});

const regionCode = z.string().regex(/^\d{2}\.\d{2}\.\d{2}(\.\d{4})?$/, { message: 'complaints.region_code' });
const flag = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The inbox filters (GET /api/v1/complaints without the page), shared by the CSV export. */
export const InboxFilterQuery = z.object({
  status: ComplaintStatusEnum.optional(),
  categoryId: z.uuid().optional(),
  unitId: z.uuid().optional(),
  regionCode: regionCode.optional(),
  overdue: flag,
  escalated: flag,
  q: z.string().max(SEARCH_MAX_LENGTH).optional(),
});

/** An inbox row on the map view: the list's item with its coordinates. */
const InboxMapItem = InboxItem.extend({ lat: z.number(), lng: z.number() });

const BulkBody = z
  .object({
    action: z.enum(['verify', 'dispose']),
    ids: z.array(z.uuid()).min(1).max(BULK_MAX),
    /** Receiving unit; required to dispose. */
    unitId: z.uuid().optional(),
    /** Internal note written on each report. */
    note: z.string().trim().max(2000).optional(),
  })
  .superRefine((b, ctx) => {
    if (new Set(b.ids).size !== b.ids.length) ctx.addIssue({ code: 'custom', path: ['ids'], message: 'complaints.bulk_duplicate' });
    if (b.action === 'dispose' && !b.unitId) ctx.addIssue({ code: 'invalid_type', expected: 'string', input: undefined, path: ['unitId'], message: 'undefined' });
  });

const BulkResult = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      status: z.number(),
      newStatus: z.string().optional(),
      code: z.string().optional(),
      message: z.string().optional(),
    }),
  ),
  succeeded: z.number(),
  failed: z.number(),
});

const Figures = z.object({
  received: z.number(),
  open: z.number(),
  overdue: z.number(),
  resolved: z.number(),
  resolvedOnTime: z.number(),
  onTimeShare: z.number().nullable(),
  medianHoursToResolve: z.number().nullable(),
  averageRating: z.number().nullable(),
  ratings: z.number(),
});
const PublicFigures = Figures.omit({ open: true, resolvedOnTime: true });

/** Inbox tools (bulk triage, CSV export), unit statistics and the public transparency page. */
export function complaintInboxRoutes(app: AppInstance): void {
  const tags = ['complaints'];

  app.post(
    '/api/v1/complaints/bulk',
    {
      config: { access: { permission: 'complaints.triage' } },
      schema: {
        tags,
        summary: `Verify or dispose up to ${BULK_MAX} reports at once; each report is moved by the same command as alone (own transaction and audit) and the answer lists each one's outcome (status 200, 404, 409…)`,
        body: BulkBody,
        response: { 200: BulkResult },
      },
    },
    async (req) => bulkTriage(req.ctx(), req.body),
  );

  app.get(
    '/api/v1/complaints/inbox-map',
    {
      config: { access: { authenticated: true, userKind: 'staff' } },
      schema: {
        tags,
        summary: `The inbox's map view: the newest reports (at most ${INBOX_MAP_MAX}) of the inbox with the same filters and scope, that have coordinates inside the box; truncated when there were more (zoom in)`,
        querystring: InboxFilterQuery.extend({
          /** west,south,east,north in decimal degrees; at most 24 tiles of the zoom each way. */
          bbox: z.string().max(200),
          zoom: z.coerce.number().int().min(0).max(MAX_ZOOM),
        }),
        response: { 200: z.object({ items: z.array(InboxMapItem), truncated: z.boolean() }) },
      },
    },
    async (req) => {
      const { bbox, zoom, ...filter } = req.query;
      const ctx = req.ctx();
      const { rows, truncated } = await listInboxMap(ctx, { ...filter, bbox: parseBBox(bbox, zoom) });
      const now = ctx.clock.now();
      return { items: rows.map((r) => ({ ...presentInboxItem(r, now), lat: Number(r.lat), lng: Number(r.lng) })), truncated };
    },
  );

  app.get(
    '/api/v1/complaints/export.csv',
    {
      config: { access: { authenticated: true, userKind: 'staff' } },
      schema: {
        tags,
        summary:
          'The filtered inbox as CSV for Excel (UTF-8 with BOM, `;` by default, times in the tenant zone, at most 100,000 rows), scoped like the inbox; reporter contact masked without personal_data.read; audited',
        querystring: InboxFilterQuery.extend({ delimiter: z.enum(['semicolon', 'comma']).default('semicolon') }),
        produces: ['text/csv'],
      },
    },
    async (req, reply) => {
      const { delimiter, ...filter } = req.query;
      const stream = await exportInboxCsv(req.ctx(), filter, delimiter);
      const day = new Date().toISOString().slice(0, 10);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="pengaduan-${day}.csv"`)
        .header('cache-control', 'no-store')
        .send(stream);
    },
  );

  app.get(
    '/api/v1/complaints/stats',
    {
      config: { access: { authenticated: true, userKind: 'staff' } },
      schema: {
        tags,
        summary:
          'Statistics of the reports submitted in a period (days in the tenant zone, default the last 30): open, overdue, resolved, median hours to resolve, average rating, per category. Triage: the tenant or a unit subtree; handlers: their units',
        querystring: z.object({ unitId: z.uuid().optional(), from: date.optional(), to: date.optional() }),
        response: {
          200: z.object({
            from: z.string(),
            to: z.string(),
            unitId: z.string().nullable(),
            totals: Figures,
            categories: z.array(Figures.extend({ categoryId: z.string(), categoryName: z.string() })),
          }),
        },
      },
    },
    async (req) => unitStats(req.ctx(), req.query),
  );

  app.get(
    '/api/v1/complaints/transparency',
    {
      config: { access: { public: true } },
      schema: {
        tags,
        summary:
          'Public transparency per agency over the last 30, 90 or 365 days: reports received, share answered within the deadline, median hours to resolve, average rating (recomputed at most every 10 minutes)',
        querystring: z.object({
          days: z.coerce
            .number()
            .int()
            .refine((d) => (TRANSPARENCY_PERIODS as readonly number[]).includes(d))
            .default(30),
        }),
        response: {
          200: z.object({
            days: z.number(),
            from: z.string(),
            to: z.string(),
            totals: PublicFigures,
            agencies: z.array(PublicFigures.extend({ unitId: z.string(), unitName: z.string() })),
          }),
        },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return cachedTransparency(req.ctx(), req.query.days);
    },
  );
}
