import { FAMILY, FEMALE_GIVEN, MALE_GIVEN } from '../../platform/generate/names.js';
import { GenerateError, type Generator, type GeneratorContext } from '../../platform/generate/types.js';

/**
 * Bulk health data for the benchmark (`npx balai generate --patients 100000 --polis 1000`).
 *
 * - patients: walk-in patients (no owner) with valid, unique Makassar NIKs that agree with their
 *   birth date and sex, and Bugis–Makassar names;
 * - polis: extra polis of Puskesmas Batua (codes `bench_1`…, three-letter prefixes from `BAA`),
 *   open every day in nine sessions of 00:00–23:59 with a quota of 20,000 each, so that a load
 *   test is never stopped by opening hours or quotas, only by the holidays of the calendar.
 */

/** NIKs of generated patients use district 73.71.10 (Tamalate) and serials from 5000 up. */
const DISTRICT = '737110';

async function generatePatients(ctx: GeneratorContext, count: number): Promise<number> {
  const [{ n: existing }] = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM health_patients WHERE tenant_id = $1 AND nik LIKE $2`, [ctx.tenant.id, `${DISTRICT}%`]);
  let inserted = 0;
  for (let from = existing + 1; from <= existing + count; from += ctx.batchSize) {
    const to = Math.min(existing + count, from + ctx.batchSize - 1);
    // Row i: birth date 1945-01-01 + (i mod 25,000) days, serial 5000 + i / 25,000 (unique NIKs for
    // up to 125 million rows); women have 40 added to the birth day in the NIK.
    const rows = await ctx.db.query<{ n: number }>(
      `WITH s AS (
         SELECT i, hashint8extended(i, $2::bigint) AS h, date '1945-01-01' + (i % 25000)::int AS born, (hashint8extended(i, $2::bigint) & 1) = 1 AS female
           FROM generate_series($3::bigint, $4::bigint) AS g(i)
       ), ins AS (
         INSERT INTO health_patients (tenant_id, id, nik, name, birth_date, sex, phone, address, owner_user_id, relation, created_at, updated_at)
         SELECT $1::uuid, gen_random_uuid(),
                $5 || lpad((extract(day FROM born)::int + CASE WHEN female THEN 40 ELSE 0 END)::text, 2, '0') || to_char(born, 'MMYY') || lpad((5000 + i / 25000)::text, 4, '0'),
                CASE WHEN female THEN ($6::text[])[1 + ((h >> 1) & 65535) % cardinality($6::text[])] ELSE ($7::text[])[1 + ((h >> 1) & 65535) % cardinality($7::text[])] END
                  || ' ' || ($8::text[])[1 + ((h >> 17) & 65535) % cardinality($8::text[])],
                born, CASE WHEN female THEN 'female' ELSE 'male' END,
                '628' || (11 + (h >> 33) % 9)::text || lpad(((i * 48271) % 100000000)::text, 8, '0'),
                'Jl. Dg. Tata Raya Lr. ' || (1 + (h >> 40) % 30)::text || ' No. ' || (1 + (h >> 45) % 90)::text || ', Tamalate',
                NULL, NULL, $9::timestamptz, $9::timestamptz
           FROM s
         ON CONFLICT DO NOTHING
         RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [ctx.tenant.id, ctx.seed, from, to, DISTRICT, FEMALE_GIVEN, MALE_GIVEN, FAMILY, ctx.now.toISOString()],
    );
    inserted += rows[0].n;
    ctx.progress(to - existing);
  }
  return inserted;
}

/** A three-letter queue prefix for bench poli n (0 → BAA). */
function prefixOf(n: number): string {
  const a = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const k = n + 26 * 26; // skip AAA…AZZ
  return a[Math.floor(k / 676) % 26]! + a[Math.floor(k / 26) % 26]! + a[k % 26]!;
}

async function generatePolis(ctx: GeneratorContext, count: number): Promise<number> {
  if (count > 16_000) throw new GenerateError('--polis: at most 16,000 (three-letter queue prefixes)');
  const [facility] = await ctx.db.query<{ id: string }>(
    `SELECT u.id::text AS id FROM health_facilities f JOIN units u ON u.tenant_id = f.tenant_id AND u.id = f.unit_id WHERE f.tenant_id = $1 AND u.code = 'PKM-BATUA'`,
    [ctx.tenant.id],
  );
  if (!facility) throw new GenerateError('--polis needs the demo data (Puskesmas Batua): run `npx balai seed` first');
  const [{ n: existing }] = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM health_services WHERE tenant_id = $1 AND code LIKE 'bench\\_%'`, [ctx.tenant.id]);
  let inserted = 0;
  for (let from = existing; from < existing + count; from += ctx.batchSize) {
    const to = Math.min(existing + count, from + ctx.batchSize);
    const prefixes = Array.from({ length: to - from }, (_, k) => prefixOf(from + k));
    const rows = await ctx.db.query<{ n: number }>(
      `WITH s AS (
         SELECT gen_random_uuid() AS id, k, p FROM unnest($4::text[]) WITH ORDINALITY AS x(p, k)
       ), svc AS (
         INSERT INTO health_services (tenant_id, id, facility_id, code, name, kind, queue_prefix, onsite_share, default_service_minutes, active, sort_order, created_at, updated_at)
         SELECT $1::uuid, id, $2::uuid, 'bench_' || ($3::int + k)::text, 'Poli Uji ' || ($3::int + k)::text, 'poli', p, 40, 10, true, 1000 + $3::int + k, $5::timestamptz, $5::timestamptz
           FROM s
         RETURNING id
       ), ses AS (
         INSERT INTO health_service_sessions (tenant_id, service_id, weekday, session, opens_at, closes_at, quota)
         SELECT $1::uuid, svc.id, w, n, time '00:00', time '23:59', 20000
           FROM svc, generate_series(1, 7) AS w, generate_series(1, 9) AS n
       )
       SELECT count(*)::int AS n FROM svc`,
      [ctx.tenant.id, facility.id, from, prefixes, ctx.now.toISOString()],
    );
    inserted += rows[0].n;
    ctx.progress(to - existing);
  }
  return inserted;
}

export const healthGenerators: Generator[] = [
  { key: 'patients', description: 'walk-in patients with valid Makassar NIKs and names', tables: ['health_patients'], run: generatePatients },
  { key: 'polis', description: 'extra polis of Puskesmas Batua, open every day with large quotas (load tests)', tables: ['health_services', 'health_service_sessions'], run: generatePolis },
];
