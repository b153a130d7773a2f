import { CODE_ALPHABET } from '../../platform/numbering/format.js';
import { named } from '../../platform/generate/platform.js';
import { FAMILY, FEMALE_GIVEN, MALE_GIVEN, MOBILE_PREFIXES } from '../../platform/generate/names.js';
import { type Generator, type GeneratorContext, GenerateError } from '../../platform/generate/types.js';

/**
 * `npx balai generate --complaints N`: two years of citizen reports of the tenant, made on the
 * database server in `INSERT … SELECT FROM generate_series` batches through the real `complaints`
 * table, so that every index, generated column (search vector) and trigger (map rollups, late
 * resolution flag) of the module applies as it would to reports filed one by one.
 *
 * Reports are spread over the city's kecamatan (weighted by population, points scattered around
 * each kecamatan's centre, kelurahan drawn from the kecamatan) and its categories, routed like
 * routeComplaint (category unit, routing rules by kelurahan/kecamatan), with realistic status
 * shares by age (recent reports mostly open, older ones mostly closed, an open backlog past its
 * deadline), timestamps of every stage reached, ratings of closed reports, and a timeline entry
 * for every move of the reports of the last TIMELINE_DAYS days. Generated timelines carry status changes only; the public answer of a resolved
 * report is stored in `search_answers` (where full-text search reads it), not as a note, so that the
 * per-row answers trigger of complaint_events does not run a million times.
 *
 * No audit or domain events are written for generated reports (the `--audit` generator makes audit
 * history; old domain events would only be replayed to live screens).
 */

/** How far back generated reports reach. */
const HISTORY_DAYS = 730;
/**
 * Reports of this many last days get their full timeline (every move, ~5 rows each); older ones
 * are kept as imported history without one, which keeps a million reports loading in minutes.
 */
const TIMELINE_DAYS = 180;
/** Reports younger than this have the "recent" status shares (mostly still open). */
const RECENT_DAYS = 14;

/**
 * Kecamatan of Kota Makassar (Kemendagri code suffix), their approximate centre and a weight (by
 * population). Other tenants spread over their kecamatan around the centre of the tenant's bounds.
 */
const MAKASSAR_KECAMATAN: [string, number, number, number][] = [
  ['01', -5.1555, 119.41, 6],
  ['02', -5.1665, 119.421, 6],
  ['03', -5.1435, 119.425, 8],
  ['04', -5.14, 119.412, 3],
  ['05', -5.1285, 119.4135, 3],
  ['06', -5.128, 119.424, 6],
  ['07', -5.1135, 119.437, 13],
  ['08', -5.111, 119.418, 3],
  ['09', -5.148, 119.45, 14],
  ['10', -5.192, 119.41, 18],
  ['11', -5.09, 119.515, 20],
  ['12', -5.165, 119.49, 14],
  ['13', -5.168, 119.44, 15],
  ['14', -5.12, 119.495, 11],
  ['15', -5.08, 119.31, 1],
];

/** What residents write, by icon of the category (the demo categories' icons); `{jalan}` is a street. */
const DESCRIPTIONS: Record<string, string[]> = {
  IconRoad: [
    'Jalan berlubang cukup dalam di {jalan}, membahayakan pengendara motor terutama malam hari.',
    'Aspal mengelupas dan bergelombang di {jalan}, sudah beberapa kali ada yang jatuh.',
    'Jalan amblas di pinggir saluran di {jalan}, mohon segera diperbaiki sebelum hujan.',
  ],
  IconTrafficLights: [
    'Lampu lalu lintas di simpang {jalan} mati sejak pagi, kendaraan saling serobot.',
    'Lampu merah di {jalan} berkedip kuning terus, simpang macet dan rawan tabrakan.',
  ],
  IconTrash: [
    'Sampah menumpuk di TPS {jalan} dan belum diangkut berhari-hari, baunya menyengat.',
    'Warga membuang sampah sembarangan di lahan kosong dekat {jalan}, mohon ditertibkan.',
  ],
  IconDroplet: [
    'Saluran air di {jalan} tersumbat, setiap hujan air meluap ke jalan dan rumah warga.',
    'Got di {jalan} penuh lumpur dan sampah plastik sehingga air tidak mengalir.',
  ],
  IconBulbOff: ['Lampu jalan di {jalan} padam beberapa tiang, jalan gelap dan rawan kejahatan.', 'PJU di {jalan} berkedip lalu mati setiap malam.'],
  IconTree: ['Pohon tumbang menutup sebagian badan {jalan} setelah hujan angin.', 'Dahan pohon besar di {jalan} retak dan menggantung di atas jalan.'],
  IconParking: ['Kendaraan parkir di bahu dan trotoar {jalan} sampai dua lapis, jalan macet.', 'Juru parkir liar di {jalan} memungut tarif di luar ketentuan.'],
  IconBuildingCommunity: ['Pelayanan di kantor dekat {jalan} tutup lebih cepat dari jadwal yang diumumkan.', 'Antrean layanan dekat {jalan} sangat panjang dan nomor antrean tidak berfungsi.'],
  IconBulb: ['Usul pembangunan trotoar dan zebra cross di {jalan} karena banyak anak sekolah menyeberang.', 'Mohon ditambah taman dan ruang terbuka hijau di sekitar {jalan}.'],
  IconInfoCircle: ['Mohon informasi jadwal perbaikan {jalan} dan berapa lama pekerjaannya.', 'Bagaimana cara mendaftar program bantuan untuk warga sekitar {jalan}?'],
};
const FALLBACK_DESCRIPTIONS = ['Mohon ditindaklanjuti masalah di sekitar {jalan}, sudah lama dikeluhkan warga.'];

const ANSWERS: Record<string, string> = {
  IconRoad: 'Lubang sudah ditambal dengan aspal hotmix oleh tim pemeliharaan jalan.',
  IconTrafficLights: 'Controller lampu lalu lintas sudah diperbaiki dan lampu menyala normal.',
  IconTrash: 'Sampah sudah diangkut dan jadwal pengangkutan rutin ditambah.',
  IconDroplet: 'Saluran sudah dikeruk dan air kembali mengalir lancar.',
  IconBulbOff: 'Lampu PJU sudah diganti dengan lampu LED baru.',
  IconTree: 'Pohon sudah dipotong dan dievakuasi dari badan jalan.',
  IconParking: 'Petugas sudah menertibkan parkir dan memasang rambu larangan parkir.',
  IconBuildingCommunity: 'Petugas terkait sudah dibina dan layanan kembali sesuai jadwal.',
  IconBulb: 'Usulan sudah dimasukkan ke daftar Musrenbang kecamatan.',
  IconInfoCircle: 'Informasi yang diminta sudah kami sampaikan; silakan hubungi kantor kecamatan pada hari kerja.',
};

const STREETS = [
  'Jl. A.P. Pettarani', 'Jl. Perintis Kemerdekaan', 'Jl. Urip Sumoharjo', 'Jl. Sultan Alauddin', 'Jl. Veteran Selatan', 'Jl. Veteran Utara',
  'Jl. Cendrawasih', 'Jl. Sam Ratulangi', 'Jl. Hertasning', 'Jl. Antang Raya', 'Jl. Boulevard', 'Jl. Racing Centre', 'Jl. Toddopuli Raya',
  'Jl. Batua Raya', 'Jl. Abdullah Daeng Sirua', 'Jl. Landak Baru', 'Jl. Kakatua', 'Jl. Gunung Bawakaraeng', 'Jl. Masjid Raya', 'Jl. Tinumbu',
  'Jl. Sunu', 'Jl. Sultan Abdullah', 'Jl. Kapasa Raya', 'Jl. Goa Ria', 'Jl. Paccerakkang', 'Jl. Daeng Tata', 'Jl. Mallengkeri', 'Jl. Nusantara',
  'Jl. Sulawesi', 'Jl. Bulusaraung', 'Jl. Rajawali', 'Jl. Pongtiku', 'Jl. Tamalate', 'Jl. Dg. Ramang', 'Jl. Borong Raya', 'Jl. Andi Tonro',
  'Jl. Rappocini Raya', 'Jl. Monginsidi', 'Jl. Onta Lama', 'Jl. Bonto Langkasa', 'Jl. Tamangapa Raya', 'Jl. Metro Tanjung Bunga',
];

/** Channels and their shares (per 1024). */
const CHANNELS: [string, number][] = [
  ['web', 717],
  ['call_centre', 154],
  ['whatsapp', 82],
  ['open311', 31],
  ['instagram', 20],
  ['twitter', 10],
  ['email', 10],
];

/**
 * Status shares per 1024 (cumulative order matters): reports of the last two weeks are mostly
 * open; older ones mostly closed, with a backlog still open (past its deadline).
 */
const RECENT_SHARES: [string, number][] = [
  ['submitted', 150],
  ['verified', 100],
  ['disposed', 200],
  ['in_progress', 205],
  ['needs_info', 41],
  ['resolved', 123],
  ['closed', 82],
  ['rejected', 82],
  ['reopened', 20],
  ['withdrawn', 21],
];
const OLD_SHARES: [string, number][] = [
  ['submitted', 10],
  ['verified', 10],
  ['disposed', 31],
  ['in_progress', 51],
  ['needs_info', 10],
  ['resolved', 31],
  ['closed', 768],
  ['rejected', 92],
  ['reopened', 10],
  ['withdrawn', 11],
];

/** A CASE over cumulative thresholds of a value 0…1023. */
function sharesCase(value: string, shares: [string, number][]): string {
  const total = shares.reduce((s, [, n]) => s + n, 0);
  if (total !== 1024) throw new Error(`shares must add up to 1024, got ${total}`);
  let acc = 0;
  const whens = shares.slice(0, -1).map(([v, n]) => {
    acc += n;
    return `WHEN ${value} < ${acc} THEN '${v}'`;
  });
  return `CASE ${whens.join(' ')} ELSE '${shares.at(-1)![0]}' END`;
}

const bits = (h: string, shift: number, width: number) => `((${h} >> ${shift}) & ${2 ** width - 1})`;
const uuidv7Sql = (ts: string, ha: string, hb: string) =>
  `(lpad(to_hex((extract(epoch FROM ${ts}) * 1000)::bigint), 12, '0') || '7' || lpad(to_hex(${bits(ha, 0, 12)}), 3, '0')
    || to_hex(8 | ${bits(ha, 12, 2)}) || lpad(to_hex(${hb} & ${2n ** 60n - 1n}), 15, '0'))::uuid`;
/** ADU-XXXX-XXXX-XXXX from 60 bits of a hash (the alphabet of platform/numbering). */
const trackingSql = (h: string) => {
  const sym = (k: number) => `substr('${CODE_ALPHABET}', 1 + ${bits(h, k * 5, 5)}::int, 1)`;
  const group = (g: number) => [0, 1, 2, 3].map((i) => sym(g * 4 + i)).join(' || ');
  return `'ADU-' || ${group(0)} || '-' || ${group(1)} || '-' || ${group(2)}`;
};

const OPEN = `('submitted', 'verified', 'disposed', 'in_progress', 'needs_info', 'reopened')`;

const COMPLAINTS_SQL = (optional: { channel: boolean; searchAnswers: boolean; escalatedAt: boolean; resolvedLate: boolean }) => `
WITH s AS (
  SELECT i,
         hashint8extended(i, $seed::bigint + 100) AS h0, hashint8extended(i, $seed::bigint + 101) AS h1,
         hashint8extended(i, $seed::bigint + 102) AS h2, hashint8extended(i, $seed::bigint + 103) AS h3,
         hashint8extended(i, $seed::bigint + 104) AS h4,
         -- Evenly over the history, newest for the highest i; a few minutes of jitter.
         $now::timestamptz - (($last::bigint - i) * $spanMs::bigint / GREATEST($last::bigint - $first::bigint + 1, 1)) * interval '1 millisecond'
           - (hashint8extended(i, $seed::bigint + 105) & 262143) * interval '1 millisecond' AS ts
    FROM generate_series($from::bigint, $to::bigint) AS g(i)
), p AS (
  SELECT s.*,
         ($catWeighted::int[])[1 + ${bits('h0', 0, 16)} % cardinality($catWeighted::int[])] AS ci,
         ($kecWeighted::int[])[1 + ${bits('h0', 16, 16)} % cardinality($kecWeighted::int[])] AS ki,
         ${bits('h1', 0, 10)} AS r_status,
         $now::timestamptz - ts < interval '${RECENT_DAYS} days' AS recent
    FROM s
), q AS (
  SELECT p.*,
         CASE WHEN recent THEN ${sharesCase('r_status', RECENT_SHARES)} ELSE ${sharesCase('r_status', OLD_SHARES)} END AS status,
         ($catIds::uuid[])[ci] AS category_id, ($catKinds::text[])[ci] AS kind, ($catUnits::uuid[])[ci] AS default_unit,
         ($kecCodes::text[])[ki] AS kecamatan_code,
         ($kelCodes::text[])[($kelStart::int[])[ki] + ${bits('h2', 0, 16)} % ($kelCount::int[])[ki]] AS kelurahan_code,
         ($streets::text[])[1 + ${bits('h2', 16, 16)} % cardinality($streets::text[])] AS street
    FROM p
), o AS (
  -- Minutes after submission at which each stage is reached.
  SELECT q.*,
         30 + ${bits('h3', 1, 10)} AS ov,
         60 + ${bits('h3', 1, 10)} + ${bits('h3', 11, 9)} AS od,
         60 + ${bits('h3', 1, 10)} + ${bits('h3', 11, 9)} + 60 * (4 + ${bits('h3', 20, 8)}) AS orr
    FROM q
), t AS (
  -- Stage times: each after the previous, none after "now" (ts is never after it).
  SELECT o.*,
         CASE WHEN status NOT IN ('submitted', 'withdrawn') AND NOT (status = 'rejected' AND ${bits('h3', 0, 1)} = 0)
              THEN LEAST($now::timestamptz, ts + ov * interval '1 minute') END AS verified_at,
         CASE WHEN status IN ('disposed', 'in_progress', 'needs_info', 'resolved', 'closed', 'reopened')
              THEN LEAST($now::timestamptz, ts + od * interval '1 minute') END AS disposed_at,
         CASE WHEN status IN ('resolved', 'closed', 'reopened')
              THEN LEAST($now::timestamptz, ts + orr * interval '1 minute') END AS resolved_at
    FROM o
), u AS (
  SELECT t.*,
         CASE WHEN status = 'closed' THEN LEAST($now::timestamptz, resolved_at + (12 + ${bits('h3', 28, 8)}) * interval '1 hour') END AS closed_at,
         CASE status
           WHEN 'submitted' THEN ts + interval '1 day'
           WHEN 'verified' THEN verified_at + interval '1 day'
           WHEN 'disposed' THEN disposed_at + interval '7 days'
           WHEN 'in_progress' THEN disposed_at + interval '7 days'
           WHEN 'reopened' THEN resolved_at + interval '7 days'
         END AS due_at,
         CASE WHEN status = 'closed' AND ${bits('h4', 0, 10)} < 666 THEN
           CASE WHEN ${bits('h4', 10, 10)} < 358 THEN 5 WHEN ${bits('h4', 10, 10)} < 665 THEN 4 WHEN ${bits('h4', 10, 10)} < 819 THEN 3
                WHEN ${bits('h4', 10, 10)} < 921 THEN 2 ELSE 1 END END AS rating,
         ${bits('h4', 20, 10)} < 440 AND cardinality($citizens::uuid[]) > 0 AS signed_in,
         ${bits('h4', 30, 1)} = 1 AS female
    FROM t
), v AS (
  SELECT u.*,
         GREATEST(ts, verified_at, disposed_at, resolved_at, closed_at,
                  CASE WHEN status IN ('rejected', 'withdrawn') THEN LEAST($now::timestamptz, ts + interval '3 hours') END) AS last_at,
         COALESCE((SELECT r.unit_id FROM complaint_routing_rules r
                    WHERE r.tenant_id = $tenant::uuid AND r.category_id = u.category_id AND r.region_code IN (u.kelurahan_code, u.kecamatan_code)
                    ORDER BY length(r.region_code) DESC LIMIT 1), default_unit) AS unit_id
    FROM u
), ins AS (
  INSERT INTO complaints (tenant_id, id, tracking_code, category_id, kind, status, description, lat, lng, kecamatan_code, kelurahan_code, address,
                          attributes, unit_id, rejection_reason, reporter_user_id, reporter_name, reporter_phone, access_token_hash,
                          submitted_at, verified_at, disposed_at, due_at, paused_hours, resume_status, resolved_at, closed_at,
                          rating, rated_at, updated_at${optional.channel ? ', channel' : ''}${optional.searchAnswers ? ', search_answers' : ''}${optional.escalatedAt ? ', escalated_at' : ''}${
                            optional.resolvedLate ? ', resolved_late' : ''
                          })
  SELECT $tenant::uuid, ${uuidv7Sql('ts', 'h0', 'h1')}, ${trackingSql('h3')}, category_id, kind, status,
         replace(($descs::text[])[($descStart::int[])[ci] + ${bits('h4', 32, 8)} % ($descCount::int[])[ci]], '{jalan}', street),
         ($kecLat::float8[])[ki] + (${bits('h2', 32, 12)} / 4095.0 - 0.5) * 0.024,
         ($kecLng::float8[])[ki] + (${bits('h2', 44, 12)} / 4095.0 - 0.5) * 0.024,
         kecamatan_code, kelurahan_code,
         street || ' No. ' || (1 + ${bits('h1', 10, 8)}) || CASE WHEN ${bits('h1', 18, 2)} = 0 THEN ', lorong ' || (1 + ${bits('h1', 20, 4)}) ELSE '' END,
         ($attrs::jsonb[])[($attrStart::int[])[ci] + ${bits('h4', 40, 8)} % ($attrCount::int[])[ci]],
         unit_id,
         CASE WHEN status = 'rejected' THEN (ARRAY['spam', 'invalid', 'duplicate', 'duplicate'])[1 + ${bits('h3', 36, 2)}] END,
         CASE WHEN signed_in THEN ($citizens::uuid[])[1 + ${bits('h1', 24, 16)} % cardinality($citizens::uuid[])] END,
         CASE WHEN NOT signed_in AND ${bits('h1', 40, 10)} < 870 THEN
           CASE WHEN female THEN ($female::text[])[1 + ${bits('h1', 50, 8)} % cardinality($female::text[])]
                ELSE ($male::text[])[1 + ${bits('h1', 50, 8)} % cardinality($male::text[])] END
           || ' ' || ($family::text[])[1 + ${bits('h2', 56, 7)} % cardinality($family::text[])] END,
         CASE WHEN NOT signed_in AND ${bits('h1', 40, 10)} < 700 THEN
           '62' || ($prefixes::text[])[1 + ${bits('h4', 48, 8)} % cardinality($prefixes::text[])] || lpad((${bits('h0', 32, 26)} % 100000000)::text, 8, '0') END,
         CASE WHEN NOT signed_in THEN sha256(int8send(h4 # h0)) END,
         ts, verified_at, disposed_at,
         CASE WHEN status IN ${OPEN} AND status <> 'needs_info' THEN due_at END,
         CASE WHEN status = 'needs_info' THEN (1 + ${bits('h4', 56, 5)})::float8 END,
         CASE WHEN status = 'needs_info' THEN 'in_progress' END,
         resolved_at, closed_at,
         rating, CASE WHEN rating IS NOT NULL THEN closed_at END,
         last_at${optional.channel ? `, ($channels::text[])[1 + ${bits('h0', 32, 10)}]` : ''}${
           optional.searchAnswers ? `, CASE WHEN resolved_at IS NOT NULL THEN ($answers::text[])[ci] END` : ''
         }${optional.escalatedAt ? `, CASE WHEN status IN ${OPEN} AND status <> 'needs_info' AND due_at < $now::timestamptz - interval '1 hour' THEN due_at + interval '1 hour' END` : ''}${
           // Resolved after the resolution deadline (seven days after disposition here).
           optional.resolvedLate ? `, CASE WHEN resolved_at IS NOT NULL THEN resolved_at > disposed_at + interval '7 days' END` : ''
         }
    FROM v
  ON CONFLICT DO NOTHING
  RETURNING tenant_id, id, status, unit_id, reporter_user_id, submitted_at, verified_at, disposed_at, resolved_at, closed_at, updated_at
), ev AS (
  INSERT INTO complaint_events (tenant_id, id, complaint_id, action, from_status, to_status, internal, unit_id, actor_user_id, actor_kind, at)
  SELECT e.tenant_id, ${uuidv7Sql('e.at', 'e.h', 'e.h')}, e.complaint_id, e.action, e.from_status, e.to_status, false, e.unit_id, e.actor, e.actor_kind, e.at
    FROM (
      SELECT ins.tenant_id, ins.id AS complaint_id, x.action, x.from_status, x.to_status, ins.unit_id, x.actor, x.actor_kind, x.at,
             hashtextextended(ins.id::text || x.action, $seed::bigint) AS h
        FROM ins
        CROSS JOIN LATERAL (VALUES
          ('submit', NULL, 'submitted', ins.reporter_user_id, 'reporter', ins.submitted_at),
          ('verify', 'submitted', 'verified', $desk::uuid, 'triage', ins.verified_at),
          ('reject', CASE WHEN ins.verified_at IS NULL THEN 'submitted' ELSE 'verified' END, 'rejected', $desk::uuid, 'triage',
             CASE WHEN ins.status = 'rejected' THEN ins.updated_at END),
          ('withdraw', 'submitted', 'withdrawn', ins.reporter_user_id, 'reporter', CASE WHEN ins.status = 'withdrawn' THEN ins.updated_at END),
          ('dispose', 'verified', 'disposed', $desk::uuid, 'triage', ins.disposed_at),
          ('start', 'disposed', 'in_progress', NULL, 'handler',
             CASE WHEN ins.status IN ('in_progress', 'needs_info', 'resolved', 'closed', 'reopened') THEN ins.disposed_at + interval '1 second' END),
          ('request_info', 'in_progress', 'needs_info', NULL, 'handler', CASE WHEN ins.status = 'needs_info' THEN ins.disposed_at + interval '2 seconds' END),
          ('resolve', 'in_progress', 'resolved', NULL, 'handler', ins.resolved_at),
          ('close', 'resolved', 'closed', ins.reporter_user_id, 'reporter', ins.closed_at),
          ('reopen', 'resolved', 'reopened', ins.reporter_user_id, 'reporter', CASE WHEN ins.status = 'reopened' THEN ins.resolved_at + interval '1 second' END)
        ) AS x(action, from_status, to_status, actor, actor_kind, at)
       WHERE x.at IS NOT NULL AND ins.submitted_at > $now::timestamptz - interval '${TIMELINE_DAYS} days'
    ) e
  RETURNING 1
)
SELECT (SELECT count(*)::int FROM ins) AS n, (SELECT count(*)::int FROM ev) AS events`;

async function columnsOf(ctx: GeneratorContext, table: string): Promise<Set<string>> {
  const rows = await ctx.db.query<{ c: string }>(`SELECT column_name AS c FROM information_schema.columns WHERE table_name = $1 AND table_schema = current_schema()`, [table]);
  return new Set(rows.map((r) => r.c));
}

interface CategoryInfo {
  id: string;
  kind: string;
  icon: string;
  default_unit_id: string;
  attributes: { code: string; required?: boolean; datatype: string; values?: { key: string }[] }[];
}

/** Every value combination of the category's required list attributes (one per report, drawn). */
function attributeChoices(cat: CategoryInfo): string[] {
  const required = (cat.attributes ?? []).filter((a) => a.required);
  let combos: Record<string, string | number>[] = [{}];
  for (const a of required) {
    const values: (string | number)[] = a.datatype === 'singlevaluelist' ? (a.values ?? []).map((v) => v.key) : a.datatype === 'number' ? [1] : ['-'];
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [a.code]: v })));
  }
  return combos.map((c) => JSON.stringify(c));
}

export async function generateComplaints(ctx: GeneratorContext, count: number): Promise<number> {
  const tid = ctx.tenant.id;
  const cats = await ctx.db.query<CategoryInfo>(
    `SELECT id::text AS id, kind, icon, default_unit_id::text AS default_unit_id, attributes FROM complaint_categories WHERE tenant_id = $1 AND active ORDER BY sort_order`,
    [tid],
  );
  if (cats.length === 0) throw new GenerateError(`tenant ${ctx.tenant.slug} has no complaint categories (npx balai seed, or create them in the workspace)`);
  const regions = await ctx.db.query<{ code: string; parent_code: string; level: number }>(
    `SELECT code, parent_code, level FROM regions WHERE code LIKE $1 AND level IN (3, 4) ORDER BY code`,
    [`${ctx.tenant.regionCode}.%`],
  );
  const kecamatan = regions.filter((r) => r.level === 3);
  if (kecamatan.length === 0) throw new GenerateError(`no kecamatan below region ${ctx.tenant.regionCode} (npx balai migrate loads the regions)`);
  const [bounds] = await ctx.db.query<{ s: number; w: number; n: number; e: number }>(
    'SELECT bounds_south AS s, bounds_west AS w, bounds_north AS n, bounds_east AS e FROM complaint_settings WHERE tenant_id = $1',
    [tid],
  );
  const [desk] = await ctx.db.query<{ id: string }>(
    `SELECT u.id::text AS id FROM users u JOIN grants g ON g.tenant_id = u.tenant_id AND g.user_id = u.id JOIN roles r ON r.tenant_id = g.tenant_id AND r.id = g.role_id
      WHERE u.tenant_id = $1 AND 'complaints.triage' = ANY (r.permissions) ORDER BY (r.key = 'complaints_officer') DESC, u.created_at LIMIT 1`,
    [tid],
  );
  const citizens = (await ctx.db.query<{ id: string }>(`SELECT id::text AS id FROM users WHERE tenant_id = $1 AND kind = 'citizen' ORDER BY id LIMIT 20000`, [tid])).map((r) => r.id);

  // Kecamatan: centre and weight (Makassar's known ones; elsewhere around the bounds' centre).
  const kecCodes: string[] = [];
  const kecLat: number[] = [];
  const kecLng: number[] = [];
  const kecWeighted: number[] = [];
  const kelCodes: string[] = [];
  const kelStart: number[] = [];
  const kelCount: number[] = [];
  for (const [i, k] of kecamatan.entries()) {
    const known = MAKASSAR_KECAMATAN.find(([suffix]) => `${ctx.tenant.regionCode}.${suffix}` === k.code && ctx.tenant.regionCode === '73.71');
    const cLat = bounds ? (bounds.s + bounds.n) / 2 : 0;
    const cLng = bounds ? (bounds.w + bounds.e) / 2 : 0;
    kecCodes.push(k.code);
    kecLat.push(known ? known[1] : cLat + (((i * 37) % 11) - 5) * 0.004);
    kecLng.push(known ? known[2] : cLng + (((i * 53) % 11) - 5) * 0.004);
    for (let w = 0; w < (known ? known[3] : 5); w++) kecWeighted.push(i + 1);
    const villages = regions.filter((r) => r.parent_code === k.code).map((r) => r.code);
    kelStart.push(kelCodes.length + 1);
    kelCount.push(Math.max(villages.length, 1));
    kelCodes.push(...(villages.length ? villages : [k.code]));
  }
  // Villages-less kecamatan would give a kecamatan code as kelurahan: keep the column honest.
  if (kelCodes.some((c) => c.split('.').length !== 4)) throw new GenerateError('every kecamatan needs kelurahan in the regions table');

  // Categories: roads, rubbish and drains are reported most, information requests least.
  const weightOf: Record<string, number> = { IconRoad: 22, IconTrash: 18, IconDroplet: 14, IconBulbOff: 10, IconTrafficLights: 8, IconTree: 5, IconParking: 7, IconBuildingCommunity: 8, IconBulb: 4, IconInfoCircle: 4 };
  const catWeighted = cats.flatMap((c, i) => Array(weightOf[c.icon] ?? 5).fill(i + 1) as number[]);
  const descs: string[] = [];
  const descStart: number[] = [];
  const descCount: number[] = [];
  const attrs: string[] = [];
  const attrStart: number[] = [];
  const attrCount: number[] = [];
  for (const c of cats) {
    const list = DESCRIPTIONS[c.icon] ?? FALLBACK_DESCRIPTIONS;
    descStart.push(descs.length + 1);
    descCount.push(list.length);
    descs.push(...list);
    const choices = attributeChoices(c);
    attrStart.push(attrs.length + 1);
    attrCount.push(choices.length);
    attrs.push(...choices);
  }

  const cols = await columnsOf(ctx, 'complaints');
  const optional = { channel: cols.has('channel'), searchAnswers: cols.has('search_answers'), escalatedAt: cols.has('escalated_at'), resolvedLate: cols.has('resolved_late') };
  const sqlText = COMPLAINTS_SQL(optional);
  // Continue after reports already there, so that a second run adds new rows (fresh hashes).
  const [{ n: existing }] = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM complaints WHERE tenant_id = $1', [tid]);
  const first = existing + 1;
  const last = existing + count;
  const values: Record<string, unknown> = {
    tenant: tid,
    seed: ctx.seed,
    now: ctx.now,
    spanMs: HISTORY_DAYS * 24 * 3600_000,
    first,
    last,
    catWeighted,
    catIds: cats.map((c) => c.id),
    catKinds: cats.map((c) => c.kind),
    catUnits: cats.map((c) => c.default_unit_id),
    kecWeighted,
    kecCodes,
    kecLat,
    kecLng,
    kelCodes,
    kelStart,
    kelCount,
    streets: STREETS,
    descs,
    descStart,
    descCount,
    attrs,
    attrStart,
    attrCount,
    citizens,
    female: FEMALE_GIVEN,
    male: MALE_GIVEN,
    family: FAMILY,
    prefixes: MOBILE_PREFIXES,
    desk: desk?.id ?? null,
    ...(optional.channel ? { channels: CHANNELS.flatMap(([c, n]) => Array(n).fill(c) as string[]) } : {}),
    ...(optional.searchAnswers ? { answers: cats.map((c) => ANSWERS[c.icon] ?? 'Laporan sudah ditindaklanjuti oleh unit terkait.') } : {}),
  };
  let inserted = 0;
  let events = 0;
  // Smaller batches than the platform's: each report also writes ~4 timeline rows and map rollups.
  const batch = Math.max(1000, Math.min(ctx.batchSize, 20_000));
  for (let from = first; from <= last; from += batch) {
    const to = Math.min(last, from + batch - 1);
    const q = named(sqlText, { ...values, from, to });
    const [r] = await ctx.db.query<{ n: number; events: number }>(q.text, q.params);
    inserted += r.n;
    events += r.events;
    ctx.progress(to - first + 1);
  }
  ctx.progress(count, `${events.toLocaleString('en-US')} timeline rows`);
  return inserted;
}

export const complaintGenerators: Generator[] = [
  {
    key: 'complaints',
    description: 'two years of citizen reports over the kecamatan/kelurahan and categories, every status, with timelines',
    // The map rollups are written by the triggers, one update per report: vacuumed too, as
    // autovacuum would have done long before a real city reached these numbers.
    tables: ['complaints', 'complaint_events', 'complaint_map_cells', 'complaint_map_totals', 'complaint_map_days'],
    run: generateComplaints,
  },
];
