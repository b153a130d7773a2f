import { z } from 'zod';
import { regionCodeSchema } from '../../../common/validators.js';
import type { AppInstance } from '../../app.js';
import { getRegion, listRegions, MAX_LIMIT } from './queries.js';

const RegionRef = z.object({ code: z.string(), name: z.string() }).nullable();

export const RegionSchema = z.object({
  code: z.string(),
  name: z.string(),
  level: z.number().int().min(1).max(4),
  parentCode: z.string().nullable(),
  province: RegionRef,
  regency: RegionRef,
  district: RegionRef,
});

/** Public reference data: Indonesian regions (Kemendagri codes), shared by every tenant. */
export function regionRoutes(app: AppInstance): void {
  app.get(
    '/api/v1/regions',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['regions'],
        summary: 'Regions below a parent (by name, with a cursor) or a typo-tolerant name search (best match first)',
        description:
          'Without `q`: the children of `parent` (or of the country), or with `level` the regions up to two levels below it, ordered by name. ' +
          'With `q`: names similar to `q` (pg_trgm), optionally only below `parent` and at `level`; one page, `nextCursor` is null. ' +
          'An unknown `parent` answers 404 `region_not_found`.',
        querystring: z.strictObject({
          parent: regionCodeSchema.optional(),
          q: z.string().trim().min(3).max(100).optional(),
          level: z.coerce.number().int().min(1).max(4).optional(),
          cursor: z.string().max(400).optional(),
          limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(25),
        }),
        response: { 200: z.object({ items: z.array(RegionSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (req, reply) => {
      const page = await listRegions(req.server.deps.db, req.query);
      reply.header('cache-control', 'public, max-age=3600');
      return page;
    },
  );

  app.get(
    '/api/v1/regions/:code',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['regions'],
        summary: 'One region with its province, regency and district',
        params: z.strictObject({ code: regionCodeSchema }),
        response: { 200: RegionSchema.extend({ childCount: z.number().int() }) },
      },
    },
    async (req, reply) => {
      const region = await getRegion(req.server.deps.db, req.params.code);
      reply.header('cache-control', 'public, max-age=3600');
      return region;
    },
  );
}
