import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../../test/support/db.js';
import { type Background, startBackground } from '../../background.js';
import { loadConfig } from '../../config.js';
import type { Database } from '../../db/client.js';
import { inTransaction, systemClock } from '../context.js';
import { systemActor } from '../policies/actor.js';
import type { Tenant } from '../tenancy/tenants.js';
import { enqueueEmail } from './email.js';

/**
 * E-mail delivery through the real path: outbox row → dispatcher → pg-boss `email.send` →
 * nodemailer SMTP → a small SMTP server written here, which can refuse recipients for a while or
 * for good.
 */
interface Received {
  from: string;
  to: string[];
  data: string;
}

class TinySmtp {
  readonly received: Received[] = [];
  /** Reply to RCPT TO per address: a number of temporary refusals left, or a permanent refusal. */
  readonly rules = new Map<string, { temporary?: number; permanent?: boolean }>();
  private server?: Server;

  async start(onPort = 0): Promise<number> {
    this.server = createServer((socket) => this.session(socket));
    await new Promise<void>((r) => this.server!.listen(onPort, '127.0.0.1', () => r()));
    return (this.server.address() as AddressInfo).port;
  }

  private session(socket: Socket): void {
    let buffer = '';
    let inData = false;
    let mail: Received = { from: '', to: [], data: '' };
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 tiny.smtp.test ESMTP');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          mail.data = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          this.received.push(mail);
          mail = { from: '', to: [], data: '' };
          reply('250 2.0.0 queued');
          continue;
        }
        const nl = buffer.indexOf('\r\n');
        if (nl < 0) return;
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') reply('250-tiny.smtp.test\r\n250 8BITMIME');
        else if (verb === 'HELO') reply('250 tiny.smtp.test');
        else if (verb === 'MAIL') {
          mail.from = /<(.*)>/.exec(line)?.[1] ?? '';
          reply('250 2.1.0 ok');
        } else if (verb === 'RCPT') {
          const to = /<(.*)>/.exec(line)?.[1] ?? '';
          const rule = this.rules.get(to);
          if (rule?.permanent) reply('550 5.1.1 mailbox unavailable');
          else if (rule?.temporary) {
            rule.temporary--;
            reply('451 4.3.0 try again later');
          } else {
            mail.to.push(to);
            reply('250 2.1.5 ok');
          }
        } else if (verb === 'DATA') {
          inData = true;
          reply('354 end with <CRLF>.<CRLF>');
        } else if (verb === 'RSET') {
          mail = { from: '', to: [], data: '' };
          reply('250 ok');
        } else if (verb === 'QUIT') {
          reply('221 bye');
          socket.end();
        } else reply('502 5.5.2 not implemented');
      }
    });
    socket.on('error', () => {});
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }
}

let db: Database;
let tenant: Tenant;
let smtp: TinySmtp;
let port: number;

beforeAll(async () => {
  db = await createTestDb();
  [tenant] = await db.query<any>(`SELECT id, slug, name, time_zone AS "timeZone" FROM tenants WHERE slug = 'makassar'`);
  smtp = new TinySmtp();
  port = await smtp.start();
});
afterAll(async () => {
  await smtp?.stop();
  await db?.close();
});

function config(env: Record<string, string>) {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: '.tmp/test-data', EMAIL_MAX_ATTEMPTS: '3', EMAIL_RETRY_SECONDS: '1', ...env });
}

async function mail(to: string, name: string): Promise<string> {
  return inTransaction({ db, tenant, actor: systemActor, clock: systemClock, locale: 'id' }, (tx) =>
    enqueueEmail(tx, { to, template: 'notification', locale: 'id', params: { name, title: `Untuk ${name}`, body: 'Isi pesan.', link: '' } }),
  );
}

async function outbox(id: string): Promise<{ status: string; attempts: number; last_error: string | null; sent_at: Date | null }> {
  const [r] = await db.query<any>('SELECT status, attempts, last_error, sent_at FROM email_outbox WHERE id = $1', [id]);
  return r;
}

async function until(id: string, pred: (r: Awaited<ReturnType<typeof outbox>>) => boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await outbox(id);
    if (pred(r)) return r;
    if (Date.now() > deadline) throw new Error(`outbox ${id} stuck at ${JSON.stringify(r)}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

describe('e-mail delivery with SMTP', () => {
  let bg: Background;
  beforeAll(async () => {
    bg = await startBackground({ config: config({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Balai Makassar <no-reply@makassarkota.go.id>' }), db, clock: systemClock, log: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    await bg?.stop();
  });

  it('sends a pending e-mail through SMTP and marks it sent', async () => {
    const id = await mail('andi@example.com', 'Andi');
    const row = await until(id, (r) => r.status === 'sent');
    expect(row.attempts).toBe(1);
    expect(row.sent_at).not.toBeNull();
    expect(row.last_error).toBeNull();
    const got = smtp.received.find((m) => m.to.includes('andi@example.com'))!;
    expect(got.from).toBe('no-reply@makassarkota.go.id');
    expect(got.data).toMatch(/Subject: Untuk Andi/);
    expect(got.data).toMatch(/Halo Andi/);
  });

  it('retries a temporary refusal with backoff and sends on a later attempt', async () => {
    smtp.rules.set('budi@example.com', { temporary: 1 });
    const id = await mail('budi@example.com', 'Budi');
    const failedOnce = await until(id, (r) => r.attempts >= 1 && r.last_error !== null);
    expect(failedOnce.status).toBe('pending');
    expect(failedOnce.last_error).toMatch(/451/);
    const row = await until(id, (r) => r.status === 'sent');
    expect(row.attempts).toBe(2);
    expect(row.last_error).toBeNull();
    expect(smtp.received.filter((m) => m.to.includes('budi@example.com'))).toHaveLength(1);
  });

  it('marks an e-mail failed after the last attempt', async () => {
    smtp.rules.set('citra@example.com', { temporary: 99 });
    const id = await mail('citra@example.com', 'Citra');
    const row = await until(id, (r) => r.status === 'failed', 25_000);
    expect(row.attempts).toBe(3);
    expect(row.last_error).toMatch(/451/);
    expect(smtp.received.some((m) => m.to.includes('citra@example.com'))).toBe(false);
  }, 30_000);

  it('marks an e-mail failed at once when the server refuses it for good', async () => {
    smtp.rules.set('tidakada@example.com', { permanent: true });
    const id = await mail('tidakada@example.com', 'Dewi');
    const row = await until(id, (r) => r.status === 'failed');
    expect(row.attempts).toBe(1);
    expect(row.last_error).toMatch(/550/);
  });

  it('keeps going when the SMTP server is down, then delivers when it is back', async () => {
    await smtp.stop();
    const id = await mail('eka@example.com', 'Eka');
    const down = await until(id, (r) => r.attempts >= 1 && r.last_error !== null);
    expect(down.status).toBe('pending');
    expect(down.last_error).toMatch(/ECONNREFUSED|connect/i);
    await smtp.start(port);
    const row = await until(id, (r) => r.status === 'sent');
    expect(row.attempts).toBe(2);
  });
});

describe('e-mail without SMTP', () => {
  it('keeps pending e-mails in the outbox for admins to read', async () => {
    const bg = await startBackground({ config: config({}), db, clock: systemClock, log: pino({ level: 'silent' }) });
    try {
      const id = await mail('fajar@example.com', 'Fajar');
      const row = await until(id, (r) => r.status === 'kept');
      expect(row.attempts).toBe(0);
      expect(smtp.received.some((m) => m.to.includes('fajar@example.com'))).toBe(false);
    } finally {
      await bg.stop();
    }
  });
});
