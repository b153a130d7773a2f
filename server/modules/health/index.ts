import { registerPeriodic } from '../../platform/jobs/periodic.js';
import type { ModuleDefinition } from '../registry.js';
import { antreanRoutes } from './antrean.js';
import { healthGenerators } from './generate.js';
import { sweepPastVisits, VISIT_SWEEP_INTERVAL_MS } from './jobs.js';
import { inpatientRoutes } from './inpatient/routes.js';
import { pharmacyRoutes } from './pharmacy/routes.js';
import { healthRoutes } from './routes.js';
import { serviceSettingsRoutes } from './services.js';

registerPeriodic({ name: 'health.day_end', intervalMs: VISIT_SWEEP_INTERVAL_MS, run: sweepPastVisits });

/**
 * Layanan kesehatan: puskesmas and hospital services, patients, online registration with
 * gap-free queue numbers, the caller console and the waiting-room TV display.
 */
export const healthModule: ModuleDefinition = {
  name: 'health',
  services: [
    {
      key: 'health',
      icon: 'IconStethoscope',
      title: { id: 'Pendaftaran puskesmas online', en: 'Online puskesmas registration' },
      summary: {
        id: 'Ambil nomor antrean puskesmas dari rumah untuk Anda dan keluarga, lalu pantau perkiraan waktu dilayani.',
        en: 'Get a puskesmas queue number from home for you and your family, then follow the estimated time you will be seen.',
      },
      path: '/sehat',
    },
    {
      key: 'health.beds',
      icon: 'IconBed',
      title: { id: 'Ketersediaan tempat tidur rumah sakit', en: 'Hospital bed availability' },
      summary: {
        id: 'Lihat tempat tidur kosong per kelas (termasuk ICU dan isolasi) di rumah sakit terdekat, diperbarui langsung dari ruang rawat.',
        en: 'See free beds per class (ICU and isolation included) at the nearest hospitals, updated straight from the wards.',
      },
      path: '/sehat/tempat-tidur',
    },
  ],
  nav: [
    { key: 'health.console', title: { id: 'Antrean layanan kesehatan', en: 'Health service queue' }, path: '/staf/antrean', permission: 'health.queue.operate' },
    { key: 'health.pharmacy', title: { id: 'Farmasi: resep dan stok obat', en: 'Pharmacy: prescriptions and stock' }, path: '/staf/farmasi', permission: 'health.pharmacy.dispense' },
    { key: 'health.services', title: { id: 'Layanan, jam buka dan kuota', en: 'Services, opening hours and quotas' }, path: '/staf/layanan-kesehatan', permission: 'health.facilities.manage' },
    { key: 'health.roster', title: { id: 'Jadwal dokter', en: 'Doctor rosters' }, path: '/staf/jadwal-dokter', permission: 'health.facilities.manage' },
    { key: 'health.inpatient', title: { id: 'Rawat inap: tempat tidur', en: 'Inpatient beds' }, path: '/staf/rawat-inap', permission: 'health.inpatient.manage' },
  ],
  generators: healthGenerators,
  routes: (app) => {
    healthRoutes(app);
    pharmacyRoutes(app);
    inpatientRoutes(app);
    antreanRoutes(app);
    serviceSettingsRoutes(app);
  },
};
