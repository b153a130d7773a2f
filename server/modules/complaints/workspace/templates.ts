import { and, eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import type { Executor } from '../../../db/client.js';
import { type Ctx, inTransaction, type TxCtx } from '../../../platform/context.js';
import { Invalid, NotFound } from '../../../platform/errors.js';
import { isoUtc, rowsOf } from '../../../platform/org/sql.js';
import { can, canAnywhere } from '../../../platform/policies/actor.js';
import { NOTE_MAX } from '../../../../common/complaints/contracts.js';
import { complaintResponseTemplates } from '../schema.js';

/**
 * Response templates: ready answers, questions and notes the workspace offers ("Pakai templat")
 * when a handler resolves a report, asks the reporter or writes a public note. Managed by holders
 * of complaints.categories.manage (tenant-wide); read by the triage desk and the handlers.
 */
export const TemplateBody = z.strictObject({
  title: z.string().trim().min(2).max(120),
  body: z.string().trim().min(5).max(NOTE_MAX),
  /** Offered first for reports of this category; null for every category. */
  categoryId: z.uuid().nullable().default(null),
  active: z.boolean().default(true),
});
export const TemplatePatch = z.strictObject({
  title: z.string().trim().min(2).max(120).optional(),
  body: z.string().trim().min(5).max(NOTE_MAX).optional(),
  categoryId: z.uuid().nullable().optional(),
  active: z.boolean().optional(),
});
export type TemplateInput = z.infer<typeof TemplateBody>;
export type TemplatePatchInput = z.infer<typeof TemplatePatch>;

export const TemplateView = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  categoryId: z.string().nullable(),
  categoryName: z.string().nullable(),
  active: z.boolean(),
  updatedAt: z.string(),
});
export type TemplateView = z.infer<typeof TemplateView>;

interface TemplateRow {
  id: string;
  title: string;
  body: string;
  category_id: string | null;
  category_name: string | null;
  active: boolean;
  updated_at: string;
}

function present(r: TemplateRow): TemplateView {
  return { id: r.id, title: r.title, body: r.body, categoryId: r.category_id, categoryName: r.category_name, active: r.active, updatedAt: r.updated_at };
}

/** Templates of the tenant in title order (a short list); only active ones unless asked. */
export async function listTemplates(ex: Executor, tenantId: string, opts: { includeInactive?: boolean; categoryId?: string } = {}): Promise<TemplateView[]> {
  const rows = await rowsOf<TemplateRow>(
    ex,
    sql`SELECT t.id, t.title, t.body, t.category_id, c.name AS category_name, t.active, ${isoUtc(sql`t.updated_at`)} AS updated_at
          FROM complaint_response_templates t
          LEFT JOIN complaint_categories c ON c.tenant_id = t.tenant_id AND c.id = t.category_id
         WHERE t.tenant_id = ${tenantId}
           ${opts.includeInactive ? sql`` : sql`AND t.active`}
           ${opts.categoryId ? sql`AND (t.category_id IS NULL OR t.category_id = ${opts.categoryId})` : sql``}
         ORDER BY (t.category_id IS NULL), lower(t.title), t.id
         LIMIT 500`,
  );
  return rows.map(present);
}

export async function findTemplate(ex: Executor, tenantId: string, id: string): Promise<TemplateView | undefined> {
  const [row] = await rowsOf<TemplateRow>(
    ex,
    sql`SELECT t.id, t.title, t.body, t.category_id, c.name AS category_name, t.active, ${isoUtc(sql`t.updated_at`)} AS updated_at
          FROM complaint_response_templates t
          LEFT JOIN complaint_categories c ON c.tenant_id = t.tenant_id AND c.id = t.category_id
         WHERE t.tenant_id = ${tenantId} AND t.id = ${id}`,
  );
  return row ? present(row) : undefined;
}

/** Tenant-wide administration, as for categories: another actor gets 404. */
export function requireTemplateManager(ctx: Ctx): void {
  if (!can(ctx.actor, 'complaints.categories.manage')) throw new NotFound();
}

/** Staff who write answers: the triage desk or a handler (on any unit). */
export function requireTemplateReader(ctx: Ctx): void {
  if (!canAnywhere(ctx.actor, 'complaints.triage') && !canAnywhere(ctx.actor, 'complaints.handle')) throw new NotFound();
}

async function checkCategory(tx: TxCtx, categoryId: string | null | undefined): Promise<void> {
  if (!categoryId) return;
  const [row] = await rowsOf<{ id: string }>(tx.tx, sql`SELECT id FROM complaint_categories WHERE tenant_id = ${tx.tenant.id} AND id = ${categoryId}`);
  if (!row) throw Invalid.field('categoryId', 'complaints.category_unknown');
}

export async function createTemplate(ctx: Ctx, input: TemplateInput): Promise<string> {
  requireTemplateManager(ctx);
  const id = uuidv7();
  const now = ctx.clock.now();
  await inTransaction(ctx, async (tx) => {
    await checkCategory(tx, input.categoryId);
    await tx.tx.insert(complaintResponseTemplates).values({ tenantId: ctx.tenant.id, id, ...input, createdAt: now, updatedAt: now });
    await tx.audit({ action: 'complaint_template.created', entityType: 'complaint_template', entityId: id, data: { after: input } });
  });
  return id;
}

export async function updateTemplate(ctx: Ctx, id: string, input: TemplatePatchInput): Promise<void> {
  requireTemplateManager(ctx);
  if (Object.keys(input).length === 0) throw Invalid.field('', 'field.patch_empty');
  await inTransaction(ctx, async (tx) => {
    const before = await findTemplate(tx.tx, ctx.tenant.id, id);
    if (!before) throw new NotFound();
    await checkCategory(tx, input.categoryId);
    await tx.tx
      .update(complaintResponseTemplates)
      .set({ ...input, updatedAt: ctx.clock.now() })
      .where(and(eq(complaintResponseTemplates.tenantId, ctx.tenant.id), eq(complaintResponseTemplates.id, id)));
    await tx.audit({ action: 'complaint_template.updated', entityType: 'complaint_template', entityId: id, data: { changes: input } });
  });
}

/** Removes a template; texts already sent are kept in the reports' timelines. */
export async function deleteTemplate(ctx: Ctx, id: string): Promise<void> {
  requireTemplateManager(ctx);
  await inTransaction(ctx, async (tx) => {
    const before = await findTemplate(tx.tx, ctx.tenant.id, id);
    if (!before) throw new NotFound();
    await tx.tx.delete(complaintResponseTemplates).where(and(eq(complaintResponseTemplates.tenantId, ctx.tenant.id), eq(complaintResponseTemplates.id, id)));
    await tx.audit({ action: 'complaint_template.deleted', entityType: 'complaint_template', entityId: id, data: { before: { title: before.title, body: before.body, categoryId: before.categoryId } } });
  });
}
