import type { ModuleDefinition } from '../registry.js';
import { registerPhotoPolicy } from './files.js';
import { complaintRoutes } from './routes.js';

registerPhotoPolicy();

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
    { key: 'complaints.unitInbox', title: { id: 'Pengaduan warga', en: 'Citizen reports' }, path: '/staf/pengaduan', permission: 'complaints.handle' },
  ],
  routes: (app) => complaintRoutes(app),
};
