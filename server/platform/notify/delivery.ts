import nodemailer from 'nodemailer';
import type { Database } from '../../db/client.js';
import { withTx } from '../../db/tx.js';
import type { JobDefinition, Jobs } from '../jobs/boss.js';

/** The pg-boss queue that sends one e-mail of the outbox. */
export const EMAIL_SEND_JOB = 'email.send';
/** E-mails handed to the sender per dispatcher round. */
const DISPATCH_BATCH = 200;
/** A pending e-mail queued this long ago without an outcome (its job was lost) is queued again. */
const REQUEUE_AFTER_MINUTES = 15;
/** Seconds one SMTP delivery may take before its job counts as failed. */
const SEND_EXPIRE_SECONDS = 120;

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
}

/** What sends a message: nodemailer's SMTP transport in production. */
export interface MailTransport {
  sendMail(mail: OutgoingMail): Promise<unknown>;
}

/** An SMTP transport from SMTP_URL (smtp://user:pass@host:587 or smtps://…:465), with timeouts. */
export function smtpTransport(url: string): MailTransport {
  return nodemailer.createTransport({ url, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 } as any);
}

export interface DeliverySettings {
  /** Sender address (MAIL_FROM). */
  from: string;
  /** Attempts before an e-mail is marked failed (EMAIL_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** First retry delay in seconds, doubled per retry (EMAIL_RETRY_SECONDS). */
  retrySeconds: number;
}

/**
 * Moves the outbox forward. Without SMTP every pending e-mail becomes `kept` (admins read it in the
 * outbox page). With SMTP, pending e-mails not yet queued are handed to the `email.send` job in
 * the same transaction that marks them queued, so each is queued once even with several workers.
 * Returns how many e-mails it moved.
 */
export async function dispatchEmails(db: Database, opts: { jobs?: Jobs; settings: DeliverySettings; now: Date }): Promise<number> {
  const { jobs, settings, now } = opts;
  let total = 0;
  for (;;) {
    const n = await withTx(db, async (q) => {
      if (!jobs) {
        const kept = await q(
          `UPDATE email_outbox o SET status = 'kept'
             FROM (SELECT tenant_id, id FROM email_outbox WHERE status = 'pending' ORDER BY created_at LIMIT ${DISPATCH_BATCH} FOR UPDATE SKIP LOCKED) p
            WHERE o.tenant_id = p.tenant_id AND o.id = p.id
           RETURNING o.id`,
        );
        return kept.length;
      }
      const rows: { tenant_id: string; id: string }[] = await q(
        `SELECT tenant_id::text AS tenant_id, id::text AS id FROM email_outbox
          WHERE status = 'pending' AND (queued_at IS NULL OR queued_at < $1)
          ORDER BY created_at LIMIT ${DISPATCH_BATCH} FOR UPDATE SKIP LOCKED`,
        [new Date(now.getTime() - REQUEUE_AFTER_MINUTES * 60_000)],
      );
      if (rows.length === 0) return 0;
      await jobs.insertWithin(
        q,
        rows.map((r) => ({
          name: EMAIL_SEND_JOB,
          data: { tenantId: r.tenant_id, id: r.id },
          // One more than needed: the handler marks the e-mail failed itself at maxAttempts.
          retryLimit: settings.maxAttempts,
          retryDelay: settings.retrySeconds,
          retryBackoff: true,
          expireInSeconds: SEND_EXPIRE_SECONDS,
        })),
      );
      await q(
        `UPDATE email_outbox o SET queued_at = $3
           FROM unnest($1::uuid[], $2::uuid[]) AS v(tenant_id, id)
          WHERE o.tenant_id = v.tenant_id AND o.id = v.id`,
        [rows.map((r) => r.tenant_id), rows.map((r) => r.id), now],
      );
      return rows.length;
    });
    total += n;
    if (n < DISPATCH_BATCH) break;
  }
  if (total > 0 && jobs) jobs.wake(EMAIL_SEND_JOB);
  return total;
}

/** SMTP answered 5xx: the address or message is refused for good, retrying will not help. */
function isPermanent(err: unknown): boolean {
  const code = (err as { responseCode?: number })?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/**
 * The `email.send` job: sends one outbox e-mail. Each attempt is counted on the row before the
 * SMTP conversation; success marks it `sent`; a temporary failure records the error and throws so
 * that pg-boss retries with backoff; a permanent refusal (5xx) or the last attempt marks it
 * `failed`. An e-mail that is no longer pending (sent, failed, kept) is left alone, so a job that
 * runs twice does not send twice after a success.
 */
export function emailSendJob(deps: { db: Database; transport: MailTransport; settings: DeliverySettings; now?: () => Date }): JobDefinition<{ tenantId: string; id: string }> {
  const now = deps.now ?? (() => new Date());
  return {
    name: EMAIL_SEND_JOB,
    batchSize: 1,
    pollingIntervalSeconds: 1,
    async handler(data) {
      const { db, transport, settings } = deps;
      const [mail] = await db.query<{ to_address: string; subject: string; body_text: string; attempts: number }>(
        `UPDATE email_outbox SET attempts = attempts + 1
          WHERE tenant_id = $1 AND id = $2 AND status = 'pending'
         RETURNING to_address, subject, body_text, attempts`,
        [data.tenantId, data.id],
      );
      if (!mail) return;
      try {
        await transport.sendMail({ from: settings.from, to: mail.to_address, subject: mail.subject, text: mail.body_text });
      } catch (err) {
        const message = (err instanceof Error ? err.message : String(err)).slice(0, 1000);
        const final = isPermanent(err) || mail.attempts >= settings.maxAttempts;
        await db.query(`UPDATE email_outbox SET last_error = $3, status = CASE WHEN $4 THEN 'failed' ELSE status END WHERE tenant_id = $1 AND id = $2`, [
          data.tenantId,
          data.id,
          message,
          final,
        ]);
        if (final) return;
        throw err;
      }
      await db.query(`UPDATE email_outbox SET status = 'sent', sent_at = $3, last_error = NULL WHERE tenant_id = $1 AND id = $2`, [data.tenantId, data.id, now()]);
    },
  };
}
