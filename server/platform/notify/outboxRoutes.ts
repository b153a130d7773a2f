import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { maskEmail } from '../../../common/mask.js';
import { pageQuery } from '../../../common/validators.js';
import type { AppInstance } from '../../app.js';
import { type Ctx, inTransaction } from '../context.js';
import { Forbidden, Invalid, NotFound } from '../errors.js';
import { type Actor, can } from '../policies/actor.js';
import { emailOutbox } from './schema.js';

const STATUSES = ['pending', 'sent', 'failed', 'kept'] as const;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_US_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export const OutboxItemSchema = z.object({
  id: z.string(),
  /** Recipient; masked (`w***a@example.com`) unless the reader holds personal_data.read. */
  to: z.string(),
  subject: z.string(),
  template: z.string(),
  status: z.enum(STATUSES),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

/** Created time rendered exactly (microseconds), for the cursor. */
const createdUs = sql<string>`to_char(${emailOutbox.createdAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const columns = {
  id: emailOutbox.id,
  toAddress: emailOutbox.toAddress,
  subject: emailOutbox.subject,
  template: emailOutbox.template,
  status: emailOutbox.status,
  attempts: emailOutbox.attempts,
  lastError: emailOutbox.lastError,
  createdAt: emailOutbox.createdAt,
  sentAt: emailOutbox.sentAt,
  createdUs,
};

type Row = { [K in keyof typeof columns]: any };

/** The outbox belongs to the whole government: reading it needs a grant on the root unit. */
function requireTenantWide(ctx: Ctx): void {
  if (!can(ctx.actor, 'outbox.read')) throw new Forbidden('tenant_wide_required', { permission: 'outbox.read' });
}

function present(r: Row, actor: Actor) {
  return {
    id: r.id as string,
    to: (can(actor, 'personal_data.read') ? r.toAddress : maskEmail(r.toAddress)) as string,
    subject: r.subject as string,
    template: r.template as string,
    status: r.status as (typeof STATUSES)[number],
    attempts: r.attempts as number,
    lastError: r.lastError as string | null,
    createdAt: (r.createdAt as Date).toISOString(),
    sentAt: r.sentAt ? (r.sentAt as Date).toISOString() : null,
  };
}

function decodeCursor(raw: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && ISO_US_RE.test(v[0]) && UUID_RE.test(v[1])) return [v[0], v[1]];
  } catch {
    // fall through
  }
  throw Invalid.field('querystring.cursor', 'field.cursor');
}

/** Admins read what the platform e-mailed (or kept, without SMTP): list and one message. */
export function outboxRoutes(app: AppInstance): void {
  app.get(
    '/api/v1/admin/outbox',
    {
      config: { access: { permission: 'outbox.read' } },
      schema: {
        tags: ['notify'],
        summary: 'E-mails of this government, newest first (without their bodies)',
        querystring: z.strictObject({ status: z.enum(STATUSES).optional(), ...pageQuery }),
        response: { 200: z.object({ items: z.array(OutboxItemSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const ctx = req.ctx();
      requireTenantWide(ctx);
      const { status, cursor, limit } = req.query;
      // Served by email_outbox_browse_idx, or email_outbox_status_idx with a status.
      const where: SQL[] = [eq(emailOutbox.tenantId, ctx.tenant.id)];
      if (status) where.push(eq(emailOutbox.status, status));
      if (cursor) {
        const [at, id] = decodeCursor(cursor);
        where.push(sql`(${emailOutbox.createdAt}, ${emailOutbox.id}) < (${at}::timestamptz, ${id}::uuid)`);
      }
      const rows = await ctx.db.orm
        .select(columns)
        .from(emailOutbox)
        .where(and(...where))
        .orderBy(desc(emailOutbox.createdAt), desc(emailOutbox.id))
        .limit(limit + 1);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map((r) => present(r, ctx.actor)),
        nextCursor: rows.length > limit ? Buffer.from(JSON.stringify([last.createdUs, last.id])).toString('base64url') : null,
      };
    },
  );

  app.get(
    '/api/v1/admin/outbox/:id',
    {
      config: { access: { permission: 'outbox.read' } },
      schema: {
        tags: ['notify'],
        summary: 'One e-mail with its body. Bodies can hold secrets (reset links): each reading is audited as outbox.viewed',
        params: z.strictObject({ id: z.uuid() }),
        response: { 200: OutboxItemSchema.extend({ bodyText: z.string() }) },
      },
    },
    async (req) => {
      const ctx = req.ctx();
      requireTenantWide(ctx);
      return inTransaction(ctx, async (tx) => {
        const [row] = await tx.tx
          .select({ ...columns, bodyText: emailOutbox.bodyText })
          .from(emailOutbox)
          .where(and(eq(emailOutbox.tenantId, ctx.tenant.id), eq(emailOutbox.id, req.params.id)));
        if (!row) throw new NotFound('outbox_not_found');
        await tx.audit({ action: 'outbox.viewed', entityType: 'email', entityId: row.id, data: { template: row.template, status: row.status } });
        return { ...present(row, ctx.actor), bodyText: row.bodyText };
      });
    },
  );
}
