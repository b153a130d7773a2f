import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FakeClock } from '../test/support/clock.js';
import { createTestDb, databaseUrlOf } from '../test/support/db.js';
import { type Database, openDatabase } from './db/client.js';
import { chainColumns, chainHash } from './platform/audit/chain.js';
import { verifyPassword } from './platform/auth/passwords.js';
import { inTransaction } from './platform/context.js';
import { systemActor } from './platform/policies/actor.js';
import { provisionTenant } from './platform/tenancy/provision.js';
import { tenants } from './platform/tenancy/schema.js';
import { sealAllAudit } from '../test/support/audit.js';
import { SYSTEM_ROLES } from '../common/permissions.js';

/**
 * The real CLI (bin/balai.js → tsx → server/cli.ts) as a child process against a database of its
 * own: a scratch PostgreSQL database, or a temporary DATA_DIR holding an embedded one. The
 * embedded database admits one process at a time, so the test opens it only between CLI runs.
 */
const BIN = join(process.cwd(), 'bin', 'balai.js');
/** Each CLI run is a Node process that loads the database driver and opens the database (≈ 1 s, more on a busy machine). */
const CLI_TIMEOUT = 180_000;
const clock = new FakeClock(new Date());

interface Target {
  env: Record<string, string>;
  withDb<T>(fn: (db: Database) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

async function makeTarget(): Promise<Target> {
  if (inject('pgTemplate')) {
    const db = await createTestDb();
    return { env: { DATABASE_URL: databaseUrlOf(db)! }, withDb: (fn) => fn(db), close: () => db.close() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'balai-cli-'));
  const dataDir = join(dir, 'pg');
  const first = await openDatabase({ dataDir, loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]) });
  await first.close();
  return {
    env: { DATA_DIR: dir },
    async withDb(fn) {
      const db = await openDatabase({ dataDir });
      try {
        return await fn(db);
      } finally {
        await db.close();
      }
    },
    async close() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let target: Target;

function balai(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', LANG: 'C', ...target.env };
  if (!target.env.DATABASE_URL) delete env.DATABASE_URL;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Writes n audit events for a tenant through the platform (as the app does). */
async function writeEvents(db: Database, slug: string, n: number): Promise<void> {
  const [tenant] = await db.orm.select().from(tenants).where(eq(tenants.slug, slug));
  await inTransaction({ db, tenant, actor: systemActor, clock, locale: 'id' }, async (tx) => {
    for (let i = 0; i < n; i++) await tx.audit({ action: 'test.event', entityType: 'test', entityId: String(i), data: { i } });
  });
}

async function tenantId(db: Database, slug: string): Promise<string> {
  const [t] = await db.query<{ id: string }>('SELECT id::text FROM tenants WHERE slug = $1', [slug]);
  return t.id;
}

/**
 * Seals until nothing is left: on a shared PostgreSQL server a transaction running in another
 * database holds the sealer back for a moment (xids are cluster-wide).
 */
async function sealAll(db: Database): Promise<void> {
  await sealAllAudit(db, () => clock.now());
}

/** Runs SQL with the append-only guard switched off, as an intruder with database access would. */
async function tamper(db: Database, sqlText: string, params: unknown[] = []): Promise<void> {
  await db.exec('ALTER TABLE audit_events DISABLE TRIGGER audit_events_guard; ALTER TABLE audit_seals DISABLE TRIGGER audit_seals_guard');
  try {
    await db.query(sqlText, params);
  } finally {
    await db.exec('ALTER TABLE audit_events ENABLE TRIGGER audit_events_guard; ALTER TABLE audit_seals ENABLE TRIGGER audit_seals_guard');
  }
}

/** Tenants each tampered with in one way (see the verify-audit tests). */
const CASES = ['altered', 'deletedmiddle', 'deletedlast', 'forged', 'unsealed'] as const;
const tampered: Record<(typeof CASES)[number], { slug: string; seq?: number; id?: string }> = {} as any;

beforeAll(async () => {
  target = await makeTarget();
  await target.withDb(async (db) => {
    await writeEvents(db, 'makassar', 6);
    for (const c of CASES) {
      await provisionTenant(db, { slug: `uji-${c}`, name: `Kota Uji ${c}`, kind: 'kota', regionCode: '73.72', timeZone: 'Asia/Makassar' }, clock);
      await writeEvents(db, `uji-${c}`, 5); // seq 1 is tenant.provisioned, 2–6 the test events
    }
    await sealAll(db);
  });
}, CLI_TIMEOUT);
afterAll(async () => {
  await target?.close();
});

describe('npx balai help and usage errors', () => {
  it('lists the commands', async () => {
    const help = await balai('help');
    expect(help.code).toBe(0);
    for (const cmd of ['migrate', 'seed', 'create-tenant', 'create-admin', 'verify-audit']) expect(help.stdout).toContain(cmd);
  }, CLI_TIMEOUT);
});

describe('npx balai migrate', () => {
  it('is a no-op on an up-to-date database', async () => {
    const r = await balai('migrate');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Schema is up to date.');
    expect(r.stdout).toContain('Regions already loaded.');
  }, CLI_TIMEOUT);
});

describe('npx balai create-tenant and create-admin', () => {
  it('sets up a government with its root unit, roles and calendar, and refuses its slug a second time', async () => {
    const r = await balai('create-tenant', '--slug', 'parepare', '--name', 'Kota Parepare', '--kind', 'kota', '--region', '73.72', '--tz', 'WITA', '--host', 'Balai.PareparekKota.go.id');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Created tenant parepare');
    const again = await balai('create-tenant', '--slug', 'parepare', '--name', 'Kota Parepare', '--kind', 'kota', '--region', '73.72', '--tz', 'Asia/Makassar');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
    await target.withDb(async (db) => {
      const [t] = await db.query<any>(`SELECT id::text, time_zone, hosts FROM tenants WHERE slug = 'parepare'`);
      expect(t).toMatchObject({ time_zone: 'Asia/Makassar', hosts: ['balai.pareparekkota.go.id'] });
      const [{ units, roles, days }] = await db.query<any>(
        `SELECT (SELECT count(*)::int FROM units WHERE tenant_id = $1) AS units, (SELECT count(*)::int FROM roles WHERE tenant_id = $1) AS roles,
                (SELECT count(*)::int FROM calendar_days WHERE tenant_id = $1) AS days`,
        [t.id],
      );
      expect({ units, roles, days }).toEqual({ units: 1, roles: SYSTEM_ROLES.length, days: 25 });
    });
  }, CLI_TIMEOUT);

  it('creates an admin with a generated password printed once, and refuses the same e-mail and weak passwords', async () => {
    const r = await balai('create-admin', '--tenant', 'parepare', '--email', 'Admin@PareparekKota.go.id', '--name', 'Andi Baso');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const password = /Password \(shown once[^:]*\): (\S+)/.exec(r.stdout)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const dup = await balai('create-admin', '--tenant', 'parepare', '--email', 'admin@pareparekkota.go.id', '--name', 'Andi Lain', '--password', 'rahasia123');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/already registered/);
    const weak = await balai('create-admin', '--tenant', 'parepare', '--email', 'dua@pareparekkota.go.id', '--name', 'Dua', '--password', 'pendek');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/at least 8 characters/);
    await target.withDb(async (db) => {
      const rows = await db.query<any>(
        `SELECT u.email, u.kind, u.status, u.password_hash, r.key AS role, un.parent_id FROM users u
           JOIN tenants t ON t.id = u.tenant_id AND t.slug = 'parepare'
           JOIN grants g ON g.tenant_id = u.tenant_id AND g.user_id = u.id
           JOIN roles r ON r.tenant_id = g.tenant_id AND r.id = g.role_id
           JOIN units un ON un.tenant_id = g.tenant_id AND un.id = g.unit_id`,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ email: 'admin@pareparekkota.go.id', kind: 'staff', status: 'active', role: 'admin', parent_id: null });
      expect(await verifyPassword(rows[0].password_hash, password!)).toBe(true);
      expect(rows[0].password_hash).not.toContain(password);
      // Seal what the CLI wrote so that the chain checks below start clean.
      await sealAll(db);
    });
  }, CLI_TIMEOUT);
});

describe('npx balai verify-audit', () => {
  it('exits 0 on a clean sealed chain and prints each head', async () => {
    const r = await balai('verify-audit');
    expect(r.stdout).toContain('OK: every sealed event verifies');
    expect(r.code).toBe(0);
    const heads = await target.withDb((db) =>
      db.query<{ slug: string; last_seq: number; hash: string }>(
        `SELECT t.slug, h.last_seq::int AS last_seq, encode(h.last_hash, 'hex') AS hash FROM audit_chain_heads h JOIN tenants t ON t.id = h.tenant_id`,
      ),
    );
    expect(heads.length).toBe(3 + CASES.length);
    for (const h of heads) expect(r.stdout).toMatch(new RegExp(`${h.slug}\\s.*head seq ${h.last_seq} hash ${h.hash}`));
  }, CLI_TIMEOUT);

  it('names the first bad event after each kind of tampering, and exits 1', async () => {
    await target.withDb(async (db) => {
      // 1. A sealed event's data is changed.
      const alteredId = await tenantId(db, 'uji-altered');
      const [a] = await db.query<{ id: string }>('SELECT event_id::text AS id FROM audit_seals WHERE tenant_id = $1 AND seq = 3', [alteredId]);
      await tamper(db, `UPDATE audit_events SET data = '{"i": 99}' WHERE tenant_id = $1 AND id = $2`, [alteredId, a.id]);
      tampered.altered = { slug: 'uji-altered', seq: 3, id: a.id };
      // 2. A sealed event in the middle is deleted, and its seal with it.
      const midId = await tenantId(db, 'uji-deletedmiddle');
      const sealedAs = (seq: number) => `(SELECT event_id FROM audit_seals WHERE tenant_id = $1 AND seq = ${seq})`;
      await tamper(db, `WITH e AS (DELETE FROM audit_events WHERE tenant_id = $1 AND id = ${sealedAs(4)}) DELETE FROM audit_seals WHERE tenant_id = $1 AND seq = 4`, [midId]);
      tampered.deletedmiddle = { slug: 'uji-deletedmiddle', seq: 4 };
      // 3. The last sealed event is deleted.
      const lastId = await tenantId(db, 'uji-deletedlast');
      await tamper(db, `WITH e AS (DELETE FROM audit_events WHERE tenant_id = $1 AND id = ${sealedAs(6)}) DELETE FROM audit_seals WHERE tenant_id = $1 AND seq = 6`, [lastId]);
      tampered.deletedlast = { slug: 'uji-deletedlast', seq: 6 };
      // 4. A forged event is inserted after the last one, with a correctly computed hash.
      const forgedTenant = await tenantId(db, 'uji-forged');
      const forgedId = uuidv7();
      await db.query(`INSERT INTO audit_events (tenant_id, id, actor_kind, action, entity_type, data) VALUES ($1, $2, 'system', 'user.created', 'user', '{"forged": true}')`, [
        forgedTenant,
        forgedId,
      ]);
      const [row] = await db.query<any>(`SELECT ${chainColumns('audit_events')} FROM audit_events WHERE tenant_id = $1 AND id = $2`, [forgedTenant, forgedId]);
      const [prev] = await db.query<{ hash: Uint8Array }>('SELECT hash FROM audit_seals WHERE tenant_id = $1 AND seq = 6', [forgedTenant]);
      const hash = chainHash(Buffer.from(prev.hash), { ...row, seq: 7 });
      await db.query(`INSERT INTO audit_seals (tenant_id, seq, event_id, prev_hash, hash, sealed_at) VALUES ($1, 7, $2, $3, $4, now())`, [forgedTenant, forgedId, Buffer.from(prev.hash), hash]);
      tampered.forged = { slug: 'uji-forged', seq: 7, id: forgedId };
      // 5. An event stays unsealed for an hour (the sealer is not running).
      const lateTenant = await tenantId(db, 'uji-unsealed');
      const lateId = uuidv7();
      await db.query(`INSERT INTO audit_events (tenant_id, id, occurred_at, actor_kind, action, entity_type) VALUES ($1, $2, now() - interval '1 hour', 'system', 'test.late', 'test')`, [
        lateTenant,
        lateId,
      ]);
      tampered.unsealed = { slug: 'uji-unsealed', id: lateId };
    });

    const expectations: Record<(typeof CASES)[number], RegExp> = {
      altered: /altered \(first bad event: seq 3, id [0-9a-f-]{36}\)/,
      deletedmiddle: /missing \(first bad event: seq 4\)/,
      deletedlast: /missing \(first bad event: seq 6\)/,
      forged: /inserted \(first bad event: seq 7, id [0-9a-f-]{36}\)/,
      unsealed: /unsealed_too_long \(first bad event: id [0-9a-f-]{36}\)/,
    };
    const runs = async (c: (typeof CASES)[number]) => ({ c, r: await balai('verify-audit', '--tenant', tampered[c].slug) });
    // On PostgreSQL the read-only checks run side by side; the embedded database takes one process at a time.
    const results = inject('pgTemplate') ? await Promise.all(CASES.map(runs)) : await CASES.reduce(async (acc, c) => [...(await acc), await runs(c)], Promise.resolve([] as { c: (typeof CASES)[number]; r: Awaited<ReturnType<typeof balai>> }[]));
    for (const { c, r } of results) {
      expect(r.code, `${c}: ${r.stdout}${r.stderr}`).toBe(1);
      expect(r.stdout).toMatch(new RegExp(`PROBLEM ${tampered[c].slug}: `));
      expect(r.stdout).toMatch(expectations[c]);
      if (tampered[c].id) expect(r.stdout).toContain(tampered[c].id);
      expect(r.stdout).toContain('FAILED: 1 problem(s) found.');
    }

    // Every tenant at once: all five problems, while the untouched tenants still verify.
    const all = await balai('verify-audit');
    expect(all.code).toBe(1);
    expect(all.stdout).toContain('FAILED: 5 problem(s) found.');
    expect(all.stdout).not.toMatch(/PROBLEM (makassar|tanjungpinang|parepare):/);
  }, CLI_TIMEOUT);
});
