import { getDistricts, getProvinces, getRegencies, getVillages } from 'idn-area-data';
import type { Database } from '../../db/client.js';

/** Rows per INSERT … SELECT FROM unnest(…) batch. */
const BATCH = 20_000;

/**
 * Loads all Indonesian regions (Kemendagri codes, idn-area-data 4.0.1) once: 38 provinces,
 * 514 regencies/cities, 7,285 districts, 83,762 villages. Returns how many rows were inserted.
 */
export async function loadRegions(db: Database): Promise<number> {
  const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM regions');
  if (n > 0) return 0;
  const [provinces, regencies, districts, villages] = await Promise.all([getProvinces(), getRegencies(), getDistricts(), getVillages()]);
  const rows: [string, string | null, number, string][] = [
    ...provinces.map((p) => [p.code, null, 1, p.name] as [string, null, number, string]),
    ...regencies.map((r) => [r.code, r.province_code, 2, r.name] as [string, string, number, string]),
    ...districts.map((d) => [d.code, d.regency_code, 3, d.name] as [string, string, number, string]),
    ...villages.map((v) => [v.code, v.district_code, 4, v.name] as [string, string, number, string]),
  ];
  for (let i = 0; i < rows.length; i += BATCH) {
    const chunk = rows.slice(i, i + BATCH);
    await db.query(
      `INSERT INTO regions (code, parent_code, level, name)
       SELECT * FROM unnest($1::text[], $2::text[], $3::smallint[], $4::text[]) ON CONFLICT DO NOTHING`,
      [chunk.map((r) => r[0]), chunk.map((r) => r[1]), chunk.map((r) => r[2]), chunk.map((r) => r[3])],
    );
  }
  return rows.length;
}
