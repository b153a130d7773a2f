import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { BedClass } from '../../../../common/health/beds.js';
import type { Tx } from '../../../db/client.js';

interface RoomSpec {
  name: string;
  bedClass: BedClass;
  sex: 'any' | 'male' | 'female';
  beds: number;
}

/** Wards of the demo hospitals, room by room (names as Makassar's hospitals use them). */
const HOSPITALS: Record<string, { ward: string; rooms: RoomSpec[] }[]> = {
  'RSUD-DAYA': [
    { ward: 'Ruang Mawar', rooms: [{ name: 'Mawar 1', bedClass: 'kelas_3', sex: 'male', beds: 6 }, { name: 'Mawar 2', bedClass: 'kelas_3', sex: 'female', beds: 6 }, { name: 'Mawar 3', bedClass: 'kelas_3', sex: 'any', beds: 6 }] },
    { ward: 'Ruang Melati', rooms: [{ name: 'Melati 1', bedClass: 'kelas_2', sex: 'male', beds: 4 }, { name: 'Melati 2', bedClass: 'kelas_2', sex: 'female', beds: 4 }] },
    { ward: 'Ruang Anggrek', rooms: [1, 2, 3, 4].map((n) => ({ name: `Anggrek ${n}`, bedClass: 'kelas_1' as const, sex: 'any' as const, beds: 2 })) },
    { ward: 'Ruang Cempaka', rooms: [1, 2, 3, 4].map((n) => ({ name: `Cempaka ${n}`, bedClass: 'vip' as const, sex: 'any' as const, beds: 1 })) },
    { ward: 'Ruang Teratai', rooms: [{ name: 'Teratai 1', bedClass: 'vvip', sex: 'any', beds: 1 }, { name: 'Teratai 2', bedClass: 'vvip', sex: 'any', beds: 1 }] },
    {
      ward: 'Instalasi Rawat Intensif',
      rooms: [
        { name: 'ICU', bedClass: 'icu', sex: 'any', beds: 6 },
        { name: 'NICU', bedClass: 'nicu', sex: 'any', beds: 4 },
        { name: 'PICU', bedClass: 'picu', sex: 'any', beds: 3 },
      ],
    },
    { ward: 'Ruang Isolasi', rooms: [{ name: 'Isolasi Tekanan Negatif', bedClass: 'isolasi', sex: 'any', beds: 4 }] },
  ],
  'RS-BATUA': [
    {
      ward: 'Ruang Sipakainga',
      rooms: [
        { name: 'Sipakainga 1', bedClass: 'kelas_3', sex: 'male', beds: 6 },
        { name: 'Sipakainga 2', bedClass: 'kelas_3', sex: 'female', beds: 6 },
        { name: 'Sipakainga 3', bedClass: 'kelas_3', sex: 'any', beds: 6 },
      ],
    },
    { ward: 'Ruang Sipakatau', rooms: [{ name: 'Sipakatau 1', bedClass: 'kelas_2', sex: 'any', beds: 4 }, { name: 'Sipakatau 2', bedClass: 'kelas_2', sex: 'any', beds: 4 }] },
    { ward: 'Ruang Sipakalebbi', rooms: [1, 2, 3].map((n) => ({ name: `Sipakalebbi ${n}`, bedClass: 'kelas_1' as const, sex: 'any' as const, beds: 2 })) },
    { ward: 'Ruang Lontara', rooms: [{ name: 'Lontara 1', bedClass: 'vip', sex: 'any', beds: 1 }, { name: 'Lontara 2', bedClass: 'vip', sex: 'any', beds: 1 }] },
    { ward: 'Ruang Intensif', rooms: [{ name: 'ICU', bedClass: 'icu', sex: 'any', beds: 4 }] },
    { ward: 'Ruang Isolasi', rooms: [{ name: 'Isolasi', bedClass: 'isolasi', sex: 'any', beds: 2 }] },
  ],
};

/** Share of each class's beds occupied on the demo day; Batua's ICU has one bed left. */
const OCCUPANCY: Partial<Record<BedClass, number>> = { kelas_3: 0.85, kelas_2: 0.75, kelas_1: 0.6, vip: 0.5, vvip: 0.5, icu: 0.75, nicu: 0.5, picu: 0.34, isolasi: 0.5 };

const FIRST = ['Muhammad', 'Andi', 'Nurul', 'Sitti', 'Abdul', 'Hasnah', 'Syamsul', 'Rahmawati', 'Baso', 'Nurhayati', 'Ismail', 'Fatmawati', 'Haeruddin', 'Megawati', 'Arifin', 'Suriani', 'Jumadi', 'Nursiah', 'Amiruddin', 'Hamsinah'];
const LAST = ['Daeng Tutu', 'Rahman', 'Daeng Ngai', 'Hamzah', 'Syarifuddin', 'Daeng Sikki', 'Latief', 'Daeng Bau', 'Ramli', 'Daeng Caya', 'Mappiasse', 'Daeng Ratu', 'Hasanuddin', 'Daeng Kebo', 'Sulaiman'];
const DIAGNOSES = ['Demam berdarah dengue', 'Pneumonia', 'Gastroenteritis akut', 'Stroke iskemik', 'Gagal jantung kongestif', 'Diabetes melitus tipe 2 dengan komplikasi', 'Demam tifoid', 'Post sectio caesarea', 'Cedera kepala ringan', 'PPOK eksaserbasi akut'];
const REFERRERS = ['Puskesmas Batua', 'Puskesmas Tamalanrea', 'Puskesmas Kassi-Kassi', 'Puskesmas Jumpandang Baru', 'Puskesmas Mamajang', 'RS Bhayangkara Makassar'];

/**
 * The demo hospitals' wards, rooms and beds, and the patients lying in them today (admitted in the
 * last days by referral or from the emergency department), so that availability is counted from
 * real occupancy.
 */
export async function seedHospitalBeds(tx: Tx, tenantId: string, unitIds: Map<string, string>, now: Date): Promise<void> {
  let person = 0;
  for (const [unitCode, wards] of Object.entries(HOSPITALS)) {
    const facilityId = unitIds.get(unitCode);
    if (!facilityId) continue;
    const rooms: { id: string; ward_id: string; name: string; bed_class: BedClass; sex: string }[] = [];
    const wardRows = wards.map((w, i) => ({ id: uuidv7(), name: w.ward, sort_order: (i + 1) * 10 }));
    const beds: { id: string; room_id: string; bed_class: BedClass; code: string; sex: string; n: number }[] = [];
    wards.forEach((w, i) => {
      for (const r of w.rooms) {
        const room = { id: uuidv7(), ward_id: wardRows[i]!.id, name: r.name, bed_class: r.bedClass, sex: r.sex };
        rooms.push(room);
        for (let b = 1; b <= r.beds; b++) beds.push({ id: uuidv7(), room_id: room.id, bed_class: r.bedClass, code: `${r.name.replace(/[^A-Za-z0-9]+/g, '').slice(0, 12).toUpperCase()}-${b}`, sex: r.sex, n: b });
      }
    });
    await tx.execute(
      sql`INSERT INTO health_wards (tenant_id, id, facility_id, name, sort_order, created_at)
          SELECT ${tenantId}, r.id, ${facilityId}, r.name, r.sort_order, ${now} FROM jsonb_to_recordset(${JSON.stringify(wardRows)}::jsonb) AS r(id uuid, name text, sort_order smallint)`,
    );
    await tx.execute(
      sql`INSERT INTO health_rooms (tenant_id, id, ward_id, facility_id, name, bed_class, sex)
          SELECT ${tenantId}, r.id, r.ward_id, ${facilityId}, r.name, r.bed_class, r.sex FROM jsonb_to_recordset(${JSON.stringify(rooms)}::jsonb) AS r(id uuid, ward_id uuid, name text, bed_class text, sex text)`,
    );
    // Occupied beds: a share of each class's beds, spread over its rooms (bed 1 of each room, then bed 2…).
    const byClass = new Map<BedClass, typeof beds>();
    for (const b of [...beds].sort((x, y) => x.n - y.n)) byClass.set(b.bed_class, [...(byClass.get(b.bed_class) ?? []), b]);
    const patients: { id: string; nik: string; name: string; birth_date: string; sex: string }[] = [];
    const admissions: { id: string; patient_id: string; bed_id: string; bed_class: BedClass; source: string; referral_from: string | null; referral_number: string | null; diagnosis: string; admitted_at: string }[] = [];
    const occupied = new Map<string, string>();
    for (const [bedClass, list] of byClass) {
      const n = Math.round(list.length * (OCCUPANCY[bedClass] ?? 0.5));
      for (const bed of list.slice(0, n)) {
        person++;
        const sex = bed.sex === 'any' ? (person % 2 ? 'male' : 'female') : bed.sex;
        // Newborns in the NICU were born in the last three weeks; children in the PICU are 1–6.
        const born = bedClass === 'nicu' ? new Date(now.getTime() - (2 + (person % 20)) * 86_400_000) : null;
        const year = born ? born.getUTCFullYear() : bedClass === 'picu' ? now.getUTCFullYear() - 1 - (person % 6) : 1950 + ((person * 7) % 55);
        const month = born ? born.getUTCMonth() + 1 : 1 + ((person * 5) % 12);
        const day = born ? born.getUTCDate() : 1 + ((person * 11) % 28);
        const birth = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        const nik = `737111${String(day + (sex === 'female' ? 40 : 0)).padStart(2, '0')}${String(month).padStart(2, '0')}${String(year).slice(2)}${String(7000 + person).padStart(4, '0')}`;
        const name = `${FIRST[(person * 3) % FIRST.length]} ${LAST[(person * 7) % LAST.length]}`;
        const patientId = uuidv7();
        patients.push({ id: patientId, nik, name, birth_date: birth, sex });
        const admissionId = uuidv7();
        const referral = person % 3 !== 0;
        admissions.push({
          id: admissionId,
          patient_id: patientId,
          bed_id: bed.id,
          bed_class: bedClass,
          source: referral ? 'referral' : 'emergency',
          referral_from: referral ? REFERRERS[person % REFERRERS.length]! : null,
          referral_number: referral ? `RJK/${String(100 + person)}/XI/2026` : null,
          diagnosis: DIAGNOSES[person % DIAGNOSES.length]!,
          admitted_at: new Date(now.getTime() - (1 + (person % 6)) * 86_400_000 - (person % 9) * 3_600_000).toISOString(),
        });
        occupied.set(bed.id, admissionId);
      }
    }
    await tx.execute(
      sql`INSERT INTO health_patients (tenant_id, id, nik, name, birth_date, sex, created_at, updated_at)
          SELECT ${tenantId}, r.id, r.nik, r.name, r.birth_date, r.sex, ${now}, ${now}
            FROM jsonb_to_recordset(${JSON.stringify(patients)}::jsonb) AS r(id uuid, nik text, name text, birth_date date, sex text)`,
    );
    await tx.execute(
      sql`INSERT INTO health_admissions (tenant_id, id, facility_id, patient_id, status, source, referral_from, referral_number, bed_class, diagnosis, admitted_at)
          SELECT ${tenantId}, r.id, ${facilityId}, r.patient_id, 'admitted', r.source, r.referral_from, r.referral_number, r.bed_class, r.diagnosis, r.admitted_at
            FROM jsonb_to_recordset(${JSON.stringify(admissions)}::jsonb)
                 AS r(id uuid, patient_id uuid, source text, referral_from text, referral_number text, bed_class text, diagnosis text, admitted_at timestamptz)`,
    );
    const bedRows = beds.map((b) => ({ id: b.id, room_id: b.room_id, bed_class: b.bed_class, code: b.code, admission_id: occupied.get(b.id) ?? null }));
    await tx.execute(
      sql`INSERT INTO health_beds (tenant_id, id, room_id, facility_id, bed_class, code, out_of_service, admission_id, changed_at)
          SELECT ${tenantId}, r.id, r.room_id, ${facilityId}, r.bed_class, r.code, false, r.admission_id, ${now}
            FROM jsonb_to_recordset(${JSON.stringify(bedRows)}::jsonb) AS r(id uuid, room_id uuid, bed_class text, code text, admission_id uuid)`,
    );
    await tx.execute(
      sql`INSERT INTO health_bed_stays (tenant_id, admission_id, seq, bed_id, from_at)
          SELECT ${tenantId}, r.id, 1, r.bed_id, r.admitted_at FROM jsonb_to_recordset(${JSON.stringify(admissions)}::jsonb) AS r(id uuid, bed_id uuid, admitted_at timestamptz)`,
    );
  }
}
