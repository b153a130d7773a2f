import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppInstance } from '../../../app.js';
import { containsPattern, rowsOf } from '../../../platform/org/sql.js';
import { createTemplate, deleteTemplate, findTemplate, listTemplates, requireTemplateManager, requireTemplateReader, TemplateBody, TemplatePatch, TemplateView, updateTemplate } from './templates.js';

const IdParams = z.object({ id: z.uuid() });

export const UnitOption = z.object({
  id: z.string(),
  name: z.string(),
  code: z.string().nullable(),
  kind: z.string(),
  /** Names from below the tenant's root down to the unit's parent, for telling units apart. */
  path: z.array(z.string()),
});

/** How many units the dispose picker gets per search. */
export const UNIT_LOOKUP_LIMIT = 20;

/** The staff detail page's helpers: the unit picker of a disposition and the response templates. */
export function complaintWorkspaceRoutes(app: AppInstance): void {
  const tags = ['complaints'];

  app.get(
    '/api/v1/complaints/units',
    {
      config: { access: { permission: 'complaints.triage' } },
      schema: {
        tags,
        summary: `Active units of the tenant a report can be disposed to, searched by name or code (at most ${UNIT_LOOKUP_LIMIT})`,
        querystring: z.object({ q: z.string().trim().max(100).optional() }),
        response: { 200: z.object({ items: z.array(UnitOption) }) },
      },
    },
    async (req) => {
      const q = req.query.q ?? '';
      const pattern = containsPattern(q);
      const rows = await rowsOf<{ id: string; name: string; code: string | null; kind: string; path: string[] | null }>(
        req.ctx().db.orm,
        sql`SELECT u.id, u.name, u.code, u.kind,
                   ARRAY(SELECT a.name FROM unnest(u.path[2:array_length(u.path, 1) - 1]) WITH ORDINALITY AS p(id, n)
                           JOIN units a ON a.tenant_id = u.tenant_id AND a.id = p.id ORDER BY p.n) AS path
              FROM units u
             WHERE u.tenant_id = ${req.tenant.id} AND u.active
               ${q ? sql`AND (lower(u.name) LIKE ${pattern} OR lower(coalesce(u.code, '')) LIKE ${pattern})` : sql``}
             ORDER BY (lower(coalesce(u.code, '')) = ${q.toLowerCase()}) DESC, array_length(u.path, 1), u.name, u.id
             LIMIT ${UNIT_LOOKUP_LIMIT}`,
      );
      return { items: rows.map((r) => ({ id: r.id, name: r.name, code: r.code, kind: r.kind, path: r.path ?? [] })) };
    },
  );

  app.get(
    '/api/v1/complaints/templates',
    {
      config: { access: { authenticated: true, userKind: 'staff' } },
      schema: {
        tags,
        summary: 'Active response templates for the triage desk and handlers (complaints.triage or complaints.handle; otherwise 404); those of a category first when given',
        querystring: z.object({ categoryId: z.uuid().optional() }),
        response: { 200: z.object({ items: z.array(TemplateView) }) },
      },
    },
    async (req) => {
      requireTemplateReader(req.ctx());
      return { items: await listTemplates(req.ctx().db.orm, req.tenant.id, { categoryId: req.query.categoryId }) };
    },
  );

  const manage = { access: { permission: 'complaints.categories.manage' as const } };
  app.get(
    '/api/v1/admin/complaints/templates',
    { config: manage, schema: { tags, summary: 'Every response template of the tenant, inactive ones included (a short list, not paginated)', response: { 200: z.object({ items: z.array(TemplateView), nextCursor: z.null() }) } } },
    async (req) => {
      requireTemplateManager(req.ctx());
      return { items: await listTemplates(req.ctx().db.orm, req.tenant.id, { includeInactive: true }), nextCursor: null };
    },
  );
  app.post(
    '/api/v1/admin/complaints/templates',
    { config: manage, schema: { tags, summary: 'Add a response template', body: TemplateBody, response: { 201: TemplateView } } },
    async (req, reply) => {
      const id = await createTemplate(req.ctx(), req.body);
      return reply.code(201).send((await findTemplate(req.ctx().db.orm, req.tenant.id, id))!);
    },
  );
  app.patch(
    '/api/v1/admin/complaints/templates/:id',
    { config: manage, schema: { tags, summary: 'Change a response template (title, text, category, active)', params: IdParams, body: TemplatePatch, response: { 200: TemplateView } } },
    async (req) => {
      await updateTemplate(req.ctx(), req.params.id, req.body);
      return (await findTemplate(req.ctx().db.orm, req.tenant.id, req.params.id))!;
    },
  );
  app.delete(
    '/api/v1/admin/complaints/templates/:id',
    { config: manage, schema: { tags, summary: 'Remove a response template', params: IdParams } },
    async (req, reply) => {
      await deleteTemplate(req.ctx(), req.params.id);
      return reply.code(204).send();
    },
  );
}
