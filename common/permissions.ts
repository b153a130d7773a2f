/**
 * The permission catalogue. Roles are named sets of these; grants give a role on a unit and
 * everything below it. Modules add their permissions here so that the catalogue stays one list.
 */
export const PERMISSIONS = {
  'tenant.manage': { id: 'Mengelola pengaturan pemerintah daerah', en: 'Manage the government settings' },
  'units.manage': { id: 'Mengelola unit organisasi', en: 'Manage organisation units' },
  'users.manage': { id: 'Mengelola akun staf dan hak akses', en: 'Manage staff accounts and access' },
  'calendar.manage': { id: 'Mengelola kalender hari kerja', en: 'Manage the working-day calendar' },
  'apikeys.manage': { id: 'Mengelola kunci API integrasi', en: 'Manage integration API keys' },
  'audit.read': { id: 'Melihat jejak audit', en: 'Read the audit trail' },
  'outbox.read': { id: 'Melihat kotak keluar e-mail', en: 'Read the e-mail outbox' },
  'personal_data.read': { id: 'Melihat data pribadi tanpa disamarkan (NIK, HP, alamat)', en: 'See personal data unmasked (NIK, phone, address)' },
  'files.upload': { id: 'Mengunggah berkas', en: 'Upload files' },
  // Complaints (server/modules/complaints)
  'complaints.triage': { id: 'Memverifikasi, menolak dan mendisposisikan pengaduan warga', en: 'Verify, reject and dispose citizen reports' },
  'complaints.handle': { id: 'Menangani pengaduan yang didisposisikan ke unitnya', en: 'Handle citizen reports disposed to the unit' },
  'complaints.categories.manage': { id: 'Mengelola kategori dan aturan rute pengaduan', en: 'Manage complaint categories and routing rules' },
  'complaints.escalations': { id: 'Menerima eskalasi pengaduan yang melewati tenggat di unitnya', en: 'Receive escalations of overdue citizen reports of the unit' },
  'complaints.intake': { id: 'Mengirim pesan warga dari kanal media sosial/WhatsApp ke antrean pengaduan (kunci API)', en: 'Deliver residents’ messages from social-media/WhatsApp channels to the complaints queue (API keys)' },
  // Health (server/modules/health)
  'health.facilities.manage': { id: 'Mengelola fasilitas kesehatan, poli, jam layanan dan kuota', en: 'Manage health facilities, clinics, opening hours and quotas' },
  'health.patients.register': { id: 'Mendaftarkan pasien dan kunjungan di loket', en: 'Register patients and visits at the counter' },
  'health.queue.operate': { id: 'Melayani antrean poli: memanggil, melewati dan menyelesaikan layanan', en: 'Operate clinic queues: call, skip and finish service' },
  'health.prescribe': { id: 'Menulis resep elektronik pada kunjungan pasien', en: 'Write electronic prescriptions at a patient’s visit' },
  'health.pharmacy.dispense': { id: 'Menyerahkan obat sesuai resep (stok berkurang per bets)', en: 'Dispense prescriptions (stock decreases by batch)' },
  'health.pharmacy.stock': { id: 'Menerima dan menyesuaikan stok obat, mengatur batas stok minimum', en: 'Receive and adjust drug stock, set minimum stock levels' },
  'health.inpatient.manage': { id: 'Menerima pasien rawat inap, memilih, memindahkan dan membebaskan tempat tidur', en: 'Admit inpatients, assign, move and free beds' },
} as const;

export type Permission = keyof typeof PERMISSIONS;
export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(p: string): p is Permission {
  return p in PERMISSIONS;
}

/** Roles every tenant starts with. Admins may add their own roles from the same catalogue. */
export const SYSTEM_ROLES: { key: string; name: string; description: string; permissions: Permission[] }[] = [
  {
    key: 'admin',
    name: 'Administrator',
    description: 'Mengelola seluruh pengaturan, unit, akun dan hak akses pada unitnya.',
    permissions: ['tenant.manage', 'units.manage', 'users.manage', 'calendar.manage', 'apikeys.manage', 'audit.read', 'outbox.read', 'personal_data.read', 'files.upload', 'complaints.triage', 'complaints.handle', 'complaints.categories.manage', 'complaints.escalations', 'complaints.intake', 'health.facilities.manage', 'health.patients.register', 'health.queue.operate', 'health.prescribe', 'health.pharmacy.dispense', 'health.pharmacy.stock', 'health.inpatient.manage'],
  },
  {
    key: 'unit_admin',
    name: 'Admin unit',
    description: 'Mengelola sub-unit dan akun staf di bawah unitnya.',
    permissions: ['units.manage', 'users.manage', 'files.upload'],
  },
  {
    key: 'auditor',
    name: 'Auditor',
    description: 'Membaca jejak audit dan kotak keluar e-mail; tidak dapat mengubah data.',
    permissions: ['audit.read', 'outbox.read'],
  },
  {
    key: 'staff',
    name: 'Staf',
    description: 'Staf pelayanan: dapat mengunggah berkas; izin layanan diberikan lewat peran modul.',
    permissions: ['files.upload'],
  },
  {
    key: 'complaints_officer',
    name: 'Petugas verifikasi pengaduan',
    description: 'Call center / Diskominfo: memverifikasi, menolak dan mendisposisikan pengaduan warga.',
    permissions: ['complaints.triage', 'files.upload'],
  },
  {
    key: 'complaints_handler',
    name: 'Penangan pengaduan',
    description: 'Staf unit yang menindaklanjuti pengaduan yang didisposisikan ke unitnya.',
    permissions: ['complaints.handle', 'files.upload'],
  },
  {
    key: 'unit_head',
    name: 'Kepala unit',
    description: 'Kepala dinas/bidang: menangani pengaduan unitnya dan menerima eskalasi pengaduan yang melewati tenggat.',
    permissions: ['complaints.handle', 'complaints.escalations', 'files.upload'],
  },
  {
    key: 'health_admin',
    name: 'Admin layanan kesehatan',
    description: 'Dinas Kesehatan: mengelola fasilitas, poli, jam layanan dan kuota.',
    permissions: ['health.facilities.manage', 'health.patients.register', 'health.queue.operate', 'health.pharmacy.stock', 'health.inpatient.manage'],
  },
  {
    key: 'health_counter',
    name: 'Petugas loket kesehatan',
    description: 'Loket puskesmas/rumah sakit: mendaftarkan pasien datang langsung dan melayani antrean.',
    permissions: ['health.patients.register', 'health.queue.operate'],
  },
  {
    key: 'health_clinician',
    name: 'Dokter/perawat poli',
    description: 'Tenaga kesehatan di poli: melayani antrean poli dan menulis resep elektronik.',
    permissions: ['health.queue.operate', 'health.prescribe'],
  },
  {
    key: 'health_pharmacist',
    name: 'Apoteker/petugas farmasi',
    description: 'Farmasi puskesmas/rumah sakit: melayani antrean farmasi, menyerahkan obat, menerima dan menyesuaikan stok.',
    permissions: ['health.queue.operate', 'health.pharmacy.dispense', 'health.pharmacy.stock'],
  },
  {
    key: 'health_admission',
    name: 'Petugas admisi rawat inap',
    description: 'Rumah sakit: menerima pasien rawat inap, memilih tempat tidur, memindahkan dan memulangkan pasien.',
    permissions: ['health.patients.register', 'health.inpatient.manage'],
  },
];
