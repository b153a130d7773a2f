import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Tx } from '../../db/client.js';
import { addDemoStaff, type DemoStaffAccount } from '../../platform/org/demoAccounts.js';
import type { ModuleSeedInput } from '../registry.js';
import { seedHospitalBeds } from './inpatient/seed.js';
import { seedDrugCatalogue, seedPharmacyStock } from './pharmacy/seed.js';

interface FacilitySpec {
  unitCode: string;
  address: string;
  kelurahan: string;
  lat: number;
  lng: number;
  phone: string;
}

/** Makassar's demo facilities (units of the demo's Dinas Kesehatan). */
const MAKASSAR_FACILITIES: FacilitySpec[] = [
  { unitCode: 'PKM-KASSI', address: 'Jl. Tamalate I No. 43, Kassi-Kassi, Rappocini', kelurahan: '73.71.13.1002', lat: -5.1640, lng: 119.4404, phone: '0411869320' },
  { unitCode: 'PKM-JUMPANDANG', address: 'Jl. Tinumbu Lr. 163, Ujung Pandang Baru, Tallo', kelurahan: '73.71.07.1013', lat: -5.1194, lng: 119.4266, phone: '0411445091' },
  { unitCode: 'PKM-BATUA', address: 'Jl. Abdullah Daeng Sirua No. 338, Batua, Manggala', kelurahan: '73.71.12.1005', lat: -5.1513, lng: 119.4715, phone: '0411440327' },
  { unitCode: 'PKM-MAMAJANG', address: 'Jl. Baji Minasa No. 10, Mamajang Luar, Mamajang', kelurahan: '73.71.02.1003', lat: -5.1553, lng: 119.4183, phone: '0411873122' },
  { unitCode: 'PKM-TAMALANREA', address: 'Jl. Perintis Kemerdekaan Km. 10, Tamalanrea', kelurahan: '73.71.14.1001', lat: -5.1342, lng: 119.4931, phone: '0411590436' },
  { unitCode: 'RSUD-DAYA', address: 'Jl. Perintis Kemerdekaan Km. 14, Daya, Biringkanaya', kelurahan: '73.71.11.1002', lat: -5.1061, lng: 119.5124, phone: '0411590738' },
  { unitCode: 'RS-BATUA', address: 'Jl. Abdullah Daeng Sirua No. 300, Batua, Manggala', kelurahan: '73.71.12.1005', lat: -5.1522, lng: 119.4701, phone: '0411433211' },
];

interface ServiceSpec {
  code: string;
  name: string;
  kind: 'poli' | 'pharmacy';
  prefix: string;
  minutes: number;
  /** Quota of the morning session on Monday–Thursday; Friday and Saturday sessions are shorter. */
  quota: number;
}

/** A puskesmas's services (Permenkes 43/2019: umum, gigi, KIA/KB, MTBS, lansia, farmasi). */
const PUSKESMAS_SERVICES: ServiceSpec[] = [
  { code: 'umum', name: 'Poli Umum', kind: 'poli', prefix: 'A', minutes: 8, quota: 60 },
  { code: 'gigi', name: 'Poli Gigi', kind: 'poli', prefix: 'B', minutes: 20, quota: 15 },
  { code: 'kia', name: 'Poli KIA/KB', kind: 'poli', prefix: 'C', minutes: 15, quota: 25 },
  { code: 'anak', name: 'Poli Anak (MTBS)', kind: 'poli', prefix: 'D', minutes: 12, quota: 30 },
  { code: 'lansia', name: 'Poli Lansia', kind: 'poli', prefix: 'E', minutes: 12, quota: 25 },
  { code: 'farmasi', name: 'Farmasi', kind: 'pharmacy', prefix: 'F', minutes: 4, quota: 150 },
];

/** Opening hours of a puskesmas: Mon–Thu 08:00–12:00, Fri 08:00–10:30, Sat 08:00–11:00 (WITA). */
const WEEK: { weekday: number; opens: string; closes: string; share: number }[] = [
  { weekday: 1, opens: '08:00', closes: '12:00', share: 1 },
  { weekday: 2, opens: '08:00', closes: '12:00', share: 1 },
  { weekday: 3, opens: '08:00', closes: '12:00', share: 1 },
  { weekday: 4, opens: '08:00', closes: '12:00', share: 1 },
  { weekday: 5, opens: '08:00', closes: '10:30', share: 0.6 },
  { weekday: 6, opens: '08:00', closes: '11:00', share: 0.75 },
];

export const HEALTH_ACCOUNTS: DemoStaffAccount[] = [
  { name: 'dr. Hj. Rahmawati Abbas, M.Kes.', email: 'kapus.batua@makassarkota.go.id', role: 'health_admin', unit: 'Puskesmas Batua', unitCode: 'PKM-BATUA' },
  { name: 'Nurhayati Rahman', email: 'loket.batua@makassarkota.go.id', role: 'health_counter', unit: 'Puskesmas Batua', unitCode: 'PKM-BATUA' },
  { name: 'dr. Andi Nurfadillah', email: 'dokter.batua@makassarkota.go.id', role: 'health_clinician', unit: 'Puskesmas Batua', unitCode: 'PKM-BATUA' },
  { name: 'apt. Nurul Qalbi, S.Farm.', email: 'apoteker.batua@makassarkota.go.id', role: 'health_pharmacist', unit: 'Puskesmas Batua', unitCode: 'PKM-BATUA' },
  { name: 'Andi Irmawati, A.Md.Kep.', email: 'admisi.rsbatua@makassarkota.go.id', role: 'health_admission', unit: 'RSUD Batua Kota Makassar', unitCode: 'RS-BATUA' },
];


/** Demo data of the health module (Makassar): facility profiles, puskesmas services and hours, the drug catalogue and pharmacy stock, the head of Puskesmas Batua (services, hours and rosters), counter, clinician and pharmacist accounts. */
export async function seedHealthDemo(tx: Tx, input: ModuleSeedInput): Promise<{ name: string; email: string; role: string; unit: string }[]> {
  if (input.slug !== 'makassar') return [];
  const { tenantId, now } = input;
  const drugIds = await seedDrugCatalogue(tx, tenantId, now);
  for (const [facilityIndex, f] of MAKASSAR_FACILITIES.entries()) {
    const unitId = input.unitIds.get(f.unitCode);
    if (!unitId) continue;
    await tx.execute(
      sql`INSERT INTO health_facilities (tenant_id, unit_id, address, kelurahan_code, lat, lng, phone, online_registration, created_at, updated_at)
          SELECT ${tenantId}, ${unitId}, ${f.address}, (SELECT code FROM regions WHERE code = ${f.kelurahan}), ${f.lat}, ${f.lng}, ${f.phone}, true, ${now}, ${now}`,
    );
    if (!f.unitCode.startsWith('PKM-')) continue;
    const serviceIds = new Map<string, string>();
    for (const [i, s] of PUSKESMAS_SERVICES.entries()) {
      const serviceId = uuidv7();
      serviceIds.set(s.code, serviceId);
      await tx.execute(
        sql`INSERT INTO health_services (tenant_id, id, facility_id, code, name, kind, queue_prefix, onsite_share, default_service_minutes, active, sort_order, created_at, updated_at)
            VALUES (${tenantId}, ${serviceId}, ${unitId}, ${s.code}, ${s.name}, ${s.kind}, ${s.prefix}, 40, ${s.minutes}, true, ${(i + 1) * 10}, ${now}, ${now})`,
      );
      for (const d of WEEK) {
        await tx.execute(
          sql`INSERT INTO health_service_sessions (tenant_id, service_id, weekday, session, opens_at, closes_at, quota)
              VALUES (${tenantId}, ${serviceId}, ${d.weekday}, 1, ${d.opens}::time, ${d.closes}::time, ${Math.max(1, Math.round(s.quota * d.share))})`,
        );
      }
    }
    await seedRosters(tx, tenantId, unitId, f.unitCode, serviceIds, now);
    await seedPharmacyStock(tx, tenantId, unitId, facilityIndex, drugIds, now);
  }
  await seedHospitalBeds(tx, tenantId, input.unitIds, now);
  return addDemoStaff(tx, input, HEALTH_ACCOUNTS);
}

/**
 * The practitioners of each demo puskesmas and their weekly roster (every opening day, through
 * the opening hours): two doctors at the Poli Umum (the second until 10:00), a dentist, a midwife
 * at KIA/KB, a doctor for the children's and the elderly's polis, a pharmacist.
 */
const STAFFING: Record<string, { name: string; kind: 'doctor' | 'dentist' | 'midwife' | 'pharmacist'; services: string[]; until?: string }[]> = {
  'PKM-BATUA': [
    { name: 'dr. Andi Nurfadillah', kind: 'doctor', services: ['umum'] },
    { name: 'dr. Muhammad Ikhsan Syarif', kind: 'doctor', services: ['umum'], until: '10:00' },
    { name: 'drg. Sitti Rahmatia', kind: 'dentist', services: ['gigi'] },
    { name: 'Hasriani, S.Tr.Keb.', kind: 'midwife', services: ['kia'] },
    { name: 'dr. Fadli Syamsuddin', kind: 'doctor', services: ['anak', 'lansia'] },
    { name: 'apt. Nurul Qalbi, S.Farm.', kind: 'pharmacist', services: ['farmasi'] },
  ],
  'PKM-KASSI': [
    { name: 'dr. Rini Anggraeni', kind: 'doctor', services: ['umum'] },
    { name: 'dr. Ahmad Fauzi Rasyid', kind: 'doctor', services: ['umum'], until: '10:00' },
    { name: 'drg. Irma Suryani', kind: 'dentist', services: ['gigi'] },
    { name: 'Nurlina Daeng Caya, A.Md.Keb.', kind: 'midwife', services: ['kia'] },
    { name: 'dr. Ilham Mappiasse', kind: 'doctor', services: ['anak', 'lansia'] },
    { name: 'apt. Rahmawati, S.Farm.', kind: 'pharmacist', services: ['farmasi'] },
  ],
  'PKM-JUMPANDANG': [
    { name: 'dr. Syamsul Bahri', kind: 'doctor', services: ['umum', 'lansia'] },
    { name: 'drg. Andi Tenri Ajeng', kind: 'dentist', services: ['gigi'] },
    { name: 'Suharni, S.Tr.Keb.', kind: 'midwife', services: ['kia'] },
    { name: 'dr. Nur Aisyah Hamid', kind: 'doctor', services: ['anak'] },
    { name: 'apt. Fitriani Basri, S.Farm.', kind: 'pharmacist', services: ['farmasi'] },
  ],
  'PKM-MAMAJANG': [
    { name: 'dr. Hendra Kurniawan', kind: 'doctor', services: ['umum', 'lansia'] },
    { name: 'drg. Masyitah Amir', kind: 'dentist', services: ['gigi'] },
    { name: 'Kasmawati, A.Md.Keb.', kind: 'midwife', services: ['kia'] },
    { name: 'dr. Yuliana Pongsibidang', kind: 'doctor', services: ['anak'] },
    { name: 'apt. Darmawan Said, S.Farm.', kind: 'pharmacist', services: ['farmasi'] },
  ],
  'PKM-TAMALANREA': [
    { name: 'dr. Arief Rahman Hakim', kind: 'doctor', services: ['umum'] },
    { name: 'dr. Wahyuni Latief', kind: 'doctor', services: ['umum', 'anak'], until: '10:00' },
    { name: 'drg. Febriani Sulaiman', kind: 'dentist', services: ['gigi'] },
    { name: 'Rosmiati, S.Tr.Keb.', kind: 'midwife', services: ['kia'] },
    { name: 'dr. Baso Amiruddin', kind: 'doctor', services: ['lansia'] },
    { name: 'apt. Sri Wahyuni, S.Farm.', kind: 'pharmacist', services: ['farmasi'] },
  ],
};

async function seedRosters(tx: Tx, tenantId: string, facilityId: string, unitCode: string, serviceIds: Map<string, string>, now: Date): Promise<void> {
  for (const person of STAFFING[unitCode] ?? []) {
    const id = uuidv7();
    await tx.execute(
      sql`INSERT INTO health_practitioners (tenant_id, id, facility_id, name, kind, created_at, updated_at)
          VALUES (${tenantId}, ${id}, ${facilityId}, ${person.name}, ${person.kind}, ${now}, ${now})`,
    );
    for (const code of person.services) {
      const serviceId = serviceIds.get(code);
      if (!serviceId) continue;
      for (const d of WEEK) {
        const ends = person.until && person.until < d.closes ? person.until : d.closes;
        await tx.execute(
          sql`INSERT INTO health_rosters (tenant_id, id, practitioner_id, service_id, weekday, starts_at, ends_at, created_at)
              VALUES (${tenantId}, ${uuidv7()}, ${id}, ${serviceId}, ${d.weekday}, ${d.opens}::time, ${ends}::time, ${now})`,
        );
      }
    }
  }
}
