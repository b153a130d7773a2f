import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizePhone } from '../../../common/validators.js';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import { verifyAudit } from '../audit/verify.js';
import { hashToken } from '../auth/tokens.js';
import { parseGenerateArgs } from './command.js';
import { generate, generatedSessionToken, generatorRegistry } from './index.js';
import { DAENG, FAMILY, FEMALE_GIVEN, KARAENG, MALE_GIVEN } from './names.js';

const SEED = 'test-token-seed-0123456789';

let t: TestApp;
let tenantId: string;
beforeAll(async () => {
  t = await createTestApp();
  [{ id: tenantId }] = await t.db.query<{ id: string }>(`SELECT id::text FROM tenants WHERE slug = 'makassar'`);
});
afterAll(async () => {
  await t.close();
});

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [r] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) x`, params);
  return r.n;
}

describe('generate', () => {
  let usersBefore: number;
  let auditBefore: number;
  let result: Awaited<ReturnType<typeof generate>>;

  beforeAll(async () => {
    usersBefore = await count('SELECT 1 FROM users WHERE tenant_id = $1', [tenantId]);
    auditBefore = await count('SELECT 1 FROM audit_events WHERE tenant_id = $1', [tenantId]);
    await t.seal();
    const progress: string[] = [];
    result = await generate(
      t.db,
      { tenant: 'makassar', counts: { citizens: 1_200, staff: 60, sessions: 300, audit: 1_500 }, tokenSeed: SEED, seed: 42, batchSize: 500, now: t.clock.now() },
      (p) => progress.push(`${p.generator}:${p.done}`),
    );
    // Batches of 500 report progress along the way, not only at the end.
    expect(progress).toContain('citizens:500');
    expect(progress).toContain('citizens:1200');
    expect(progress).toContain('audit:1500');
  });

  it('makes exactly the rows asked for, in every table', async () => {
    expect(result.generators.map((g) => [g.key, g.inserted])).toEqual([
      ['citizens', 1_200],
      ['staff', 60],
      ['sessions', 300],
      ['audit', 1_500],
    ]);
    expect(await count(`SELECT 1 FROM users WHERE tenant_id = $1 AND kind = 'citizen'`, [tenantId])).toBeGreaterThanOrEqual(1_200);
    expect(await count('SELECT 1 FROM users WHERE tenant_id = $1', [tenantId])).toBe(usersBefore + 1_260);
    expect(await count('SELECT 1 FROM audit_events WHERE tenant_id = $1', [tenantId])).toBe(auditBefore + 1_500);
    // Nothing went to the other tenant.
    expect(await count(`SELECT 1 FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE t.slug = 'tanjungpinang'`)).toBe(2);
  });

  it('gives people South Sulawesi names, valid 628… mobile numbers and reserved e-mail domains', async () => {
    const people = await t.db.query<{ name: string; email: string | null; phone: string | null; kind: string; nip: string | null; password_hash: string | null }>(
      `SELECT name, email, phone, kind, nip, password_hash FROM users WHERE tenant_id = $1 AND (email IS NULL OR email ~ '[0-9]@')`,
      [tenantId],
    );
    // Demo accounts all have e-mails without digits; generated ones have a number before the @.
    const generated = people;
    expect(generated.length).toBe(1_260);
    const words = new Set([...MALE_GIVEN, ...FEMALE_GIVEN, ...FAMILY, ...DAENG, ...KARAENG.flatMap((k) => k.split(' ')), 'Andi', 'Sitti', 'Daeng']);
    for (const p of generated) {
      expect(p.name.split(' ').length).toBeGreaterThanOrEqual(2);
      for (const w of p.name.split(' ')) expect(words.has(w), `${w} in ${p.name}`).toBe(true);
      expect(p.email !== null || p.phone !== null).toBe(true);
      if (p.phone) expect(normalizePhone(p.phone)).toBe(p.phone);
      if (p.email) expect(p.email).toMatch(/^[a-z]+\.[a-z]+\d+@([a-z]+\.)?example\.(com|net|org)$/);
      if (p.nip) expect(p.nip).toMatch(/^(19[6-9]\d|200\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{6}[12]\d{3}$/);
      // Nobody can sign in as a generated person.
      expect(p.password_hash).toBeNull();
    }
    expect(new Set(generated.map((p) => p.phone).filter(Boolean)).size).toBe(generated.filter((p) => p.phone).length);
    // A Makassar crowd: some Andi, some Daeng, women and men.
    expect(generated.some((p) => p.name.startsWith('Andi '))).toBe(true);
    expect(generated.some((p) => p.name.includes(' Daeng '))).toBe(true);
    expect(generated.some((p) => FEMALE_GIVEN.includes(p.name.split(' ')[0]) || p.name.startsWith('Sitti '))).toBe(true);
  });

  it('places every generated staff member on a unit below the root with a non-admin role', async () => {
    const rows = await t.db.query<{ key: string; parent: string | null }>(
      `SELECT r.key, un.parent_id::text AS parent
         FROM users u JOIN grants g ON g.tenant_id = u.tenant_id AND g.user_id = u.id
         JOIN roles r ON r.tenant_id = g.tenant_id AND r.id = g.role_id
         JOIN units un ON un.tenant_id = g.tenant_id AND un.id = g.unit_id
        WHERE u.tenant_id = $1 AND u.kind = 'staff' AND u.email LIKE '%@makassar.example.org'`,
      [tenantId],
    );
    expect(rows.length).toBe(60);
    for (const r of rows) {
      expect(['staff', 'unit_admin', 'auditor']).toContain(r.key);
      expect(r.parent).not.toBeNull();
    }
  });

  it('stores only token hashes, and the tokens derived from the seed sign in (one in five staff)', async () => {
    const hashes = Array.from({ length: 300 }, (_, i) => hashToken(generatedSessionToken(SEED, i + 1)));
    expect(await count('SELECT 1 FROM sessions WHERE tenant_id = $1 AND token_hash = ANY($2::bytea[])', [tenantId, hashes])).toBe(300);
    const staff = await count(
      `SELECT 1 FROM sessions s JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id WHERE s.tenant_id = $1 AND s.token_hash = ANY($2::bytea[]) AND u.kind = 'staff'`,
      [tenantId, hashes],
    );
    expect(staff).toBe(60);
    for (const i of [1, 5, 300]) {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `balai_makassar=${generatedSessionToken(SEED, i)}` } });
      expect(res.statusCode).toBe(200);
      expect(res.json().user.name.length).toBeGreaterThan(3);
    }
    const staffMe = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `balai_makassar=${generatedSessionToken(SEED, 5)}` } });
    expect(staffMe.json().user.kind).toBe('staff');
    // Another seed gives other tokens: they do not sign in.
    const other = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `balai_makassar=${generatedSessionToken('another-seed-0000000000', 1)}` } });
    expect(other.statusCode).toBe(401);
  });

  it('writes audit history, sealed into a chain that verify-audit accepts', async () => {
    expect(await count('SELECT 1 FROM audit_events e WHERE tenant_id = $1 AND NOT EXISTS (SELECT 1 FROM audit_seals s WHERE s.tenant_id = e.tenant_id AND s.event_id = e.id)', [tenantId])).toBe(0);
    const report = await verifyAudit(t.db, { graceMinutes: 10, now: t.clock.now() });
    expect(report.problems).toEqual([]);
    expect(report.sealed).toBeGreaterThanOrEqual(auditBefore + 1_500);
    // The generated events continue the demo's chain: seq is gap-free from 1.
    const [{ max, n }] = await t.db.query<{ max: number; n: number }>('SELECT max(seq)::int AS max, count(*)::int AS n FROM audit_seals WHERE tenant_id = $1', [tenantId]);
    expect(max).toBe(n);
    // Events written by the app afterwards are sealed after the generated ones.
    await t.login('warga@example.com');
    await t.seal();
    const after = await verifyAudit(t.db, { graceMinutes: 10, now: t.clock.now() });
    expect(after.problems).toEqual([]);
    expect(after.sealed).toBe(report.sealed + 1);
  });

  it('adds more on a second run without clashing with the first (e-mails and phones stay unique)', async () => {
    const before = await count('SELECT 1 FROM users WHERE tenant_id = $1', [tenantId]);
    const again = await generate(t.db, { tenant: 'makassar', counts: { citizens: 700, staff: 10 }, seed: 42, batchSize: 300, now: t.clock.now() });
    expect(again.generators.map((g) => g.inserted)).toEqual([700, 10]);
    expect(await count('SELECT 1 FROM users WHERE tenant_id = $1', [tenantId])).toBe(before + 710);
  });

  it('refuses an unknown tenant, an unknown generator and a bad count before writing anything', async () => {
    const before = await count('SELECT 1 FROM users');
    await expect(generate(t.db, { tenant: 'atlantis', counts: { citizens: 10 } })).rejects.toThrow(/tenant "atlantis" does not exist/);
    await expect(generate(t.db, { tenant: 'makassar', counts: { unicorns: 10 } })).rejects.toThrow(/unknown generator "unicorns"/);
    await expect(generate(t.db, { tenant: 'makassar', counts: { citizens: -1 } })).rejects.toThrow(/whole number/);
    await expect(generate(t.db, { tenant: 'makassar', counts: { citizens: 1.5 } })).rejects.toThrow(/whole number/);
    expect(await count('SELECT 1 FROM users')).toBe(before);
  });
});

describe('generate command line', () => {
  it('reads counts per generator, the tenant and the seeds', () => {
    const a = parseGenerateArgs(['--citizens', '100_000', '--sessions=10000', '--tenant', 'tanjungpinang', '--token-seed', 'abcdef0123456789', '--batch', '5000']);
    expect(a.counts).toEqual({ citizens: 100_000, sessions: 10_000 });
    expect(a.tenant).toBe('tanjungpinang');
    expect(a.tokenSeed).toBe('abcdef0123456789');
    expect(a.batchSize).toBe(5000);
    expect(parseGenerateArgs(['--help']).help).toBe(true);
  });

  it('names the known generators when an option is unknown, and refuses bad numbers', () => {
    expect(() => parseGenerateArgs(['--complaintz', '5'])).toThrow(/unknown option --complaintz \(generators: citizens, staff, sessions, audit/);
    expect(() => parseGenerateArgs(['--citizens', 'banyak'])).toThrow(/whole number/);
    expect(() => parseGenerateArgs(['--citizens'])).toThrow(/whole number/);
    expect(() => parseGenerateArgs(['--token-seed', 'short'])).toThrow(/token-seed/);
    expect(() => parseGenerateArgs(['--tenant', 'Bad Slug'])).toThrow(/tenant slug/);
    expect(() => parseGenerateArgs(['citizens'])).toThrow(/unexpected argument/);
  });

  it('lists the platform generators first, in the order they depend on each other', () => {
    expect(generatorRegistry().map((g) => g.key).slice(0, 4)).toEqual(['citizens', 'staff', 'sessions', 'audit']);
  });
});
