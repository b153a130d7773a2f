import { and, eq, inArray } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Locale } from '../../../common/i18n/problems.js';
import type { TxCtx } from '../context.js';
import { emailOutbox } from './schema.js';
import { type EmailTemplate, renderEmail } from './templates.js';

export interface EmailInput {
  to: string;
  template: EmailTemplate;
  locale?: Locale;
  params: Record<string, string | number>;
}

/** Rows inserted per statement when many e-mails go out at once. */
const INSERT_CHUNK = 500;

/**
 * Puts an e-mail into the outbox inside the command's transaction. A job sends pending e-mails
 * through SMTP when it is configured; otherwise they stay readable by admins in the outbox.
 */
export async function enqueueEmail(ctx: TxCtx, input: EmailInput): Promise<string> {
  const [id] = await enqueueEmails(ctx, [input]);
  return id;
}

/** Several e-mails in one go (announcements); same rules as `enqueueEmail`. */
export async function enqueueEmails(ctx: TxCtx, inputs: EmailInput[]): Promise<string[]> {
  const now = ctx.clock.now();
  const rows = inputs.map((input) => {
    const { subject, body } = renderEmail(input.template, input.locale ?? ctx.locale, { tenant: ctx.tenant.name, ...input.params });
    return {
      tenantId: ctx.tenant.id,
      id: uuidv7(),
      toAddress: input.to,
      subject,
      bodyText: body,
      template: input.template,
      status: 'pending' as const,
      createdAt: now,
    };
  });
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await ctx.tx.insert(emailOutbox).values(rows.slice(i, i + INSERT_CHUNK));
  if (rows.length > 0) ctx.mailed?.();
  return rows.map((r) => r.id);
}

/**
 * Sends failed or kept e-mails again (an admin's "resend" in the outbox page): they become pending
 * with a fresh attempt count and the dispatcher hands them to the sender. Returns how many.
 */
export async function requeueEmails(ctx: TxCtx, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await ctx.tx
    .update(emailOutbox)
    .set({ status: 'pending', attempts: 0, lastError: null, queuedAt: null })
    .where(and(eq(emailOutbox.tenantId, ctx.tenant.id), inArray(emailOutbox.id, ids), inArray(emailOutbox.status, ['failed', 'kept'])))
    .returning({ id: emailOutbox.id });
  return r.length;
}
