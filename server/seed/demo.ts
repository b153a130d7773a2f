import { v7 as uuidv7 } from 'uuid';
import type { Database } from '../db/client.js';
import { hashPassword } from '../platform/auth/passwords.js';
import { type Clock, inTransaction, systemClock } from '../platform/context.js';
import { users } from '../platform/org/schema.js';
import { units } from '../platform/org/schema.js';
import { systemActor } from '../platform/policies/actor.js';
import { grants } from '../platform/policies/schema.js';
import { provisionTenant } from '../platform/tenancy/provision.js';
import { seedComplaintsDemo } from '../modules/complaints/seed.js';
import { seedHealthDemo } from '../modules/health/seed.js';
import type { Tenant } from '../platform/tenancy/tenants.js';
import type { UnitKind } from '../../common/org.js';

/** The password of every demo account (printed at start; demo installations only). */
export const DEMO_PASSWORD = 'balai2026';

export interface DemoAccount {
  tenant: string;
  name: string;
  email: string;
  phone?: string;
  role: string;
  unit: string;
  kind: 'staff' | 'citizen';
}

interface UnitSpec {
  code: string;
  name: string;
  kind: UnitKind;
  children?: UnitSpec[];
}

const MAKASSAR_AGENCIES: UnitSpec[] = [
  {
    code: 'DPU',
    name: 'Dinas Pekerjaan Umum',
    kind: 'agency',
    children: [
      { code: 'DPU-BM', name: 'Bidang Bina Marga', kind: 'bidang', children: [{ code: 'DPU-BM-JLN', name: 'Seksi Pemeliharaan Jalan dan Jembatan', kind: 'seksi' }] },
      { code: 'DPU-SDA', name: 'Bidang Sumber Daya Air dan Drainase', kind: 'bidang' },
    ],
  },
  {
    code: 'DISHUB',
    name: 'Dinas Perhubungan',
    kind: 'agency',
    children: [{ code: 'DISHUB-LL', name: 'Bidang Lalu Lintas', kind: 'bidang', children: [{ code: 'DISHUB-LL-APILL', name: 'Seksi Alat Pemberi Isyarat Lalu Lintas', kind: 'seksi' }] }],
  },
  {
    code: 'DLH',
    name: 'Dinas Lingkungan Hidup',
    kind: 'agency',
    children: [{ code: 'DLH-KBR', name: 'Bidang Kebersihan dan Pengelolaan Sampah', kind: 'bidang' }],
  },
  {
    code: 'DINKES',
    name: 'Dinas Kesehatan',
    kind: 'agency',
    children: [
      { code: 'PKM-KASSI', name: 'Puskesmas Kassi-Kassi', kind: 'puskesmas' },
      { code: 'PKM-JUMPANDANG', name: 'Puskesmas Jumpandang Baru', kind: 'puskesmas' },
      { code: 'PKM-BATUA', name: 'Puskesmas Batua', kind: 'puskesmas' },
      { code: 'PKM-MAMAJANG', name: 'Puskesmas Mamajang', kind: 'puskesmas' },
      { code: 'PKM-TAMALANREA', name: 'Puskesmas Tamalanrea', kind: 'puskesmas' },
      { code: 'RSUD-DAYA', name: 'RSUD Daya Kota Makassar', kind: 'hospital' },
      { code: 'RS-BATUA', name: 'RSUD Batua Kota Makassar', kind: 'hospital' },
    ],
  },
  { code: 'DUKCAPIL', name: 'Dinas Kependudukan dan Pencatatan Sipil', kind: 'agency' },
  { code: 'KOMINFO', name: 'Dinas Komunikasi dan Informatika', kind: 'agency', children: [{ code: 'KOMINFO-WR', name: 'Bidang Layanan War Room dan Call Center 112', kind: 'bidang' }] },
  { code: 'SATPOLPP', name: 'Satuan Polisi Pamong Praja', kind: 'agency' },
  { code: 'DAMKAR', name: 'Dinas Pemadam Kebakaran dan Penyelamatan', kind: 'agency' },
  { code: 'BPBD', name: 'Badan Penanggulangan Bencana Daerah', kind: 'agency' },
  { code: 'DINSOS', name: 'Dinas Sosial', kind: 'agency' },
  { code: 'BAPENDA', name: 'Badan Pendapatan Daerah', kind: 'agency' },
];

const TANJUNGPINANG_AGENCIES: UnitSpec[] = [
  { code: 'DPUPR', name: 'Dinas Pekerjaan Umum dan Penataan Ruang', kind: 'agency' },
  { code: 'DISHUB', name: 'Dinas Perhubungan', kind: 'agency' },
  { code: 'DLH', name: 'Dinas Lingkungan Hidup', kind: 'agency' },
  { code: 'DINKES', name: 'Dinas Kesehatan', kind: 'agency', children: [{ code: 'PKM-TPI-KOTA', name: 'Puskesmas Tanjungpinang Kota', kind: 'puskesmas' }] },
  { code: 'KOMINFO', name: 'Dinas Komunikasi dan Informatika', kind: 'agency' },
];

const MAKASSAR_ACCOUNTS: (Omit<DemoAccount, 'tenant'> & { unitCode: string })[] = [
  { name: 'Andi Rahmat Hidayat', email: 'admin@makassarkota.go.id', role: 'admin', unit: 'Pemerintah Kota Makassar', unitCode: 'PEMDA', kind: 'staff' },
  { name: 'Nurhayati Syamsuddin', email: 'auditor@makassarkota.go.id', role: 'auditor', unit: 'Pemerintah Kota Makassar', unitCode: 'PEMDA', kind: 'staff' },
  { name: 'Muhammad Ikhsan Daeng Nai', email: 'admin.pu@makassarkota.go.id', role: 'unit_admin', unit: 'Dinas Pekerjaan Umum', unitCode: 'DPU', kind: 'staff' },
  { name: 'Sitti Aminah Baso', email: 'staf.binamarga@makassarkota.go.id', role: 'staff', unit: 'Bidang Bina Marga', unitCode: 'DPU-BM', kind: 'staff' },
];

const CITIZENS = [
  { name: 'Rusli Daeng Tompo', email: 'warga@example.com', phone: '6281234567890' },
  { name: 'Hasnah Karaeng Bau', email: 'hasnah@example.com', phone: '6285299887766' },
];

async function insertUnitTree(tx: any, tenantId: string, parentPath: string[], specs: UnitSpec[], now: Date, byCode: Map<string, string>): Promise<void> {
  for (const spec of specs) {
    const id = uuidv7();
    const path = [...parentPath, id];
    await tx.insert(units).values({ tenantId, id, parentId: parentPath.at(-1), kind: spec.kind, name: spec.name, code: spec.code, path, createdAt: now, updatedAt: now });
    byCode.set(spec.code, id);
    if (spec.children) await insertUnitTree(tx, tenantId, path, spec.children, now, byCode);
  }
}

interface AreaRegion {
  code: string;
  name: string;
  parent_code: string;
  level: number;
}

/** Kecamatan and kelurahan of the tenant's region become units, named as Kemendagri names them. */
async function insertAreaUnits(tx: any, tenant: Tenant, rootId: string, areas: AreaRegion[], now: Date, byCode: Map<string, string>): Promise<void> {
  for (const d of areas.filter((a) => a.level === 3)) {
    const id = uuidv7();
    byCode.set(d.code, id);
    await tx.insert(units).values({ tenantId: tenant.id, id, parentId: rootId, kind: 'kecamatan', name: `Kecamatan ${d.name}`, code: d.code, regionCode: d.code, path: [rootId, id], createdAt: now, updatedAt: now });
    const villages = areas.filter((a) => a.parent_code === d.code);
    if (villages.length) {
      await tx.insert(units).values(
        villages.map((v) => {
          const vid = uuidv7();
          byCode.set(v.code, vid);
          return { tenantId: tenant.id, id: vid, parentId: id, kind: 'kelurahan' as const, name: `Kelurahan ${v.name}`, code: v.code, regionCode: v.code, path: [rootId, id, vid], createdAt: now, updatedAt: now };
        }),
      );
    }
  }
}

async function addAccount(
  tx: any,
  tenant: Tenant,
  account: { name: string; email: string; phone?: string; kind: 'staff' | 'citizen'; role?: string; unitId?: string },
  passwordHash: string,
  roleIds: Map<string, string>,
  now: Date,
): Promise<void> {
  const id = uuidv7();
  await tx.insert(users).values({ tenantId: tenant.id, id, kind: account.kind, name: account.name, email: account.email, phone: account.phone ?? null, passwordHash, createdAt: now, updatedAt: now });
  if (account.role && account.unitId) {
    await tx.insert(grants).values({ tenantId: tenant.id, id: uuidv7(), userId: id, roleId: roleIds.get(account.role)!, unitId: account.unitId, createdAt: now });
  }
}

/**
 * The demo city: Kota Makassar (WITA) with its agencies, 15 kecamatan and 153 kelurahan, and
 * Kota Tanjungpinang (WIB), each with demo accounts. Runs once, on an empty database.
 */
export async function seedDemo(db: Database, clock: Clock = systemClock): Promise<DemoAccount[]> {
  const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM tenants');
  if (n > 0) return [];
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const accounts: DemoAccount[] = [];
  const now = clock.now();

  const cities = [
    {
      input: {
        slug: 'makassar',
        name: 'Kota Makassar',
        kind: 'kota' as const,
        regionCode: '73.71',
        timeZone: 'Asia/Makassar' as const,
        contact: { address: 'Jl. Ahmad Yani No. 2, Makassar 90111', phone: '112', email: 'pengaduan@makassarkota.go.id', website: 'https://makassarkota.go.id' },
      },
      agencies: MAKASSAR_AGENCIES,
      staff: MAKASSAR_ACCOUNTS,
      citizens: CITIZENS,
    },
    {
      input: {
        slug: 'tanjungpinang',
        name: 'Kota Tanjungpinang',
        kind: 'kota' as const,
        regionCode: '21.72',
        timeZone: 'Asia/Jakarta' as const,
        contact: { address: 'Jl. Daeng Celak, Senggarang, Tanjungpinang', phone: '112', website: 'https://tanjungpinangkota.go.id' },
      },
      agencies: TANJUNGPINANG_AGENCIES,
      staff: [{ name: 'Raja Muhammad Hafiz', email: 'admin@tanjungpinangkota.go.id', role: 'admin', unit: 'Pemerintah Kota Tanjungpinang', unitCode: 'PEMDA', kind: 'staff' as const }],
      citizens: [{ name: 'Siti Khadijah', email: 'warga.tpi@example.com', phone: '6281277001122' }],
    },
  ];

  for (const city of cities) {
    const { tenant, rootUnitId } = await provisionTenant(db, city.input, clock);
    const byCode = new Map<string, string>([['PEMDA', rootUnitId]]);
    const roleRows = await db.query<{ id: string; key: string }>('SELECT id, key FROM roles WHERE tenant_id = $1', [tenant.id]);
    const roleIds = new Map(roleRows.map((r) => [r.key, r.id]));
    // Read before the transaction: the embedded database has one connection (STACK-NOTES).
    const areas = await db.query<AreaRegion>(
      `SELECT code, name, parent_code, level FROM regions WHERE code LIKE $1 AND level IN (3, 4) ORDER BY code`,
      [`${city.input.regionCode}.%`],
    );
    await inTransaction({ db, tenant, actor: systemActor, clock, locale: 'id' }, async (tx) => {
      await insertUnitTree(tx.tx, tenant.id, [rootUnitId], city.agencies, now, byCode);
      await insertAreaUnits(tx.tx, tenant, rootUnitId, areas, now, byCode);
      for (const s of city.staff) {
        await addAccount(tx.tx, tenant, { ...s, unitId: byCode.get(s.unitCode) }, passwordHash, roleIds, now);
        accounts.push({ tenant: tenant.slug, name: s.name, email: s.email, role: s.role, unit: s.unit, kind: 'staff' });
      }
      for (const c of city.citizens) {
        await addAccount(tx.tx, tenant, { ...c, kind: 'citizen' }, passwordHash, roleIds, now);
        accounts.push({ tenant: tenant.slug, name: c.name, email: c.email, phone: c.phone, role: 'warga', unit: '-', kind: 'citizen' });
      }
      for (const a of await seedComplaintsDemo(tx.tx, { tenantId: tenant.id, slug: tenant.slug, unitIds: byCode, roleIds, passwordHash, now })) {
        accounts.push({ tenant: tenant.slug, ...a, kind: 'staff' });
      }
      for (const a of await seedHealthDemo(tx.tx, { tenantId: tenant.id, slug: tenant.slug, unitIds: byCode, roleIds, passwordHash, now })) {
        accounts.push({ tenant: tenant.slug, ...a, kind: 'staff' });
      }
      await tx.audit({ action: 'demo.seeded', entityType: 'tenant', entityId: tenant.id, data: { units: byCode.size, accounts: city.staff.length + city.citizens.length } });
    });
  }
  return accounts;
}

