import { createHash, randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { sealEverything } from '../audit/seal.js';
import { type Generator, type GeneratorContext, GenerateError } from './types.js';
import { DAENG, EMAIL_DOMAINS, FAMILY, FEMALE_GIVEN, KARAENG, MALE_GIVEN, MOBILE_PREFIXES } from './names.js';

/** How far back generated people and audit events reach. */
const HISTORY_MS = 3 * 365 * 24 * 3600_000;
const AUDIT_HISTORY_MS = 365 * 24 * 3600_000;
/** Share of generated sessions that belong to staff (who sign in daily), when staff exist. */
const STAFF_SESSION_EVERY = 5;
/**
 * Generated sessions were last seen up to this many seconds ago: the sliding-refresh interval of
 * sessions.ts, so that, as in a steady state, about 1/600 of them per second come due for their
 * refresh (not half of them at once, which a longer spread would cause).
 */
const SESSION_LAST_SEEN_SPREAD_S = 10 * 60;

const USER_AGENTS = [
  'Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 12; Redmi Note 11) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 14; CPH2591) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 11; vivo 1906) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
];

/** First octets of address blocks of Indonesian mobile and fixed-line operators. */
const IP_BLOCKS = ['36.68', '36.72', '36.80', '114.125', '114.4', '110.136', '180.244', '182.1', '103.47', '120.188'];

/** The session token number `index` of a seed, as `generate` stores it (sha256 of it). */
export function generatedSessionToken(tokenSeed: string, index: number): string {
  return createHash('sha256').update(`balai-generate:${tokenSeed}:${index}`).digest('base64url');
}

/** `bits` bits of hash column `h`, from bit `shift`. */
const bits = (h: string, shift: number, width: number) => `((${h} >> ${shift}) & ${2 ** width - 1})`;
/** One element of an array parameter, chosen by 16 bits of a hash. */
const pick = (arr: string, h: string, shift: number) => `(${arr})[1 + ${bits(h, shift, 16)} % cardinality(${arr})]`;
/** A UUIDv7 for timestamp `ts` with 74 bits taken from two hashes (time-ordered like the app's ids). */
const uuidv7Sql = (ts: string, ha: string, hb: string) =>
  `(lpad(to_hex((extract(epoch FROM ${ts}) * 1000)::bigint), 12, '0') || '7' || lpad(to_hex(${bits(ha, 0, 12)}), 3, '0')
    || to_hex(8 | ${bits(ha, 12, 2)}) || lpad(to_hex(${hb} & ${2n ** 60n - 1n}), 15, '0'))::uuid`;
const ipFrom = (h: string, param: string) => `(${pick(`${param}::text[]`, h, 40)} || '.' || ${bits(h, 8, 8)} || '.' || (1 + ${bits(h, 16, 7)}))`;

/** Next free row number for people: keeps generated e-mails and phones unique across runs. */
async function nextUserNumber(ctx: GeneratorContext): Promise<number> {
  const [{ n }] = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE tenant_id = $1', [ctx.tenant.id]);
  return n + 1;
}

/**
 * People of the city. Names follow Bugis and Makassar usage (Andi for Bugis nobility, Sitti,
 * Daeng names, the odd Karaeng); mobile numbers are 628… with real operator prefixes; e-mails use
 * reserved example domains. Accounts have no password: nobody can sign in as a generated person.
 */
function peopleSql(kind: 'citizen' | 'staff'): string {
  const staff = kind === 'staff';
  return `
WITH s AS (
  SELECT i,
         hashint8extended(i, $seed::bigint) AS h0, hashint8extended(i, $seed::bigint + 1) AS h1, hashint8extended(i, $seed::bigint + 2) AS h2,
         hashint8extended(i, $seed::bigint + 3) AS h3, hashint8extended(i, $seed::bigint + 4) AS h4,
         $now::timestamptz - (($last::bigint - i) * $span::bigint / GREATEST($last::bigint - $first::bigint + 1, 1)) * interval '1 millisecond' AS ts
    FROM generate_series($from::bigint, $to::bigint) AS g(i)
), p AS (
  SELECT f.*,
         1 + ${bits('h1', 0, 16)} % CASE WHEN female THEN cardinality($female::text[]) ELSE cardinality($male::text[]) END AS gi,
         1 + ${bits('h1', 16, 16)} % cardinality($family::text[]) AS fi
    FROM (SELECT s.*, ${bits('h0', 0, 1)} = 1 AS female FROM s) f
), n AS (
  SELECT p.*,
         CASE WHEN female THEN ($female::text[])[gi] ELSE ($male::text[])[gi] END AS given,
         CASE WHEN female THEN ($femaleMail::text[])[gi] ELSE ($maleMail::text[])[gi] END AS given_mail,
         ($family::text[])[fi] AS family, ($familyMail::text[])[fi] AS family_mail,
         ${staff ? 'true' : `${bits('h0', 21, 10)} < 615`} AS has_email
    FROM p
), ins AS (
  INSERT INTO users (tenant_id, id, kind, name, email, phone, nip, status, locale, last_login_at, created_at, updated_at)
  SELECT $tenant::uuid, ${uuidv7Sql('ts', 'h4', 'h3')}, '${kind}',
         concat_ws(' ',
           CASE WHEN ${bits('h0', 1, 10)} < CASE WHEN female THEN 51 ELSE 82 END THEN 'Andi'
                WHEN female AND ${bits('h0', 1, 10)} < 205 THEN 'Sitti' END,
           given, family,
           CASE WHEN ${bits('h0', 11, 10)} < 154 THEN 'Daeng ' || ${pick('$daeng::text[]', 'h1', 32)}
                WHEN ${bits('h0', 11, 10)} < 164 THEN ${pick('$karaeng::text[]', 'h1', 32)} END),
         CASE WHEN has_email THEN given_mail || '.' || family_mail || i || '@' || ${pick('$domains::text[]', 'h2', 0)} END,
         CASE WHEN NOT has_email OR ${bits('h0', 31, 10)} < ${staff ? 717 : 870}
              THEN '62' || ${pick('$prefixes::text[]', 'h2', 16)} || lpad(((i * 48271) % 100000000)::text, 8, '0') END,
         ${
           staff
             ? `CASE WHEN ${bits('h2', 32, 10)} < 768 THEN
                  to_char(date '1965-01-01' + (${bits('h3', 0, 14)} % 12000)::int, 'YYYYMMDD')
                  || to_char(date '1965-01-01' + (${bits('h3', 0, 14)} % 12000)::int + (22 + ${bits('h3', 14, 3)}) * interval '1 year', 'YYYYMM')
                  || CASE WHEN female THEN '2' ELSE '1' END || lpad((i % 1000)::text, 3, '0') END`
             : 'NULL'
         },
         'active',
         CASE WHEN ${bits('h2', 48, 10)} < 20 THEN 'en' ELSE 'id' END,
         CASE WHEN ${bits('h3', 20, 1)} = 1 THEN $now::timestamptz - ${bits('h3', 21, 20)} * interval '1 second' END,
         ts, ts
    FROM n
  ON CONFLICT DO NOTHING
  RETURNING id, created_at
)${
    staff
      ? `, gr AS (
  INSERT INTO grants (tenant_id, id, user_id, role_id, unit_id, created_at)
  SELECT $tenant::uuid, ${uuidv7Sql('created_at', 'hg', 'hg')}, id, ${pick('$roles::uuid[]', 'hg', 20)}, ${pick('$units::uuid[]', 'hg', 36)}, created_at
    FROM (SELECT ins.*, hashtextextended(ins.id::text, $seed::bigint) AS hg FROM ins) x
)`
      : ''
  }
SELECT count(*)::int AS n FROM ins`;
}

/** Turns `$name` placeholders into positional parameters ($1, $2, …) in order of first use. */
export function named(sqlText: string, values: Record<string, unknown>): { text: string; params: unknown[] } {
  const order: string[] = [];
  const text = sqlText.replace(/\$([a-z][A-Za-z]*)/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`no value for $${name}`);
    let i = order.indexOf(name);
    if (i < 0) i = order.push(name) - 1;
    return `$${i + 1}`;
  });
  return { text, params: order.map((n) => values[n]) };
}

const mailForm = (names: string[]) => names.map((n) => n.toLowerCase().replace(/[^a-z]/g, ''));

async function generatePeople(ctx: GeneratorContext, count: number, kind: 'citizen' | 'staff'): Promise<number> {
  const first = await nextUserNumber(ctx);
  const last = first + count - 1;
  const values: Record<string, unknown> = {
    tenant: ctx.tenant.id,
    seed: ctx.seed,
    now: ctx.now,
    span: HISTORY_MS,
    first,
    last,
    male: MALE_GIVEN,
    maleMail: mailForm(MALE_GIVEN),
    female: FEMALE_GIVEN,
    femaleMail: mailForm(FEMALE_GIVEN),
    family: FAMILY,
    familyMail: mailForm(FAMILY),
    daeng: DAENG,
    karaeng: KARAENG,
    prefixes: MOBILE_PREFIXES,
    domains: kind === 'staff' ? [`${ctx.tenant.slug}.example.org`] : EMAIL_DOMAINS,
  };
  if (kind === 'staff') {
    const roles = await ctx.db.query<{ id: string; key: string }>('SELECT id::text, key FROM roles WHERE tenant_id = $1', [ctx.tenant.id]);
    const roleId = (key: string) => roles.find((r) => r.key === key)?.id;
    // Mostly service staff; some unit admins and auditors. Nobody generated is a tenant admin.
    const weighted = [...Array(17).fill(roleId('staff')), roleId('unit_admin'), roleId('unit_admin'), roleId('auditor')].filter(Boolean) as string[];
    if (weighted.length === 0) throw new GenerateError(`tenant ${ctx.tenant.slug} has no staff roles`);
    const units = await ctx.db.query<{ id: string }>('SELECT id::text FROM units WHERE tenant_id = $1 AND active AND parent_id IS NOT NULL', [ctx.tenant.id]);
    const unitIds = units.length ? units.map((u) => u.id) : (await ctx.db.query<{ id: string }>('SELECT id::text FROM units WHERE tenant_id = $1 AND active', [ctx.tenant.id])).map((u) => u.id);
    if (unitIds.length === 0) throw new GenerateError(`tenant ${ctx.tenant.slug} has no units to place staff in`);
    values.roles = weighted;
    values.units = unitIds;
  }
  const sql = peopleSql(kind);
  let inserted = 0;
  for (let from = first; from <= last; from += ctx.batchSize) {
    const to = Math.min(last, from + ctx.batchSize - 1);
    const q = named(sql, { ...values, from, to });
    const [{ n }] = await ctx.db.query<{ n: number }>(q.text, q.params);
    inserted += n;
    ctx.progress(to - first + 1);
  }
  return inserted;
}

const SESSIONS_SQL = `
WITH s AS (
  SELECT i, hashint8extended(i, $4::bigint + 10) AS h0,
         translate(rtrim(encode(sha256(convert_to('balai-generate:' || $6 || ':' || i, 'UTF8')), 'base64'), '='), '+/', '-_') AS token
    FROM generate_series($2::bigint, $3::bigint) AS g(i)
), t AS (
  SELECT s.*, $5::timestamptz - (${bits('h0', 0, 16)} % ${SESSION_LAST_SEEN_SPREAD_S}) * interval '1 second' AS seen
    FROM s
), ins AS (
  INSERT INTO sessions (tenant_id, token_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent)
  SELECT $1::uuid, sha256(convert_to(token, 'UTF8')),
         CASE WHEN cardinality($8::uuid[]) = 0 OR (cardinality($7::uuid[]) > 0 AND i % ${STAFF_SESSION_EVERY} = 0)
              THEN ($7::uuid[])[1 + (i / ${STAFF_SESSION_EVERY}) % cardinality($7::uuid[])]
              ELSE ($8::uuid[])[1 + i % cardinality($8::uuid[])] END,
         seen - ${bits('h0', 16, 20)} % 604800 * interval '1 second', seen, seen + $9::int * interval '1 hour',
         ${ipFrom('h0', '$10')}, ${pick('$11::text[]', 'h0', 44)}
    FROM t
  ON CONFLICT DO NOTHING
  RETURNING 1
)
SELECT count(*)::int AS n FROM ins`;

/**
 * Signed-in sessions of generated and demo people (about one in five staff, when there are staff),
 * with tokens derived from the token seed: `generatedSessionToken(seed, i)` for i = 1…count.
 */
async function generateSessions(ctx: GeneratorContext, count: number): Promise<number> {
  const staff = await ctx.db.query<{ id: string }>(
    `SELECT id::text FROM users WHERE tenant_id = $1 AND kind = 'staff' AND status = 'active' ORDER BY random() LIMIT $2`,
    [ctx.tenant.id, Math.ceil(count / STAFF_SESSION_EVERY)],
  );
  const citizens = await ctx.db.query<{ id: string }>(
    `SELECT id::text FROM users WHERE tenant_id = $1 AND kind = 'citizen' AND status = 'active' ORDER BY random() LIMIT $2`,
    [ctx.tenant.id, count],
  );
  if (staff.length + citizens.length === 0) throw new GenerateError(`tenant ${ctx.tenant.slug} has no active users to give sessions to (generate --citizens first)`);
  const staffIds = staff.map((r) => r.id);
  const citizenIds = citizens.map((r) => r.id);
  let inserted = 0;
  for (let from = 1; from <= count; from += ctx.batchSize) {
    const to = Math.min(count, from + ctx.batchSize - 1);
    const [{ n }] = await ctx.db.query<{ n: number }>(SESSIONS_SQL, [
      ctx.tenant.id,
      from,
      to,
      ctx.seed,
      ctx.now,
      ctx.tokenSeed,
      staffIds,
      citizenIds,
      ctx.sessionTtlHours,
      IP_BLOCKS,
      USER_AGENTS,
    ]);
    inserted += n;
    ctx.progress(to);
  }
  return inserted;
}

/** Audit actions with their entity type, repeated by how often they happen. */
const AUDIT_ACTIONS: [string, string, number][] = [
  ['user.logged_in', 'user', 20],
  ['user.login_failed', 'user', 4],
  ['user.registered', 'user', 3],
  ['user.password_changed', 'user', 1],
  ['user.password_reset', 'user', 1],
  ['user.logged_out_everywhere', 'user', 1],
  ['unit.updated', 'unit', 1],
];

const AUDIT_INSERT_SQL = `
INSERT INTO audit_events (tenant_id, id, occurred_at, actor_id, actor_kind, actor_name, action, entity_type, entity_id, unit_id, data, ip, request_id)
SELECT $1::uuid, id, occurred_at, actor_id, 'user', actor_name, action, entity_type, entity_id, unit_id, data::jsonb, ip, request_id
  FROM unnest($2::uuid[], $3::timestamptz[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::uuid[], $10::text[],
              $11::text[], $12::text[])
       AS v(id, occurred_at, actor_id, actor_name, action, entity_type, entity_id, unit_id, data, ip, request_id)`;

/** A small seeded pseudo-random generator (mulberry32), so one seed gives one history. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A year of audit history by generated and demo people, sealed like any other event: the sealer
 * chains it after what was already waiting (one narrow seal row per event, see audit/seal.ts), and
 * `npx balai verify-audit` checks the result. Events of one batch share a transaction and are
 * chained in id order, which is time order (uuidv7 of the event's instant).
 */
async function generateAudit(ctx: GeneratorContext, count: number): Promise<number> {
  const actors = await ctx.db.query<{ id: string; name: string }>(`SELECT id::text, name FROM users WHERE tenant_id = $1 ORDER BY random() LIMIT 5000`, [ctx.tenant.id]);
  if (actors.length === 0) throw new GenerateError(`tenant ${ctx.tenant.slug} has no users to act in audit events (generate --citizens first)`);
  const units = (await ctx.db.query<{ id: string }>('SELECT id::text FROM units WHERE tenant_id = $1', [ctx.tenant.id])).map((u) => u.id);
  const actions = AUDIT_ACTIONS.flatMap(([a, e, w]) => Array(w).fill([a, e]) as [string, string][]);
  const channels = ['web', 'web', 'android', 'ios'];
  const rand = prng(ctx.seed ^ 0x5eed);
  const startUs = ctx.now.getTime() * 1000 - AUDIT_HISTORY_MS * 1000;
  const stepUs = (AUDIT_HISTORY_MS * 1000) / count;
  let inserted = 0;
  for (let from = 0; from < count; from += ctx.batchSize) {
    const n = Math.min(ctx.batchSize, count - from);
    const cols: unknown[][] = Array.from({ length: 11 }, () => new Array(n));
    for (let k = 0; k < n; k++) {
      const us = Math.floor(startUs + (from + k) * stepUs + rand() * stepUs);
      const ms = Math.floor(us / 1000);
      const occurredAt = `${new Date(ms).toISOString().slice(0, 23)}${String(us % 1000).padStart(3, '0')}Z`;
      const actor = actors[Math.floor(rand() * actors.length)];
      const [action, entityType] = actions[Math.floor(rand() * actions.length)];
      const unitId = entityType === 'unit' && units.length ? units[Math.floor(rand() * units.length)] : null;
      const data = JSON.stringify({ generated: true, channel: channels[Math.floor(rand() * channels.length)] });
      const ip = `${IP_BLOCKS[Math.floor(rand() * IP_BLOCKS.length)]}.${Math.floor(rand() * 256)}.${1 + Math.floor(rand() * 254)}`;
      const values = [uuidv7({ msecs: ms }), occurredAt, actor.id, actor.name, action, entityType, unitId ?? actor.id, unitId, data, ip, randomUUID()];
      for (let c = 0; c < 11; c++) cols[c][k] = values[c];
    }
    await ctx.db.query(AUDIT_INSERT_SQL, [ctx.tenant.id, ...cols]);
    inserted += n;
    ctx.progress(from + n);
  }
  await sealEverything(ctx.db, () => ctx.now, 120_000);
  return inserted;
}

export const platformGenerators: Generator[] = [
  {
    key: 'citizens',
    description: 'residents with Makassar/Bugis names, 628… mobile numbers, e-mails at example domains',
    tables: ['users'],
    run: (ctx, count) => generatePeople(ctx, count, 'citizen'),
  },
  {
    key: 'staff',
    description: 'government staff with NIP, each granted a role (mostly staf) on a unit of the tenant',
    tables: ['users', 'grants'],
    run: (ctx, count) => generatePeople(ctx, count, 'staff'),
  },
  {
    key: 'sessions',
    description: 'signed-in sessions (1 in 5 staff); tokens derive from --token-seed',
    tables: ['sessions'],
    run: generateSessions,
  },
  {
    key: 'audit',
    description: 'a year of audit events, already sealed into the tenant\'s hash chain',
    tables: ['audit_events', 'audit_chain_heads'],
    run: generateAudit,
  },
];
