import type { ModuleDefinition } from '../registry.js';
import { registerPeriodic } from '../../platform/jobs/periodic.js';
import { registerPhotoPolicy } from './files.js';
import { complaintGenerators } from './generate.js';
import { SWEEP_INTERVAL_MS, sweepDeadlines } from './jobs.js';
import { complaintRoutes } from './routes.js';
import { complaintSettingsRoutes } from './settings/routes.js';
import { complaintMapRoutes } from './map/routes.js';
import { complaintDuplicateRoutes } from './duplicates/routes.js';
import { intakeRoutes } from './intake/routes.js';
import { open311Routes } from './open311/routes.js';
import { complaintInboxRoutes } from './inbox/routes.js';
import { complaintWorkspaceRoutes } from './workspace/routes.js';

registerPhotoPolicy();
registerPeriodic({ name: 'complaints.deadlines', intervalMs: SWEEP_INTERVAL_MS, run: sweepDeadlines });

/** Pengaduan warga: citizen reports routed to the responsible units. */
export const complaintsModule: ModuleDefinition = {
  name: 'complaints',
  services: [
    {
      key: 'complaints',
      icon: 'IconMessageReport',
      title: { id: 'Pengaduan warga', en: 'Citizen reports' },
      summary: {
        id: 'Laporkan jalan rusak, lampu mati, sampah dan masalah kota lainnya, lalu lacak penanganannya.',
        en: 'Report broken roads, dead lights, rubbish and other city problems, then track how they are handled.',
      },
      path: '/lapor',
    },
    {
      key: 'complaints.map',
      icon: 'IconMap2',
      title: { id: 'Peta laporan warga', en: 'Map of citizen reports' },
      summary: {
        id: 'Lihat laporan yang sudah diverifikasi di sekitar Anda dan perkembangan penanganannya.',
        en: 'See verified reports around you and how they are being handled.',
      },
      path: '/lapor/peta',
    },
    {
      key: 'complaints.transparency',
      icon: 'IconChartBar',
      title: { id: 'Kinerja penanganan pengaduan', en: 'Complaint handling performance' },
      summary: {
        id: 'Berapa laporan yang diterima tiap dinas, yang dijawab tepat waktu, dan penilaian warga.',
        en: 'How many reports each agency received, answered on time, and how residents rated them.',
      },
      path: '/lapor/transparansi',
    },
  ],
  // One inbox page for the triage desk and the responsible units; the workspace shows it once.
  nav: [
    { key: 'complaints.inbox', title: { id: 'Pengaduan warga', en: 'Citizen reports' }, path: '/staf/pengaduan', permission: 'complaints.triage' },
    { key: 'complaints.callCentre', title: { id: 'Call center pengaduan', en: 'Complaints call centre' }, path: '/staf/call-centre', permission: 'complaints.triage' },
    { key: 'complaints.intake', title: { id: 'Pesan masuk kanal', en: 'Channel messages' }, path: '/staf/pengaduan/masuk', permission: 'complaints.triage' },
    { key: 'complaints.unitInbox', title: { id: 'Pengaduan warga', en: 'Citizen reports' }, path: '/staf/pengaduan', permission: 'complaints.handle' },
    { key: 'complaints.categories', title: { id: 'Kategori pengaduan', en: 'Report categories' }, path: '/admin/pengaduan', permission: 'complaints.categories.manage' },
  ],
  generators: complaintGenerators,
  routes: (app) => {
    complaintRoutes(app);
    complaintMapRoutes(app);
    complaintDuplicateRoutes(app);
    intakeRoutes(app);
    open311Routes(app);
    complaintWorkspaceRoutes(app);
    complaintInboxRoutes(app);
    complaintSettingsRoutes(app);
  },
};
