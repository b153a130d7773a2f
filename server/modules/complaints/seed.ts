import { v7 as uuidv7 } from 'uuid';
import type { AttributeDefinition, DeadlineHours } from '../../../common/complaints/contracts.js';
import type { ComplaintKind } from '../../../common/complaints/workflow.js';
import type { Tx } from '../../db/client.js';
import { addDemoStaff, type DemoStaffAccount } from '../../platform/org/demoAccounts.js';
import type { ModuleSeedInput } from '../registry.js';
import { seedDemoReports } from './demoReports.js';
import { complaintCategories, complaintResponseTemplates, complaintRoutingRules, complaintSettings } from './schema.js';

interface CategorySpec {
  name: string;
  icon: string;
  kind: ComplaintKind;
  unitCode: string;
  deadlineHours: DeadlineHours;
  attributes?: AttributeDefinition[];
}

const STANDARD_DEADLINES: DeadlineHours = { verification: 8, disposition: 8, resolution: 40 };

const ROAD_DAMAGE: AttributeDefinition = {
  code: 'jenis_kerusakan',
  description: 'Jenis kerusakan',
  datatype: 'singlevaluelist',
  required: true,
  order: 1,
  values: [
    { key: 'lubang', name: 'Berlubang' },
    { key: 'retak', name: 'Retak / bergelombang' },
    { key: 'amblas', name: 'Amblas / longsor' },
    { key: 'jembatan', name: 'Kerusakan jembatan' },
  ],
};

const MAKASSAR_CATEGORIES: CategorySpec[] = [
  { name: 'Jalan rusak/berlubang', icon: 'IconRoad', kind: 'pengaduan', unitCode: 'DPU-BM', deadlineHours: { ...STANDARD_DEADLINES, resolution: 80 }, attributes: [ROAD_DAMAGE] },
  { name: 'Lampu lalu lintas mati', icon: 'IconTrafficLights', kind: 'pengaduan', unitCode: 'DISHUB-LL', deadlineHours: { verification: 2, disposition: 2, resolution: 16 } },
  { name: 'Sampah menumpuk', icon: 'IconTrash', kind: 'pengaduan', unitCode: 'DLH-KBR', deadlineHours: { ...STANDARD_DEADLINES, resolution: 24 } },
  { name: 'Drainase tersumbat/banjir', icon: 'IconDroplet', kind: 'pengaduan', unitCode: 'DPU-SDA', deadlineHours: STANDARD_DEADLINES },
  { name: 'Lampu jalan (PJU) padam', icon: 'IconBulbOff', kind: 'pengaduan', unitCode: 'DISHUB', deadlineHours: STANDARD_DEADLINES },
  { name: 'Pohon tumbang', icon: 'IconTree', kind: 'pengaduan', unitCode: 'DLH', deadlineHours: { verification: 2, disposition: 2, resolution: 8 } },
  { name: 'Parkir liar', icon: 'IconParking', kind: 'pengaduan', unitCode: 'DISHUB', deadlineHours: STANDARD_DEADLINES },
  { name: 'Pelayanan publik', icon: 'IconBuildingCommunity', kind: 'pengaduan', unitCode: 'KOMINFO-WR', deadlineHours: STANDARD_DEADLINES },
  { name: 'Aspirasi pembangunan', icon: 'IconBulb', kind: 'aspirasi', unitCode: 'KOMINFO-WR', deadlineHours: { verification: 16, disposition: 16, resolution: 120 } },
  { name: 'Permintaan informasi', icon: 'IconInfoCircle', kind: 'informasi', unitCode: 'KOMINFO', deadlineHours: { verification: 8, disposition: 8, resolution: 80 } },
];

const TANJUNGPINANG_CATEGORIES: CategorySpec[] = [
  { name: 'Jalan rusak/berlubang', icon: 'IconRoad', kind: 'pengaduan', unitCode: 'DPUPR', deadlineHours: STANDARD_DEADLINES, attributes: [ROAD_DAMAGE] },
  { name: 'Sampah menumpuk', icon: 'IconTrash', kind: 'pengaduan', unitCode: 'DLH', deadlineHours: STANDARD_DEADLINES },
];

/**
 * Bounding boxes in which report coordinates are accepted. Makassar's box reaches west to the
 * Kepulauan Sangkarrang islands (Lanjukang, Langkai ≈ 119.05 E) and north to Lumu-Lumu; it is a
 * box, so a little sea and Maros/Gowa land falls inside: region codes stay the precise check.
 */
const BOUNDS: Record<string, { south: number; west: number; north: number; east: number }> = {
  makassar: { south: -5.25, west: 119.0, north: -4.9, east: 119.55 },
  tanjungpinang: { south: 0.82, west: 104.38, north: 1.0, east: 104.6 },
};

export type ComplaintsSeedInput = ModuleSeedInput;

/** Demo accounts of the module (Makassar), password as every demo account. */
export const COMPLAINTS_ACCOUNTS: DemoStaffAccount[] = [
  { name: 'Rahmawati Saleh', email: 'pengaduan@makassarkota.go.id', role: 'complaints_officer', unit: 'Pemerintah Kota Makassar', unitCode: 'PEMDA' },
  { name: 'Syamsul Alam', email: 'staf.lalulintas@makassarkota.go.id', role: 'complaints_handler', unit: 'Bidang Lalu Lintas', unitCode: 'DISHUB-LL' },
  // The head of Dishub receives escalations of reports its divisions let pass their deadline.
  { name: 'Andi Muhammad Yasir', email: 'kadis.perhubungan@makassarkota.go.id', role: 'unit_head', unit: 'Dinas Perhubungan', unitCode: 'DISHUB' },
];

/** Demo data of the complaints module: bounds, categories, a routing rule, and two staff accounts. */
export async function seedComplaintsDemo(tx: Tx, input: ComplaintsSeedInput): Promise<{ name: string; email: string; role: string; unit: string }[]> {
  const { tenantId, now } = input;
  const bounds = BOUNDS[input.slug];
  if (bounds) {
    await tx.insert(complaintSettings).values({ tenantId, boundsSouth: bounds.south, boundsWest: bounds.west, boundsNorth: bounds.north, boundsEast: bounds.east, updatedAt: now });
  }
  const specs = input.slug === 'makassar' ? MAKASSAR_CATEGORIES : input.slug === 'tanjungpinang' ? TANJUNGPINANG_CATEGORIES : [];
  const categoryIds = new Map<string, string>();
  for (const [i, spec] of specs.entries()) {
    const id = uuidv7();
    categoryIds.set(spec.name, id);
    await tx.insert(complaintCategories).values({
      tenantId,
      id,
      name: spec.name,
      icon: spec.icon,
      kind: spec.kind,
      defaultUnitId: input.unitIds.get(spec.unitCode)!,
      public: true,
      active: true,
      sortOrder: (i + 1) * 10,
      deadlineHours: spec.deadlineHours,
      attributes: spec.attributes ?? [],
      createdAt: now,
      updatedAt: now,
    });
  }
  await seedResponseTemplates(tx, input, categoryIds);
  if (input.slug !== 'makassar') return [];
  // Rubbish on the islands is collected by the kecamatan, not by DLH's trucks.
  const islands = input.unitIds.get('73.71.15');
  if (islands) {
    await tx.insert(complaintRoutingRules).values({ tenantId, id: uuidv7(), categoryId: categoryIds.get('Sampah menumpuk')!, regionCode: '73.71.15', unitId: islands, createdAt: now });
  }
  // Demo accounts of the module: the city's call-centre officer (tenant-wide triage) and a handler
  // at Dishub's traffic division.
  const accounts = await addDemoStaff(tx, input, COMPLAINTS_ACCOUNTS);
  await seedDemoReports(tx, { tenantId, unitIds: input.unitIds, categoryIds, categories: specs, now });
  return accounts;
}

/** Response templates of the Makassar workspace ("Pakai templat"), some tied to a category. */
const MAKASSAR_TEMPLATES: { title: string; body: string; category?: string }[] = [
  {
    title: 'Lampu lalu lintas sudah diperbaiki',
    category: 'Lampu lalu lintas mati',
    body: 'Terima kasih atas laporan Anda. Petugas Dinas Perhubungan Kota Makassar telah memeriksa dan memperbaiki lampu lalu lintas di lokasi tersebut; lampu kembali menyala normal. Foto hasil perbaikan kami lampirkan.',
  },
  {
    title: 'Jalan berlubang sudah ditambal',
    category: 'Jalan rusak/berlubang',
    body: 'Terima kasih atas laporan Anda. Tim Bidang Bina Marga Dinas PU Kota Makassar telah melakukan penambalan lubang jalan di lokasi yang dilaporkan. Perbaikan menyeluruh dijadwalkan dalam program pemeliharaan jalan tahun berikutnya.',
  },
  {
    title: 'Sampah sudah diangkut',
    category: 'Sampah menumpuk',
    body: 'Terima kasih atas laporan Anda. Armada kebersihan DLH Kota Makassar telah mengangkut tumpukan sampah di lokasi tersebut. Mohon bantu kami menjaga kebersihan dengan membuang sampah di TPS pada jam yang ditentukan.',
  },
  {
    title: 'Minta titik lokasi yang lebih tepat',
    body: 'Mohon maaf, petugas kami belum menemukan lokasi yang dimaksud. Mohon kirimkan patokan terdekat (nama jalan, nomor rumah, toko atau masjid terdekat) atau foto yang memperlihatkan lokasi dengan lebih jelas.',
  },
  {
    title: 'Laporan sedang dijadwalkan',
    body: 'Laporan Anda telah kami terima dan sedang dijadwalkan untuk ditindaklanjuti oleh petugas di lapangan. Perkembangan penanganan akan kami sampaikan melalui halaman pelacakan laporan ini.',
  },
  {
    title: 'Di luar kewenangan Pemerintah Kota',
    body: 'Terima kasih atas laporan Anda. Lokasi yang dilaporkan merupakan kewenangan pemerintah provinsi/pusat (jalan nasional atau provinsi). Laporan Anda telah kami teruskan kepada instansi yang berwenang.',
  },
];

/** Seeds the response templates of the Makassar demo tenant. */
export async function seedResponseTemplates(tx: Tx, input: ComplaintsSeedInput, categoryIds: Map<string, string>): Promise<void> {
  if (input.slug !== 'makassar') return;
  for (const tpl of MAKASSAR_TEMPLATES) {
    await tx.insert(complaintResponseTemplates).values({
      tenantId: input.tenantId,
      id: uuidv7(),
      title: tpl.title,
      body: tpl.body,
      categoryId: tpl.category ? (categoryIds.get(tpl.category) ?? null) : null,
      active: true,
      createdAt: input.now,
      updatedAt: input.now,
    });
  }
}
