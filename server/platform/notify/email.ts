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

/**
 * Puts an e-mail into the outbox inside the command's transaction. A job sends pending e-mails
 * through SMTP when it is configured; otherwise they stay readable by admins in the outbox.
 */
export async function enqueueEmail(ctx: TxCtx, input: EmailInput): Promise<string> {
  const id = uuidv7();
  const { subject, body } = renderEmail(input.template, input.locale ?? ctx.locale, { tenant: ctx.tenant.name, ...input.params });
  await ctx.tx.insert(emailOutbox).values({
    tenantId: ctx.tenant.id,
    id,
    toAddress: input.to,
    subject,
    bodyText: body,
    template: input.template,
    status: 'pending',
    createdAt: ctx.clock.now(),
  });
  return id;
}
