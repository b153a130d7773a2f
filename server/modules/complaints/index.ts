import type { ModuleDefinition } from '../registry.js';
import { registerPhotoPolicy } from './files.js';
import { complaintRoutes } from './routes.js';

registerPhotoPolicy();

/** Pengaduan warga: citizen reports routed to the responsible units. */
export const complaintsModule: ModuleDefinition = {
  name: 'complaints',
  // The portal and the workspace link to this module once its web pages exist (the citizen
  // report form and the staff inbox are the next slice of issue 4); the API is complete for what
  // it offers.
  services: [],
  nav: [],
  routes: (app) => complaintRoutes(app),
};
