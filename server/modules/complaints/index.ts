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
